package law.courtdocs.event;

import java.util.Set;
import java.util.UUID;

/** What a reader of the stream wants: all of the tenant's events when every field is empty. */
public record EventFilter(UUID jobId, String caseRef, Set<EventType> types) {

    public static final EventFilter ALL = new EventFilter(null, null, Set.of());

    public boolean matches(EventView e) {
        return (jobId == null || jobId.equals(e.jobId()))
                && (caseRef == null || caseRef.equals(e.caseRef()))
                && (types.isEmpty() || EventType.ofWire(e.type()).map(types::contains).orElse(false));
    }
}
