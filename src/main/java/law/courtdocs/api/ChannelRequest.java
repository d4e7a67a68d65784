package law.courtdocs.api;

import java.util.List;

/**
 * Body of {@code POST /api/v1/notification-channels}: {@code webhookUrl} for feishu, dingtalk and
 * wecom robots, {@code botToken} and {@code chatId} for telegram; {@code secret} for the signed
 * kinds. Checked by {@link ChannelResource}, 422 naming the field.
 */
public record ChannelRequest(String kind, String webhookUrl, String botToken, String chatId, String secret,
        List<String> events, String caseRef, String description) {

    @Override
    public String toString() {
        return "ChannelRequest[kind=" + kind + ", events=" + events + ", caseRef=" + caseRef + "]";
    }
}
