package law.courtdocs.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A remembered {@code Idempotency-Key}: which job it produced and with what status. */
@Entity
@Table(name = "idempotency_keys")
public class IdempotencyKeyEntity extends PanacheEntityBase {

    @Embeddable
    public record Id(@Column(length = 128) String tenant, @Column(length = 255) String key) implements Serializable {}

    @EmbeddedId
    public Id id;

    @Column(name = "request_hash", length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String requestHash;

    @Column(name = "job_id")
    public UUID jobId;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    public int status;

    @Column(name = "created_at")
    public Instant createdAt;
}
