package law.courtdocs.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One event on its way to one subscription. The webhook-id header is {@link #eventId}. */
@Entity
@Table(name = "webhook_deliveries")
public class DeliveryEntity extends PanacheEntityBase {

    public enum Status { PENDING, DELIVERED, FAILED }

    @Id
    public UUID id;

    @Column(name = "webhook_id")
    public UUID webhookId;

    @Column(name = "event_id")
    public UUID eventId;

    public long seq;

    @Column(length = 64)
    public String type;

    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    public Status status;

    public int attempts;

    @Column(name = "first_attempt_at")
    public Instant firstAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_http_status")
    public Integer lastHttpStatus;

    @Column(name = "last_error", length = 500)
    public String lastError;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
