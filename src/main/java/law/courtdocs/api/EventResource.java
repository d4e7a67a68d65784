package law.courtdocs.api;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventFilter;
import law.courtdocs.event.EventLog;
import law.courtdocs.event.EventStream;
import law.courtdocs.event.EventType;
import law.courtdocs.event.EventView;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's events, as JSON pages or as a live {@code text/event-stream}. Both read the
 * stored events (any pod may have written them), so a client that reconnects with the last seq
 * it saw misses nothing that is still kept ({@code court.events.retention}).
 */
@Path("/api/v1/events")
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.SERVICE})
public class EventResource {

    static final int MAX_LIMIT = 1000;

    private final EventLog events;
    private final CurrentCaller caller;
    private final CourtConfig.Events config;

    public EventResource(EventLog events, CurrentCaller caller, CourtConfig config) {
        this.events = events;
        this.caller = caller;
        this.config = config.events();
    }

    /** A page of events after {@code after}, oldest first; {@code nextAfter} is the cursor for the next page. */
    public record EventPage(List<EventView> items, long nextAfter) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's events after a seq, oldest first (filters jobId, caseRef, types)")
    public EventPage page(@QueryParam("after") String after, @QueryParam("limit") String limit,
            @QueryParam("jobId") String jobId, @QueryParam("caseRef") String caseRef,
            @QueryParam("types") List<String> types) {
        Caller who = caller.get();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        long from = seq("after", after, 0, errors);
        int max = limit == null || limit.isBlank() ? 100 : JobResource.intParam("limit", limit, 1, MAX_LIMIT, errors);
        EventFilter filter = filter(jobId, caseRef, types, errors);
        refuse(errors);
        List<EventView> items = events.after(who.tenant(), from, filter, max);
        return new EventPage(items, items.isEmpty() ? from : items.get(items.size() - 1).seq());
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // a Multi would run on the event loop; reading the starting seq is a query
    @Blocking
    @Operation(summary = "The tenant's events as they happen (text/event-stream; resumes from Last-Event-ID or after)")
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after, @QueryParam("jobId") String jobId,
            @QueryParam("caseRef") String caseRef, @QueryParam("types") List<String> types, @Context Sse sse) {
        Caller who = caller.get();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        // the header is what a browser's EventSource sends on its own when it reconnects: it wins
        long start;
        if (lastEventId != null && !lastEventId.isBlank()) {
            start = seq("Last-Event-ID", lastEventId, 0, errors);
        } else if (after != null && !after.isBlank()) {
            start = seq("after", after, 0, errors);
        } else {
            start = -1;
        }
        EventFilter filter = filter(jobId, caseRef, types, errors);
        refuse(errors);
        if (start < 0) {
            start = events.latestSeq(who.tenant());
        }
        EventStream stream = new EventStream(events, who.tenant(), filter, start, config.heartbeat());
        Duration poll = config.pollInterval();
        return Multi.createFrom().ticks().every(poll)
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .concatMap(tick -> Multi.createFrom().iterable(stream.poll()))
                .map(item -> item.event() == null
                        ? sse.newEventBuilder().comment("heartbeat").build()
                        : sse.newEventBuilder()
                                .id(Long.toString(item.event().seq()))
                                .name(item.event().type())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(EventView.class, item.event())
                                .build());
    }

    private static long seq(String name, String raw, long min, List<ApiProblem.FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return min;
        }
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new ApiProblem.FieldError(name, name + " must be a seq: a whole number of at least " + min));
        return min;
    }

    /** {@code types} may come repeated or comma-separated. */
    private static EventFilter filter(String jobId, String caseRef, List<String> types,
            List<ApiProblem.FieldError> errors) {
        UUID job = null;
        if (jobId != null && !jobId.isBlank()) {
            try {
                job = UUID.fromString(jobId.strip());
            } catch (IllegalArgumentException e) {
                errors.add(new ApiProblem.FieldError("jobId", "jobId must be a job's id (a UUID)"));
            }
        }
        Set<EventType> wanted = EnumSet.noneOf(EventType.class);
        for (String list : types == null ? List.<String>of() : types) {
            for (String name : list.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                EventType.ofWire(name.strip()).ifPresentOrElse(wanted::add,
                        () -> errors.add(new ApiProblem.FieldError("types", "unknown event type " + name.strip())));
            }
        }
        String ref = caseRef == null || caseRef.isBlank() ? null : caseRef.strip();
        return new EventFilter(job, ref, wanted);
    }

    private static void refuse(List<ApiProblem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "Invalid request", errors.get(0).message(), errors);
        }
    }
}
