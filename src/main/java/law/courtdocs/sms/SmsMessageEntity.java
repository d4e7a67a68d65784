package law.courtdocs.sms;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A court SMS posted to {@code /api/v1/sms}, per tenant. {@link #content} is the text sealed by
 * {@code JobSecrets} with this row's id as associated data (it holds codes and passwords);
 * {@link #parsed} is the JSON the API answers with, which holds none.
 */
@Entity
@Table(name = "sms_messages")
public class SmsMessageEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(length = 128)
    public String tenant;

    public byte[] content;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "case_ref", length = 128)
    public String caseRef;

    public String parsed;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** Keyed fingerprint of the request (content included), never a plain hash of it. */
    @Column(name = "request_hash", length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String requestHash;

    @Column(name = "created_at")
    public Instant createdAt;
}
