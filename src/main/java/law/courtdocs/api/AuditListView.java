package law.courtdocs.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.audit.AuditEvent;

/** The audit list JSON; the tenant is the caller's own and so not repeated per event. */
public record AuditListView(List<Event> items, int page, int size, long total) {

    public record Event(long id, Instant at, String subject, String action, UUID targetId, String clientAddress) {

        static Event of(AuditEvent e) {
            return new Event(e.id, e.createdAt, e.subject, e.action.name(), e.targetId, e.clientAddress);
        }
    }
}
