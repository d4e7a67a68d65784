package law.courtdocs.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Simulator of 人民法院在线服务 zxfw.court.gov.cn (see /work/shared/portals.md, "zxfw"). Reading
 * it top to bottom is meant to explain the portal:
 *
 * <ul>
 *   <li>{@code GET /zxfw/} is a uni-app single-page app. The delivery parameters live in the
 *       URL fragment, so the server never sees them; the page's script reads them and posts them
 *       to the list API.</li>
 *   <li>{@code POST /yzw/yzw-zxfw-sdfw/api/v1/sdfw/getWsListBySdbhNew} with JSON
 *       {@code {"sdbh","qdbh","sdsin"}} answers {@code {"code":200,"msg","data":[…]}}, or
 *       {@code {"code":500,"msg":"送达信息不存在","data":null}} for an unknown or expired delivery
 *       (HTTP status 200 either way).</li>
 *   <li>Each item's {@code wjlj} is a signed, expiring storage URL on {@link #FILE_HOST}
 *       (object-storage style {@code ?Expires=…&OSSAccessKeyId=…&Signature=…}); a bad or expired
 *       signature answers 403.</li>
 *   <li>Clicking a listed document opens a PDF viewer in iframe {@code #if}; its {@code #download}
 *       button asks storage for the file as an attachment ({@code response-content-disposition})
 *       and storage names it with {@code Content-Disposition: attachment; filename*=UTF-8''…}.</li>
 * </ul>
 *
 * Switches let tests force the adapter off its fast path ({@link #rejectDirectApiCalls(boolean)},
 * {@link #hideListFromCapture(boolean)}) or make the portal fail ({@link #expireFileUrls},
 * {@link #failListApi}, {@link #failStorage}, {@link #delayStorage}, {@link #redesign}). Every request is recorded
 * (host and path, never the query) for {@link #requestCount(String, String)}.
 */
public final class ZxfwSimulator implements HttpHandler {

    public static final String HOST = "zxfw.court.gov.cn";
    /** Host of the signed storage URLs in {@code wjlj}; the real one is not documented. */
    public static final String FILE_HOST = "zxfw-oss.court.gov.cn";

    public static final String APP_PATH = "/zxfw/";
    public static final String LIST_API_PATH = "/yzw/yzw-zxfw-sdfw/api/v1/sdfw/getWsListBySdbhNew";
    public static final String VIEWER_PATH = "/zxfw/static/pdfjs/web/viewer.html";
    /**
     * Cookie the app page sets, the way a web application firewall in front of a government site
     * hands one out (e.g. Aliyun's {@code acw_tc}). Used by {@link #rejectDirectApiCalls}: over
     * plain http Chromium sends no {@code Sec-Fetch-*} headers (they are for secure origins only)
     * and a client can copy Origin/Referer/User-Agent, but only a client that loaded the page
     * first has the cookie.
     */
    public static final String WAF_COOKIE = "acw_tc";

    private static final String COURT_NAME = "广州市天河区人民法院";
    private static final String COURT_CODE = "440106";
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final long URL_LIFETIME_SECONDS = 600;

    /**
     * ASCII with {@code \\uXXXX} escapes, as many Java portals answer: it also carries what a
     * court's database may hold and UTF-8 cannot (a lone surrogate in a title).
     */
    private final ObjectMapper json = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    private final SecureRandom random = new SecureRandom();
    private final byte[] signingKey = new byte[32];
    private final String accessKeyId = "LTAI" + hex(8);

    /** By {@code sdbh}. */
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    /** By storage path on {@link #FILE_HOST}. */
    private final Map<String, StoredDoc> files = new ConcurrentHashMap<>();
    private final Queue<String> requestLog = new ConcurrentLinkedQueue<>();

    private volatile boolean rejectDirectApiCalls;
    private volatile boolean hideListFromCapture;
    private volatile boolean expireFileUrls;
    private volatile int listApiFailure;
    private volatile int storageFailure;
    private volatile Duration storageDelay = Duration.ZERO;
    private volatile boolean redesigned;

    private record Delivery(String qdbh, String sdbh, String sdsin, List<StoredDoc> docs) {}

    private record StoredDoc(String wsbh, String stbh, String title, String format, byte[] bytes,
            String storagePath, String created) {}

    public ZxfwSimulator() {
        random.nextBytes(signingKey);
    }

    /** Registers a delivery serving {@code docs}; returns its http:// link. */
    public String addDelivery(List<SimDoc> docs) {
        String qdbh = hex(16);
        String sdbh = hex(16);
        String sdsin = hex(16);
        LocalDateTime created = LocalDateTime.now(CHINA).withNano(0).minusHours(2);
        LocalDateTime today = LocalDateTime.now(CHINA);
        List<StoredDoc> stored = new ArrayList<>();
        for (SimDoc doc : docs) {
            String path = String.format("/zxfw/sdfw/%04d/%02d/%02d/%s.%s",
                    today.getYear(), today.getMonthValue(), today.getDayOfMonth(), UUID.randomUUID(), doc.format());
            StoredDoc s = new StoredDoc(hex(16), hex(16), doc.title(), doc.format(), doc.bytes(), path,
                    CREATED.format(created));
            stored.add(s);
            files.put(path, s);
        }
        deliveries.put(sdbh, new Delivery(qdbh, sdbh, sdsin, List.copyOf(stored)));
        return link(qdbh, sdbh, sdsin);
    }

    /** A link the portal answers with code 500 / 送达信息不存在. */
    public String expiredLink() {
        return link(hex(16), hex(16), hex(16));
    }

    /**
     * When on, the list API answers 403 (a firewall block page) to callers that never loaded the
     * app page, i.e. lack the {@link #WAF_COOKIE} cookie, as a direct HTTP client does.
     */
    public void rejectDirectApiCalls(boolean on) {
        rejectDirectApiCalls = on;
    }

    /**
     * When on, the list API answers Base64 of the JSON as text/plain, decoded only by the app's
     * own script: the answer crosses the wire but cannot be read by whoever captures it, which
     * is the "JSON answer cannot be captured" case that leaves clicking through the page.
     */
    public void hideListFromCapture(boolean on) {
        hideListFromCapture = on;
    }

    /** When on, {@code wjlj} URLs are handed out already expired, so storage answers 403. */
    public void expireFileUrls(boolean on) {
        expireFileUrls = on;
    }

    /** Non-zero: the list API answers this HTTP status (e.g. 502 from the gateway); 0 = normal. */
    public void failListApi(int status) {
        listApiFailure = status;
    }

    /** Non-zero: storage answers this HTTP status for every file (e.g. 503); 0 = normal. */
    public void failStorage(int status) {
        storageFailure = status;
    }

    /** Storage waits this long before answering a file request; zero = at once. */
    public void delayStorage(Duration delay) {
        storageDelay = delay;
    }

    /**
     * When on, the site is one the adapter does not know: the app page is replaced by a notice
     * pointing to the WeChat mini-program and the list API is gone (404).
     */
    public void redesign(boolean on) {
        redesigned = on;
    }

    /** Requests seen so far on {@code host} whose path starts with {@code pathPrefix}. */
    public long requestCount(String host, String pathPrefix) {
        String prefix = host.toLowerCase(Locale.ROOT) + " " + pathPrefix;
        return requestLog.stream().filter(r -> r.startsWith(prefix)).count();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String host = PortalSimulator.hostOf(exchange);
        String path = exchange.getRequestURI().getPath();
        requestLog.add(host + " " + path);
        if (FILE_HOST.equals(host)) {
            serveFile(exchange, path);
        } else if (redesigned) {
            if (path.equals(APP_PATH)) {
                PortalSimulator.send(exchange, 200, "text/html", REDESIGNED_HTML);
            } else {
                PortalSimulator.send(exchange, 404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>");
            }
        } else if (path.equals(LIST_API_PATH)) {
            listApi(exchange);
        } else if (path.equals(APP_PATH) || path.equals(APP_PATH + "index.html")) {
            exchange.getResponseHeaders().add("Set-Cookie", WAF_COOKIE + "=" + hex(16) + "; Path=/; HttpOnly");
            PortalSimulator.send(exchange, 200, "text/html", APP_HTML);
        } else if (path.equals("/zxfw")) {
            exchange.getResponseHeaders().set("Location", APP_PATH);
            PortalSimulator.send(exchange, 301, "text/html", "");
        } else if (path.equals(VIEWER_PATH)) {
            PortalSimulator.send(exchange, 200, "text/html", VIEWER_HTML);
        } else {
            PortalSimulator.send(exchange, 404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>");
        }
    }

    // --- list API -------------------------------------------------------------------------------

    private void listApi(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            sendJson(exchange, 405, error(405, "Request method '" + exchange.getRequestMethod() + "' not supported"));
            return;
        }
        if (listApiFailure != 0) {
            PortalSimulator.send(exchange, listApiFailure, "text/html",
                    "<html><body><h1>" + listApiFailure + " Bad Gateway</h1></body></html>");
            return;
        }
        if (rejectDirectApiCalls && !hasCookie(exchange, WAF_COOKIE)) {
            PortalSimulator.send(exchange, 403, "text/html",
                    "<html><body><h1>405</h1><p>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</p></body></html>");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            sendJson(exchange, 415, error(415, "Content type '" + contentType + "' not supported"));
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            sendJson(exchange, 400, error(400, "JSON parse error"));
            return;
        }
        Delivery d = deliveries.get(body.path("sdbh").asText(""));
        boolean valid = d != null && d.qdbh().equals(body.path("qdbh").asText())
                && d.sdsin().equals(body.path("sdsin").asText());
        ObjectNode answer = valid ? listAnswer(d) : error(500, "送达信息不存在");
        if (hideListFromCapture) {
            String encoded = Base64.getEncoder().encodeToString(json.writeValueAsBytes(answer));
            PortalSimulator.send(exchange, 200, "text/plain", encoded);
        } else {
            sendJson(exchange, 200, answer);
        }
    }

    private ObjectNode listAnswer(Delivery d) {
        ObjectNode answer = json.createObjectNode();
        answer.put("code", 200);
        answer.put("msg", "操作成功");
        ArrayNode data = answer.putArray("data");
        long expires = Instant.now().getEpochSecond() + (expireFileUrls ? -60 : URL_LIFETIME_SECONDS);
        for (StoredDoc doc : d.docs()) {
            ObjectNode item = data.addObject();
            item.put("c_sdbh", d.sdbh());
            item.put("c_stbh", doc.stbh());
            item.put("wjlj", signedUrl(doc.storagePath(), expires));
            item.put("c_wsbh", doc.wsbh());
            item.put("c_wsmc", doc.title());
            item.put("c_fybh", COURT_CODE);
            item.put("c_fymc", COURT_NAME);
            item.put("c_wjgs", doc.format());
            item.put("dt_cjsj", doc.created());
        }
        return answer;
    }

    private ObjectNode error(int code, String msg) {
        ObjectNode answer = json.createObjectNode();
        answer.put("code", code);
        answer.put("msg", msg);
        answer.putNull("data");
        return answer;
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        PortalSimulator.send(exchange, status, "application/json", json.writeValueAsString(body));
    }

    private static boolean hasCookie(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getOrDefault("Cookie", List.of()).stream()
                .flatMap(h -> List.of(h.split(";")).stream())
                .anyMatch(c -> c.strip().startsWith(name + "="));
    }

    // --- storage --------------------------------------------------------------------------------

    private String signedUrl(String path, long expires) {
        return "http://" + FILE_HOST + path + "?Expires=" + expires + "&OSSAccessKeyId=" + accessKeyId
                + "&Signature=" + URLEncoder.encode(signature(path, expires), StandardCharsets.UTF_8);
    }

    private String signature(String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA1"));
            byte[] sig = mac.doFinal(("GET\n" + expires + "\n" + path).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serveFile(HttpExchange exchange, String path) throws IOException {
        if (!storageDelay.isZero()) {
            try {
                Thread.sleep(storageDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (storageFailure != 0) {
            sendOssError(exchange, storageFailure, "ServiceUnavailable", "Please reduce your request rate.");
            return;
        }
        StoredDoc doc = files.get(path);
        if (doc == null) {
            sendOssError(exchange, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        long expires;
        try {
            expires = Long.parseLong(query.getOrDefault("Expires", ""));
        } catch (NumberFormatException e) {
            sendOssError(exchange, 403, "AccessDenied", "You have no right to access this object.");
            return;
        }
        if (!signature(path, expires).equals(query.get("Signature"))) {
            sendOssError(exchange, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match.");
            return;
        }
        if (expires < Instant.now().getEpochSecond()) {
            sendOssError(exchange, 403, "AccessDenied", "Request has expired.");
            return;
        }
        if (query.getOrDefault("response-content-disposition", "").startsWith("attachment")) {
            String name = URLEncoder.encode(doc.title() + "." + doc.format(), StandardCharsets.UTF_8).replace("+", "%20");
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename*=UTF-8''" + name);
        }
        PortalSimulator.send(exchange, 200, "application/pdf", doc.bytes());
    }

    private static void sendOssError(HttpExchange exchange, int status, String code, String message) throws IOException {
        PortalSimulator.send(exchange, status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>");
    }

    private static Map<String, String> query(String raw) {
        return PortalSimulator.params(raw);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String link(String qdbh, String sdbh, String sdsin) {
        return "http://" + HOST + APP_PATH + "#/pagesAjkj/app/wssd/index?qdbh=" + qdbh + "&sdbh=" + sdbh + "&sdsin=" + sdsin;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // --- the pages ------------------------------------------------------------------------------

    /**
     * The app shell. Like the real uni-app build it renders everything client side: index route
     * lists the documents, detail route (pushed onto history on click) shows the viewer iframe.
     */
    private static final String APP_HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>人民法院在线服务</title>
            <style>
              uni-app, uni-page, uni-page-body, uni-view, uni-text { display: block; }
              .ws-item { padding: 12px; border-bottom: 1px solid #eee; cursor: pointer; }
              .ws-court, .ws-time { color: #888; font-size: 12px; }
              #if { width: 100%; height: 600px; border: 0; }
            </style>
            </head>
            <body>
            <uni-app>
              <uni-page>
                <uni-page-body>
                  <uni-view class="wssd-index" id="index-page">
                    <uni-view class="page-title">送达文书</uni-view>
                    <uni-view class="ws-list"></uni-view>
                    <uni-view class="ws-empty" style="display:none"></uni-view>
                  </uni-view>
                  <uni-view class="wssd-detail" id="detail-page" style="display:none">
                    <uni-view class="detail-title"></uni-view>
                  </uni-view>
                </uni-page-body>
              </uni-page>
            </uni-app>
            <script>
            (function () {
              var API = '/yzw/yzw-zxfw-sdfw/api/v1/sdfw/getWsListBySdbhNew';
              var VIEWER = '/zxfw/static/pdfjs/web/viewer.html';
              var docs = [];

              function hashParams() {
                var h = location.hash, q = h.indexOf('?');
                return new URLSearchParams(q < 0 ? '' : h.substring(q + 1));
              }
              function decode(text) {
                if (text.charAt(0) === '{') return JSON.parse(text);
                var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
                return JSON.parse(new TextDecoder('utf-8').decode(bytes));
              }
              function el(tag, cls, text) {
                var e = document.createElement(tag);
                if (cls) e.className = cls;
                if (text) e.textContent = text;
                return e;
              }
              function renderList() {
                var list = document.querySelector('.ws-list');
                list.innerHTML = '';
                docs.forEach(function (d, i) {
                  var item = el('uni-view', 'ws-item');
                  item.appendChild(el('uni-text', 'ws-name', d.c_wsmc));
                  item.appendChild(el('uni-text', 'ws-court', d.c_fymc));
                  item.appendChild(el('uni-text', 'ws-time', d.dt_cjsj));
                  item.addEventListener('click', function () {
                    location.hash = '#/pagesAjkj/app/wssd/detail?index=' + i;
                  });
                  list.appendChild(item);
                });
              }
              function showMessage(msg) {
                var empty = document.querySelector('.ws-empty');
                empty.textContent = msg;
                empty.style.display = 'block';
              }
              function route() {
                var detail = location.hash.indexOf('#/pagesAjkj/app/wssd/detail') === 0;
                document.getElementById('index-page').style.display = detail ? 'none' : 'block';
                document.getElementById('detail-page').style.display = detail ? 'block' : 'none';
                // like a uni-app page, the detail view is mounted afresh each time and
                // destroyed on the way back, iframe included
                var old = document.getElementById('if');
                if (old) old.remove();
                if (detail) {
                  var d = docs[Number(hashParams().get('index'))];
                  document.querySelector('.detail-title').textContent = d.c_wsmc;
                  var frame = document.createElement('iframe');
                  frame.id = 'if';
                  frame.src = VIEWER + '?file=' + encodeURIComponent(d.wjlj);
                  document.getElementById('detail-page').appendChild(frame);
                }
              }
              window.addEventListener('hashchange', route);

              var p = hashParams();
              fetch(API, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json;charset=UTF-8' },
                body: JSON.stringify({ sdbh: p.get('sdbh'), qdbh: p.get('qdbh'), sdsin: p.get('sdsin') })
              }).then(function (r) { return r.text(); })
                .then(function (text) {
                  var answer = decode(text);
                  if (answer.code !== 200 || !answer.data || answer.data.length === 0) {
                    showMessage(answer.msg || '暂无送达文书');
                    return;
                  }
                  docs = answer.data;
                  renderList();
                  route();
                })
                .catch(function () { showMessage('网络异常，请稍后重试'); });
            })();
            </script>
            </body>
            </html>
            """;

    private static final String REDESIGNED_HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><title>人民法院在线服务</title></head>
            <body><div id="app"><h1>人民法院在线服务</h1><p>请使用微信小程序“人民法院在线服务”查看送达文书。</p></div></body>
            </html>
            """;

    /** Stand-in for the pdf.js viewer the real page frames; only its download button matters. */
    private static final String VIEWER_HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><title>PDF.js viewer</title></head>
            <body>
            <div id="toolbarContainer">
              <button id="download" class="toolbarButton download" title="下载">下载</button>
            </div>
            <div id="viewerContainer"><div id="viewer" class="pdfViewer">PDF</div></div>
            <script>
              var file = new URLSearchParams(location.search).get('file');
              document.getElementById('download').addEventListener('click', function () {
                location.href = file + (file.indexOf('?') < 0 ? '?' : '&') + 'response-content-disposition=attachment';
              });
            </script>
            </body>
            </html>
            """;
}
