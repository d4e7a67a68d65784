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

/** A tenant's webhook subscription (V12); its secret is sealed with the service's secrets key. */
@Entity
@Table(name = "webhooks")
public class WebhookEntity extends PanacheEntityBase {

    @Id
    public UUID id;

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

    public List<String> types() {
        return Arrays.asList(eventTypes.split(","));
    }
}
