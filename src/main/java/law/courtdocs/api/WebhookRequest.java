package law.courtdocs.api;

import java.util.List;

/** Body of {@code POST /api/v1/webhooks}; checked by {@link WebhookResource}, 422 naming the field. */
public record WebhookRequest(String url, List<String> events, String description) {}
