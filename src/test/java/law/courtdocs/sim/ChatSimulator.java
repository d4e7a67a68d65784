package law.courtdocs.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The four chat vendors' group-robot APIs, as their documentation describes them, reached through
 * the simulator proxy under their real host names: Feishu custom bots (signature in the body),
 * DingTalk custom robots (signature in the query), WeCom group robots (the key in the URL) and
 * the Telegram Bot API. Each checks the request the way the vendor does and answers with the
 * vendor's codes (HTTP 200 with a non-zero code for a bad signature, as Feishu and DingTalk do).
 * The signature checks are written from the vendors' descriptions, not from the service's code.
 */
public final class ChatSimulator implements HttpHandler {

    public static final String FEISHU_HOST = "open.feishu.cn";
    public static final String DINGTALK_HOST = "oapi.dingtalk.com";
    public static final String WECOM_HOST = "qyapi.weixin.qq.com";
    public static final String TELEGRAM_HOST = "api.telegram.org";

    /** One message a robot accepted. */
    public record Message(String vendor, String robot, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR_MS = 3_600_000;

    /** robot token → signing secret ("" when the robot is not signed) */
    private final Map<String, String> robots = new ConcurrentHashMap<>();
    /** telegram bot token → chat ids it is in */
    private final Map<String, List<String>> telegramChats = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final List<Message> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    /** A Feishu bot with 签名校验 on; answers its webhook URL (plain http: the proxy has no TLS). */
    public String feishuRobot(String secret) {
        String token = UUID.randomUUID().toString();
        robots.put(token, secret);
        return "http://" + FEISHU_HOST + "/open-apis/bot/v2/hook/" + token;
    }

    /** A DingTalk robot with 加签 on. */
    public String dingtalkRobot(String secret) {
        String token = HexFormat.of().formatHex(randomBytes(32));
        robots.put(token, secret);
        return "http://" + DINGTALK_HOST + "/robot/send?access_token=" + token;
    }

    public String wecomRobot() {
        String key = UUID.randomUUID().toString();
        robots.put(key, "");
        return "http://" + WECOM_HOST + "/cgi-bin/webhook/send?key=" + key;
    }

    /** A Telegram bot token; {@code chatId} is a group the bot was added to. */
    public String telegramBot(String chatId) {
        String token = (100000000 + (int) (Math.random() * 800000000)) + ":AA" + Base64.getUrlEncoder()
                .withoutPadding().encodeToString(randomBytes(24));
        telegramChats.put(token, List.of(chatId));
        return token;
    }

    /** The next {@code n} calls to this robot are refused as rate-limited (HTTP 200, vendor code). */
    public void rateLimitNext(String robotUrlOrToken, int n) {
        failNext.computeIfAbsent(tokenOf(robotUrlOrToken), t -> new AtomicInteger()).set(n);
    }

    /** Messages accepted from the robot with this URL (or Telegram token), in arrival order. */
    public List<Message> messages(String robotUrlOrToken) {
        String token = tokenOf(robotUrlOrToken);
        return accepted.stream().filter(m -> m.robot().equals(token)).toList();
    }

    /** Why each refused call was refused, for test failure messages. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String host = PortalSimulator.hostOf(exchange);
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            body = null;
        }
        if (!"POST".equals(exchange.getRequestMethod()) || body == null) {
            send(exchange, 400, "{\"error\":\"POST a JSON body\"}");
            return;
        }
        switch (host) {
            case FEISHU_HOST -> feishu(exchange, path, body);
            case DINGTALK_HOST -> dingtalk(exchange, path, query, body);
            case WECOM_HOST -> wecom(exchange, path, query, body);
            case TELEGRAM_HOST -> telegram(exchange, path, body);
            default -> send(exchange, 404, "{}");
        }
    }

    private void feishu(HttpExchange exchange, String path, JsonNode body) throws IOException {
        String prefix = "/open-apis/bot/v2/hook/";
        String token = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
        String secret = robots.get(token);
        if (secret == null) {
            refuse(exchange, 200, "{\"code\":19001,\"data\":{},\"msg\":\"param invalid: incoming webhook access token invalid\"}");
            return;
        }
        long ts = body.path("timestamp").asLong(0);
        String expected = base64Hmac((ts + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]);
        if (Math.abs(System.currentTimeMillis() - ts * 1000) > HOUR_MS
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        body.path("sign").asText("").getBytes(StandardCharsets.UTF_8))) {
            refuse(exchange, 200, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");
            return;
        }
        if (!"text".equals(body.path("msg_type").asText()) || !body.path("content").path("text").isTextual()) {
            refuse(exchange, 200, "{\"code\":9499,\"data\":{},\"msg\":\"Bad Request\"}");
            return;
        }
        if (rateLimited(token)) {
            refuse(exchange, 200, "{\"code\":11232,\"data\":{},\"msg\":\"frequency limited psm\"}");
            return;
        }
        accepted.add(new Message("feishu", token, body.path("content").path("text").asText()));
        send(exchange, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"data\":{},\"msg\":\"success\"}");
    }

    private void dingtalk(HttpExchange exchange, String path, Map<String, String> query, JsonNode body) throws IOException {
        String token = query.getOrDefault("access_token", "");
        String secret = robots.get(token);
        if (!"/robot/send".equals(path) || secret == null) {
            refuse(exchange, 200, "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}");
            return;
        }
        long ts;
        try {
            ts = Long.parseLong(query.getOrDefault("timestamp", ""));
        } catch (NumberFormatException e) {
            refuse(exchange, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
            return;
        }
        // the sign arrives URL-encoded in the query; query() has decoded it
        String expected = base64Hmac(secret.getBytes(StandardCharsets.UTF_8),
                (ts + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        if (Math.abs(System.currentTimeMillis() - ts) > HOUR_MS || !expected.equals(query.get("sign"))) {
            refuse(exchange, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]\"}");
            return;
        }
        if (!"text".equals(body.path("msgtype").asText()) || !body.path("text").path("content").isTextual()) {
            refuse(exchange, 200, "{\"errcode\":40035,\"errmsg\":\"缺少参数 json\"}");
            return;
        }
        if (rateLimited(token)) {
            refuse(exchange, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}");
            return;
        }
        accepted.add(new Message("dingtalk", token, body.path("text").path("content").asText()));
        send(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    private void wecom(HttpExchange exchange, String path, Map<String, String> query, JsonNode body) throws IOException {
        String key = query.getOrDefault("key", "");
        if (!"/cgi-bin/webhook/send".equals(path) || !robots.containsKey(key)) {
            refuse(exchange, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1733990400_1_x]\"}");
            return;
        }
        if (!"text".equals(body.path("msgtype").asText()) || !body.path("text").path("content").isTextual()) {
            refuse(exchange, 200, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
            return;
        }
        String content = body.path("text").path("content").asText();
        if (content.getBytes(StandardCharsets.UTF_8).length > 2048) {
            refuse(exchange, 200, "{\"errcode\":40058,\"errmsg\":\"content exceed max length 2048\"}");
            return;
        }
        if (rateLimited(key)) {
            refuse(exchange, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
            return;
        }
        accepted.add(new Message("wecom", key, content));
        send(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    private void telegram(HttpExchange exchange, String path, JsonNode body) throws IOException {
        // /bot<token>/sendMessage
        if (!path.startsWith("/bot") || !path.endsWith("/sendMessage")) {
            refuse(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
            return;
        }
        String token = path.substring(4, path.length() - "/sendMessage".length());
        List<String> chats = telegramChats.get(token);
        if (chats == null) {
            refuse(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
            return;
        }
        if (!chats.contains(body.path("chat_id").asText())) {
            refuse(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
            return;
        }
        String text = body.path("text").asText("");
        if (text.isEmpty() || text.codePointCount(0, text.length()) > 4096) {
            refuse(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is too long\"}");
            return;
        }
        if (rateLimited(token)) {
            refuse(exchange, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}");
            return;
        }
        accepted.add(new Message("telegram", token, text));
        send(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":" + accepted.size() + ",\"text\":\"\"}}");
    }

    private boolean rateLimited(String token) {
        AtomicInteger n = failNext.get(token);
        return n != null && n.getAndUpdate(v -> Math.max(0, v - 1)) > 0;
    }

    private void refuse(HttpExchange exchange, int status, String body) throws IOException {
        refusals.add(PortalSimulator.hostOf(exchange) + ": " + body);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        PortalSimulator.send(exchange, status, "application/json", body);
    }

    private static String tokenOf(String urlOrToken) {
        int hook = urlOrToken.indexOf("/hook/");
        if (hook >= 0) {
            return urlOrToken.substring(hook + "/hook/".length());
        }
        int q = urlOrToken.indexOf('?');
        if (q >= 0) {
            return query(urlOrToken.substring(q + 1)).values().iterator().next();
        }
        return urlOrToken;
    }

    private static Map<String, String> query(String raw) {
        return PortalSimulator.params(raw);
    }

    private static String base64Hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }
}
