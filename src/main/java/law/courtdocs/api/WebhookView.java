package law.courtdocs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.webhook.DeliveryEntity;
import law.courtdocs.webhook.WebhookEntity;

/** A webhook subscription as the API shows it; {@code secret} only in the answer to its creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(UUID id, String url, List<String> events, String description, Instant createdAt,
        String createdBy, String secret) {

    static WebhookView of(WebhookEntity w, String secret) {
        return new WebhookView(w.id, w.url, w.types(), w.description, w.createdAt, w.createdBy, secret);
    }

    /** One delivery of one event to the subscription. */
    public record Delivery(UUID id, UUID eventId, long seq, String type, DeliveryEntity.Status status, int attempts,
            Integer lastHttpStatus, String lastError, Instant lastAttemptAt, Instant nextAttemptAt,
            Instant deliveredAt) {

        static Delivery of(DeliveryEntity d) {
            return new Delivery(d.id, d.eventId, d.seq, d.type, d.status, d.attempts, d.lastHttpStatus, d.lastError,
                    d.lastAttemptAt, d.nextAttemptAt, d.deliveredAt);
        }
    }

    public record Deliveries(List<Delivery> items) {}

    public record Page(List<WebhookView> items) {}
}
