package law.courtdocs.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulator of Hubei's public SMS mode on {@value #HOST} (see ../shared/portals.md, section
 * daolv): {@code POST /delimobile/tDeliSms/findSmsInfo}, {@code /delimobile/loginCaptcha} and the
 * document downloads under {@code /delimobile}.
 *
 * <p>It shares its host with the daolv account mode, so it is not routed by itself:
 * {@link DaolvSimulator} is the handler for {@value #HOST} and passes it {@code /hb/…},
 * {@code /delimobile/…} and {@code /deli-mobile-ui/…}.
 *
 * <p>Answers, as defined here (portals.md gives the field names only):
 * <ul>
 *   <li>documents: {@code {"code":200,"msg":"操作成功","data":{"isNeedCaptcha":"N","docList":[{"docName",
 *       "downloadPath":"/file/download?fileId=…","pdfPath":"/upload/sms/….pdf"}]}}};</li>
 *   <li>captcha wanted: the same with {@code "isNeedCaptcha":"Y"} and empty {@code downloadPath}s;</li>
 *   <li>wrong captcha: {@code {"code":500,"msg":"验证码错误","data":null}} (unknown or used uuid:
 *       {@code "msg":"验证码已失效"});</li>
 *   <li>expired message: {@code {"code":500,"msg":"短信已过期，请联系承办法院","data":null}}; unknown code:
 *       {@code "msg":"短信信息不存在"}.</li>
 * </ul>
 */
public final class HubeiSmsSimulator implements HttpHandler {

    public static final String HOST = "dzsd.hbfy.gov.cn";

    /** How {@code /delimobile/loginCaptcha} answers. */
    public enum CaptchaStyle {
        /** GET → {@code {"code":200,"img":"<base64>","uuid":"…"}}, as portals.md describes. */
        GET_PLAIN,
        /** GET → 405; POST → {@code {"code":200,"data":{"img":"data:image/png;base64,…","uuid":"…"}}}. */
        POST_WRAPPED
    }

    static final String FIND = "/delimobile/tDeliSms/findSmsInfo";
    static final String CAPTCHA = "/delimobile/loginCaptcha";
    static final String DOWNLOAD = "/delimobile/file/download";

    private enum Kind { READY, EXPIRED, DROP, SLOW }

    private record Doc(String docName, String fileId, String pdfPath, byte[] bytes) {}

    private record Message(Kind kind, boolean needCaptcha, List<Doc> docs, Duration delay) {}

    private record Failure(String pathPrefix, int status) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    private final SecureRandom random = new SecureRandom();
    private final CaptchaImages captchas = new CaptchaImages();
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final Map<String, Doc> files = new ConcurrentHashMap<>();
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    private final AtomicInteger captchasIssued = new AtomicInteger();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private volatile CaptchaStyle captchaStyle = CaptchaStyle.GET_PLAIN;

    /** A message whose documents are {@code docs}; returns its {@code http://…/hb/msg=<code>} link. */
    public String addMessage(boolean needCaptcha, SimDoc... docs) {
        List<Doc> list = new ArrayList<>();
        for (SimDoc d : docs) {
            String fileId = hex(12);
            Doc doc = new Doc(d.title(), fileId, "/upload/sms/2026/05/" + fileId + "." + d.format(), d.bytes());
            files.put(fileId, doc);
            list.add(doc);
        }
        return register(new Message(Kind.READY, needCaptcha, List.copyOf(list), null));
    }

    /** A message the portal reports as expired. */
    public String expiredMessage() {
        return register(new Message(Kind.EXPIRED, false, List.of(), null));
    }

    /** A message whose lookup is dropped without any answer (a network error for the client). */
    public String droppedMessage() {
        return register(new Message(Kind.DROP, false, List.of(), null));
    }

    /** A normal message whose lookup only answers after {@code delay}. */
    public String slowMessage(Duration delay, SimDoc... docs) {
        String link = addMessage(false, docs);
        String code = link.substring(link.indexOf("msg=") + 4);
        Message m = messages.get(code);
        messages.put(code, new Message(Kind.SLOW, false, m.docs(), delay));
        return link;
    }

    /** A well-formed link whose code the portal never issued. */
    public String unknownLink() {
        return "http://" + HOST + "/hb/msg=" + code();
    }

    public void captchaStyle(CaptchaStyle style) {
        this.captchaStyle = style;
    }

    /** The answer to a captcha image this simulator served; null for any other bytes. */
    public String answerFor(byte[] image) {
        return captchas.answerFor(image);
    }

    public int captchasIssued() {
        return captchasIssued.get();
    }

    /** How many documents of the message behind {@code link} were downloaded. */
    public int downloads(String link) {
        AtomicInteger n = downloads.get(link.substring(link.indexOf("msg=") + 4));
        return n == null ? 0 : n.get();
    }

    /** The next request whose path starts with {@code pathPrefix} is answered with {@code status}. */
    public void failNext(String pathPrefix, int status) {
        failures.add(new Failure(pathPrefix, status));
    }

    private String register(Message m) {
        while (true) {
            String code = code();
            if (messages.putIfAbsent(code, m) == null) {
                return "http://" + HOST + "/hb/msg=" + code;
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        for (Failure f : failures) {
            if (path.startsWith(f.pathPrefix()) && failures.remove(f)) {
                PortalSimulator.send(exchange, f.status(), "text/html", "<html><body><h1>" + f.status()
                        + "</h1></body></html>");
                return;
            }
        }
        if (path.startsWith("/hb/") || path.startsWith("/deli-mobile-ui")) {
            // the mobile single-page app; it calls the API below from the browser
            PortalSimulator.send(exchange, 200, "text/html", "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta "
                    + "charset=\"utf-8\"><title>湖北法院电子送达</title></head><body><div id=\"app\"></div>"
                    + "<script src=\"/deli-mobile-ui/static/js/app.js\"></script></body></html>");
            return;
        }
        switch (path) {
            case FIND -> {
                if (!method.equals("POST")) {
                    sendJson(exchange, 405, error(405, "Request method '" + method + "' not supported"));
                    return;
                }
                find(exchange, body);
            }
            case CAPTCHA -> captcha(exchange, method);
            case DOWNLOAD -> {
                String fileId = query(exchange).getOrDefault("fileId", "");
                Doc doc = files.get(fileId);
                if (doc == null) {
                    sendJson(exchange, 404, error(404, "文件不存在"));
                    return;
                }
                messages.entrySet().stream().filter(e -> e.getValue().docs().contains(doc)).findFirst()
                        .ifPresent(e -> downloads.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet());
                PortalSimulator.send(exchange, 200, doc.pdfPath().endsWith(".pdf") ? "application/pdf"
                        : "application/octet-stream", doc.bytes());
            }
            default -> sendJson(exchange, 404, error(404, "Not Found"));
        }
    }

    private void find(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            sendJson(exchange, 400, error(400, "请求参数格式错误"));
            return;
        }
        String code = request == null ? "" : request.path("msg").asText("");
        Message m = messages.get(code);
        if (m == null) {
            sendJson(exchange, 200, error(500, "短信信息不存在"));
            return;
        }
        switch (m.kind()) {
            case EXPIRED -> {
                sendJson(exchange, 200, error(500, "短信已过期，请联系承办法院"));
                return;
            }
            case DROP -> {
                // returning without a response makes HttpServer close the connection
                return;
            }
            case SLOW -> sleep(m.delay());
            default -> { }
        }
        if (!m.needCaptcha()) {
            sendJson(exchange, 200, documents(m, true));
            return;
        }
        String answer = request.path("code").asText("");
        String uuid = request.path("uuid").asText("");
        if (answer.isEmpty() && uuid.isEmpty()) {
            sendJson(exchange, 200, documents(m, false));
            return;
        }
        String expected = issued.remove(uuid);
        if (expected == null) {
            sendJson(exchange, 200, error(500, "验证码已失效"));
        } else if (!expected.equalsIgnoreCase(answer)) {
            sendJson(exchange, 200, error(500, "验证码错误"));
        } else {
            sendJson(exchange, 200, documents(m, true));
        }
    }

    private void captcha(HttpExchange exchange, String method) throws IOException {
        boolean post = captchaStyle == CaptchaStyle.POST_WRAPPED;
        if (post != method.equals("POST")) {
            sendJson(exchange, 405, error(405, "Request method '" + method + "' not supported"));
            return;
        }
        CaptchaImages.Captcha c = captchas.next();
        String uuid = UUID.randomUUID().toString().replace("-", "");
        issued.put(uuid, c.answer());
        captchasIssued.incrementAndGet();
        String img = Base64.getEncoder().encodeToString(c.png());
        ObjectNode answer = JSON.createObjectNode().put("code", 200).put("msg", "操作成功");
        if (post) {
            answer.putObject("data").put("img", "data:image/png;base64," + img).put("uuid", uuid);
        } else {
            answer.put("captchaEnabled", true).put("img", img).put("uuid", uuid);
        }
        sendJson(exchange, 200, answer);
    }

    private static ObjectNode documents(Message m, boolean open) {
        ObjectNode answer = JSON.createObjectNode().put("code", 200).put("msg", "操作成功");
        ObjectNode data = answer.putObject("data");
        data.put("isNeedCaptcha", open ? "N" : "Y")
                .put("caseNo", "（2026）鄂0102民初1234号")
                .put("courtName", "武汉市江岸区人民法院")
                .put("receiverName", "张三");
        ArrayNode list = data.putArray("docList");
        for (Doc d : m.docs()) {
            list.addObject()
                    .put("docName", d.docName())
                    .put("downloadPath", open ? "/file/download?fileId=" + d.fileId() : "")
                    .put("pdfPath", open ? d.pdfPath() : "");
        }
        return answer;
    }

    private static ObjectNode error(int code, String msg) {
        ObjectNode n = JSON.createObjectNode().put("code", code).put("msg", msg);
        n.putNull("data");
        return n;
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        PortalSimulator.send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.putIfAbsent(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private String code() {
        StringBuilder code = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
