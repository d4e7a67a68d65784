package law.courtdocs.event;

import java.util.Set;
import java.util.UUID;

/**
 * What a reader of the stream wants: all of the tenant's events when every field is empty. Applied
 * in SQL by {@link EventLog#after}.
 */
public record EventFilter(UUID jobId, String caseRef, Set<EventType> types) {

    public static final EventFilter ALL = new EventFilter(null, null, Set.of());
}
