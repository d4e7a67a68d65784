package law.courtdocs.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import law.courtdocs.egress.OutboundHttp;

/**
 * Posts one text to one robot, the way each vendor's custom-robot API wants it, and reads the
 * vendor's answer: all four answer HTTP 200 for some failures (a bad signature, a rate limit), so
 * success is the vendor's own code, not the status. Calls go through {@code court.http-proxy},
 * the workers' way out to the internet. Nothing here logs: URLs and bodies carry robot tokens.
 */
public final class ChatClient {

    /** The vendor's answer, {@code httpStatus} null when none came. {@code error} never holds a token. */
    public record Result(boolean delivered, Integer httpStatus, String error) {}

    /** WeCom refuses text over 2048 bytes; Telegram over 4096 characters (≤ 4096 bytes is safe); DingTalk ~20000 bytes. */
    static int maxBytes(ChatKind kind) {
        return switch (kind) {
            case WECOM -> 2048;
            case TELEGRAM -> 4096;
            case DINGTALK -> 18000;
            case FEISHU -> 20000;
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final String telegramApiUrl;
    private final boolean requireHttps;
    private final Clock clock;

    public ChatClient(HttpClient http, Duration timeout, String telegramApiUrl, boolean requireHttps, Clock clock) {
        this.http = http;
        this.timeout = timeout;
        this.telegramApiUrl = telegramApiUrl.endsWith("/") ? telegramApiUrl.substring(0, telegramApiUrl.length() - 1)
                : telegramApiUrl;
        this.requireHttps = requireHttps;
        this.clock = clock;
    }

    public Result send(ChatKind kind, ChatTarget target, String text) {
        String body;
        URI uri;
        if (kind.byUrl()) {
            Optional<String> problem = kind.urlProblem(target.webhookUrl(), requireHttps);
            if (problem.isPresent()) {
                return new Result(false, null, "robot address refused: webhookUrl " + problem.get());
            }
        }
        String fitted = ChatText.fit(text, maxBytes(kind));
        ObjectNode json = JSON.createObjectNode();
        switch (kind) {
            case FEISHU -> {
                long ts = clock.millis() / 1000;
                json.put("timestamp", Long.toString(ts));
                json.put("sign", ChatSigning.feishu(ts, target.secret()));
                json.put("msg_type", "text");
                // Feishu text turns <at user_id="all"> into a mention of everyone: titles are untrusted
                json.putObject("content").put("text", fitted.replace("<", "＜"));
                uri = URI.create(target.webhookUrl());
            }
            case DINGTALK -> {
                long ts = clock.millis();
                String sign = URLEncoder.encode(ChatSigning.dingtalk(ts, target.secret()), StandardCharsets.UTF_8);
                json.put("msgtype", "text");
                json.putObject("text").put("content", fitted);
                uri = URI.create(target.webhookUrl() + "&timestamp=" + ts + "&sign=" + sign);
            }
            case WECOM -> {
                json.put("msgtype", "text");
                json.putObject("text").put("content", fitted);
                uri = URI.create(target.webhookUrl());
            }
            case TELEGRAM -> {
                json.put("chat_id", target.chatId());
                json.put("text", fitted);
                json.put("disable_web_page_preview", true);
                uri = URI.create(telegramApiUrl + "/bot" + target.botToken() + "/sendMessage");
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        body = json.toString();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "court-docs-notifications/1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            // a second message in the group is better than a lost one
            HttpResponse<String> response = OutboundHttp.sendRetryingAClosedConnection(http, request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return answer(kind, response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new Result(false, null, "no answer from " + kind.wire() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Result(false, null, "cannot reach " + kind.wire() + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "sender stopped");
        }
    }

    /** Success is the vendor's own code: Feishu {@code code}, DingTalk/WeCom {@code errcode}, Telegram {@code ok}. */
    static Result answer(ChatKind kind, int status, String body) {
        JsonNode answer;
        try {
            answer = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return new Result(false, status, kind.wire() + " answered HTTP " + status + " without JSON");
        }
        boolean ok;
        String code;
        String message;
        switch (kind) {
            case FEISHU -> {
                JsonNode c = answer.has("code") ? answer.get("code") : answer.get("StatusCode");
                ok = status == 200 && c != null && c.asInt(-1) == 0;
                code = c == null ? "none" : c.asText();
                message = answer.path("msg").asText(answer.path("StatusMessage").asText(""));
            }
            case DINGTALK, WECOM -> {
                JsonNode c = answer.get("errcode");
                ok = status == 200 && c != null && c.asInt(-1) == 0;
                code = c == null ? "none" : c.asText();
                message = answer.path("errmsg").asText("");
            }
            case TELEGRAM -> {
                ok = status == 200 && answer.path("ok").asBoolean(false);
                code = answer.path("error_code").asText(Integer.toString(status));
                message = answer.path("description").asText("");
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        if (ok) {
            return new Result(true, status, null);
        }
        return new Result(false, status, kind.wire() + " answered HTTP " + status + ", code " + code
                + (message.isEmpty() ? "" : ": " + cut(message, 300)));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
