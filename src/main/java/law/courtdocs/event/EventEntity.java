package law.courtdocs.event;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stored event; written by {@link EventLog} only (native SQL, for the per-tenant seq). */
@Entity
@Table(name = "events")
public class EventEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(length = 128)
    public String tenant;

    public long seq;

    @Column(length = 64)
    public String type;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "case_ref", length = 128)
    public String caseRef;

    /** The type's own fields as JSON (README, "Events"). */
    @Column(columnDefinition = "text")
    public String data;
}
