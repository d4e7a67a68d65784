package law.courtdocs.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's webhook subscription (V12) or chat-group notification channel (V13, {@code kind} not
 * {@value #WEBHOOK}); its secret is sealed with the service's secrets key.
 */
@Entity
@Table(name = "webhooks")
public class WebhookEntity extends PanacheEntityBase {

    /** {@link #kind} of a plain signed webhook; a channel's kind is a {@code ChatKind} wire name. */
    public static final String WEBHOOK = "webhook";

    @Id
    public UUID id;

    @Column(length = 16)
    public String kind = WEBHOOK;

    /** A channel that follows one case only; null follows all. */
    @Column(name = "case_ref", length = 128)
    public String caseRef;

    @Column(length = 128)
    public String tenant;

    @Column(length = 2048)
    public String url;

    /** Wire names of the event types, comma-separated. */
    @Column(name = "event_types", length = 1024)
    public String eventTypes;

    @Column(length = 500)
    public String description;

    public byte[] secret;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by", length = 256)
    public String createdBy;

    @Column(name = "cursor_seq")
    public long cursorSeq;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_owner", length = 128)
    public String leaseOwner;

    public boolean isWebhook() {
        return WEBHOOK.equals(kind);
    }

    public List<String> types() {
        return Arrays.asList(eventTypes.split(","));
    }
}
