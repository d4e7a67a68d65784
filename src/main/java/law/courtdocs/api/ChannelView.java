package law.courtdocs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.webhook.WebhookEntity;

/**
 * A chat-group channel as the API shows it: {@code target} is the robot's address without its
 * token (or the Telegram chat); tokens and secrets are never shown again after creation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelView(UUID id, String kind, String target, List<String> events, String caseRef,
        String description, Instant createdAt, String createdBy) {

    static ChannelView of(WebhookEntity w) {
        return new ChannelView(w.id, w.kind, w.url, w.types(), w.caseRef, w.description, w.createdAt, w.createdBy);
    }

    public record Page(List<ChannelView> items) {}
}
