package law.courtdocs.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One row of the audit trail; written by {@link AuditLog}, never changed. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(length = 128)
    public String tenant;

    @Column(length = 255)
    public String subject;

    @Enumerated(EnumType.STRING)
    @Column(length = 32)
    public AuditAction action;

    @Column(name = "target_id")
    public UUID targetId;

    @Column(name = "client_address", length = 64)
    public String clientAddress;

    @Column(name = "created_at")
    public Instant createdAt;
}
