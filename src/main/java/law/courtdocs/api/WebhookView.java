package law.courtdocs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import law.courtdocs.webhook.DeliveryEntity;
import law.courtdocs.webhook.WebhookEntity;
import law.courtdocs.webhook.Webhooks;
import jakarta.ws.rs.core.Response;

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

    /** {@code limit} of a deliveries list (webhooks and channels alike): 1-1000, else 400. */
    static int deliveryLimit(String limit) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        int max = JobResource.intParam("limit", limit, 1, 1000, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "Invalid request", errors.get(0).message(), errors);
        }
        return max;
    }

    /** A subscription's or channel's deliveries, newest first. */
    static Deliveries deliveries(Webhooks webhooks, UUID subscription, int max) {
        return new Deliveries(webhooks.deliveries(subscription, max).stream().map(Delivery::of).toList());
    }

    /** 202 with the delivery queued again, or 404 naming {@code what}. */
    static Response accepted(Optional<DeliveryEntity> redelivered, String what) {
        return redelivered.map(d -> Response.accepted(Delivery.of(d)).build())
                .orElseThrow(() -> ApiProblem.notFound(what));
    }

    public record Page(List<WebhookView> items) {}
}
