package law.courtdocs.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything that reaches one robot: kept sealed as JSON in the channel's row, opened only by the
 * sender for the call. {@code toString} shows none of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatTarget(String webhookUrl, String secret, String botToken, String chatId) {

    @Override
    public String toString() {
        return "ChatTarget[…]";
    }
}
