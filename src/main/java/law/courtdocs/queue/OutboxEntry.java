package law.courtdocs.queue;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public UUID jobId;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    public int priority;

    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The W3C traceparent of what queued the job; sent as the message's {@code traceparent} header. */
    @Column(name = "trace_parent", length = 55)
    public String traceParent;

    @Column(name = "sent_at")
    public Instant sentAt;
}
