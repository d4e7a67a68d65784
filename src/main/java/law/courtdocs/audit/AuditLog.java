package law.courtdocs.audit;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.auth.Caller;

/** Writes and reads the audit trail, always within the caller's tenant. */
@ApplicationScoped
public class AuditLog {

    /**
     * Records that {@code caller} did {@code action} to {@code target}: inside the caller's
     * transaction when there is one, so an action and its audit row commit together.
     */
    @Transactional
    public void record(Caller caller, AuditAction action, UUID target) {
        AuditEvent e = new AuditEvent();
        e.tenant = caller.tenant();
        e.subject = caller.subject().length() <= 255 ? caller.subject() : caller.subject().substring(0, 255);
        e.action = action;
        e.targetId = target;
        e.clientAddress = caller.clientAddress();
        e.createdAt = Instant.now();
        e.persist();
    }

    /** One event per target, all in one transaction (e.g. each document of a ZIP download). */
    @Transactional
    public void recordEach(Caller caller, AuditAction action, List<UUID> targets) {
        targets.forEach(target -> record(caller, action, target));
    }

    /** The caller's tenant's events, newest first. */
    @Transactional
    public AuditPage page(Caller caller, int page, int size) {
        var query = AuditEvent.<AuditEvent>find("tenant", Sort.descending("createdAt").and("id", Sort.Direction.Descending),
                caller.tenant());
        return new AuditPage(query.page(Page.of(page, size)).list(), page, size, query.count());
    }
}
