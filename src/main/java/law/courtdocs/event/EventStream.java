package law.courtdocs.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One open stream's cursor: each poll returns the tenant's events after the last one sent, or a
 * heartbeat when nothing was sent for {@code heartbeat}. Polled, not pushed: the event may have
 * been written by any api or worker pod, and the database is the one place all of them share.
 * Not thread-safe; a stream's polls run one after another.
 */
public final class EventStream {

    /** An event to send, or (event null) a heartbeat comment. */
    public record Item(EventView event) {
        static final Item HEARTBEAT = new Item(null);
    }

    static final int PAGE = 200;

    private final EventLog events;
    private final String tenant;
    private final EventFilter filter;
    private final Duration heartbeat;
    private final Clock clock;
    private long cursor;
    private Instant lastSent;

    public EventStream(EventLog events, String tenant, EventFilter filter, long after, Duration heartbeat) {
        this(events, tenant, filter, after, heartbeat, Clock.systemUTC());
    }

    EventStream(EventLog events, String tenant, EventFilter filter, long after, Duration heartbeat, Clock clock) {
        this.events = events;
        this.tenant = tenant;
        this.filter = filter;
        this.cursor = after;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.lastSent = clock.instant();
    }

    public List<Item> poll() {
        List<Item> out = new ArrayList<>();
        List<EventView> page;
        do {
            page = events.after(tenant, cursor, filter, PAGE);
            for (EventView e : page) {
                out.add(new Item(e));
                cursor = e.seq();
            }
        } while (page.size() == PAGE && out.size() < 5 * PAGE);
        Instant now = clock.instant();
        if (!out.isEmpty()) {
            lastSent = now;
        } else if (!now.isBefore(lastSent.plus(heartbeat))) {
            out.add(Item.HEARTBEAT);
            lastSent = now;
        }
        return out;
    }
}
