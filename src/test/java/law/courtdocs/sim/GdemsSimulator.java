package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulator of sd.gdems.com (see ../shared/portals.md): cover page with a confirm control, a
 * preview page with a download-all control answering one ZIP (or, for some deliveries, one PDF),
 * and the "not uploaded yet" cover whose notice only exists as {@code var text="…"} drawn on a
 * canvas. {@link Variant}s switch between the selector variants portals.md lists and a few ways
 * of getting from cover to preview (portals.md does not say which one the site uses).
 */
public final class GdemsSimulator implements HttpHandler {

    public static final String HOST = "sd.gdems.com";

    /** How the cover's confirm control looks. Only {@link #TEXT_BUTTON} is findable by its text. */
    public enum Confirm {
        /** {@code <button id="submit-btn">确认并预览材料</button>}, the usual one. */
        SUBMIT_ID,
        /** {@code <a id="confirm-btn">}, text without 确认/确定/预览. */
        CONFIRM_ID,
        /** {@code <span class="submit-btn">}. */
        SUBMIT_CLASS,
        /** {@code <div class="confirm-btn">}. */
        CONFIRM_CLASS,
        /** A plain {@code <button>} whose only clue is its text 确定. */
        TEXT_BUTTON
    }

    /** How confirming reaches the preview page. */
    public enum Navigation {
        /** {@code location.href = …} from a click handler. */
        SCRIPT,
        /** Submits a hidden POST form. */
        FORM_POST,
        /** {@code window.open(…)}: the preview opens in a new tab. */
        POPUP
    }

    /** How the preview page's download-all control looks. */
    public enum DownloadLink {
        /** {@code <label><a class="downloadPackClass"><img></a></label>}, the usual one. */
        PACK_CLASS,
        /** The same without the class. */
        LABEL_IMAGE,
        /** A plain text link 下载送达材料. */
        TEXT_LINK,
        /** No download control at all (a page the adapter does not know). */
        NONE
    }

    public record Variant(Confirm confirm, Navigation navigation, DownloadLink downloadLink) {
        public static final Variant DEFAULT = new Variant(Confirm.SUBMIT_ID, Navigation.SCRIPT, DownloadLink.PACK_CLASS);
    }

    private enum Kind { READY, NOT_READY, BROKEN, SLOW }

    private record Delivery(Kind kind, byte[] file, String fileName, Variant variant, String notice, Duration delay) {}

    private static final Pattern PATH = Pattern.compile("^/v3/dzsd/([A-Za-z0-9]{5,8})(/preview|/download)?/?$");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Registers a delivery whose download-all answers {@code zip} named {@code zipName}; returns its http:// link. */
    public String addDelivery(byte[] zip, String zipName) {
        return addDelivery(zip, zipName, Variant.DEFAULT);
    }

    /**
     * Like {@link #addDelivery(byte[], String)} with another page shape. {@code file} need not be
     * a ZIP: a PDF is served as {@code application/pdf}, as some deliveries do.
     */
    public String addDelivery(byte[] file, String fileName, Variant variant) {
        return register(new Delivery(Kind.READY, file, fileName, variant, null, null));
    }

    /** A delivery whose court has not uploaded files: no confirm button, notice drawn from {@code var text}. */
    public String notReadyLink(String notice) {
        return register(new Delivery(Kind.NOT_READY, null, null, null, notice, null));
    }

    /** A link whose cover request is dropped without any answer (the browser sees a network error). */
    public String brokenLink() {
        return register(new Delivery(Kind.BROKEN, null, null, null, null, null));
    }

    /** A normal ZIP delivery whose cover page only answers after {@code delay}. */
    public String slowLink(Duration delay) {
        return register(new Delivery(Kind.SLOW, SimDocs.sampleZip(), "送达材料.zip", Variant.DEFAULT, null, delay));
    }

    /** How many times the download-all URL of {@code link} was fetched. */
    public int downloads(String link) {
        return downloads.getOrDefault(link.substring(link.lastIndexOf('/') + 1), 0);
    }

    private String register(Delivery delivery) {
        while (true) {
            StringBuilder code = new StringBuilder(6);
            for (int i = 0; i < 6; i++) {
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (deliveries.putIfAbsent(code.toString(), delivery) == null) {
                return "http://" + HOST + "/v3/dzsd/" + code;
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // Read the form body (if any) before answering, or the connection cannot be reused.
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/static/img/")) {
            PortalSimulator.send(exchange, 200, "image/png", PNG);
            return;
        }
        Matcher m = PATH.matcher(path);
        Delivery d = m.matches() ? deliveries.get(m.group(1)) : null;
        if (d == null) {
            PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
            return;
        }
        String code = m.group(1);
        String sub = m.group(2) == null ? "" : m.group(2);
        switch (d.kind()) {
            case BROKEN -> {
                // Returning without headers makes HttpServer drop the connection.
                return;
            }
            case NOT_READY -> {
                PortalSimulator.send(exchange, 200, "text/html", notReadyCover(d.notice()));
                return;
            }
            case SLOW -> sleep(d.delay());
            default -> { }
        }
        switch (sub) {
            case "" -> PortalSimulator.send(exchange, 200, "text/html", cover(code, d.variant()));
            case "/preview" -> {
                String query = exchange.getRequestURI().getRawQuery();
                boolean confirmed = (query != null && query.contains("qr=1")) || body.contains("qr=1");
                if (!confirmed) {
                    // skipping the confirmation leads back to the cover, so an adapter has to click
                    exchange.getResponseHeaders().set("Location", "/v3/dzsd/" + code);
                    PortalSimulator.send(exchange, 302, "text/html", "");
                    return;
                }
                PortalSimulator.send(exchange, 200, "text/html", preview(code, d));
            }
            case "/download" -> {
                downloads.merge(code, 1, Integer::sum);
                boolean zip = d.file().length >= 2 && d.file()[0] == 'P' && d.file()[1] == 'K';
                exchange.getResponseHeaders().set("Content-Disposition",
                        "attachment; filename*=UTF-8''" + percentEncode(d.fileName()));
                PortalSimulator.send(exchange, 200, zip ? "application/zip" : "application/pdf", d.file());
            }
            default -> PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
        }
    }

    private static String cover(String code, Variant v) {
        String confirm = switch (v.confirm()) {
            case SUBMIT_ID -> "<button id=\"submit-btn\" type=\"button\" class=\"btn\">确认并预览材料</button>";
            case CONFIRM_ID -> "<a id=\"confirm-btn\" href=\"javascript:void(0)\">签收并查看材料</a>";
            case SUBMIT_CLASS -> "<span class=\"submit-btn\">签收并查看材料</span>";
            case CONFIRM_CLASS -> "<div class=\"confirm-btn\">签收并查看材料</div>";
            case TEXT_BUTTON -> "<button type=\"button\" class=\"layui-btn\">确定</button>";
        };
        String previewUrl = "/v3/dzsd/" + code + "/preview";
        String go = switch (v.navigation()) {
            case SCRIPT -> "location.href='" + previewUrl + "?qr=1&t='+Date.now();";
            case FORM_POST -> "document.getElementById('qrForm').submit();";
            case POPUP -> "window.open('" + previewUrl + "?qr=1&t='+Date.now());";
        };
        return page("广东法院电子送达", """
                <div class="header">广东法院电子送达平台</div>
                <div class="content">
                  <p>受送达人：张三律师</p>
                  <p>案号：（2026）粤0106民初1234号</p>
                  <p>送达法院：广州市天河区人民法院</p>
                  <p class="tip">请确认受送达人信息无误后查看送达材料。</p>
                  <form id="qrForm" method="post" action="%s"><input type="hidden" name="qr" value="1"></form>
                  <div class="actions">%s</div>
                </div>
                <script>
                  (function () {
                    var el = document.querySelector('.actions').firstElementChild;
                    el.addEventListener('click', function () { %s });
                  })();
                </script>
                """.formatted(previewUrl, confirm, go));
    }

    private static String preview(String code, Delivery d) {
        String href = "/v3/dzsd/" + code + "/download?type=pack";
        String control = switch (d.variant().downloadLink()) {
            case PACK_CLASS -> "<label>一键下载 <a class=\"downloadPackClass\" href=\"" + href
                    + "\"><img src=\"/static/img/xiazai.png\" alt=\"\"></a></label>";
            case LABEL_IMAGE -> "<label>一键下载 <a href=\"" + href + "\"><img src=\"/static/img/xiazai.png\" alt=\"\"></a></label>";
            case TEXT_LINK -> "<a href=\"" + href + "\">下载送达材料</a>";
            case NONE -> "<span>系统维护中</span>";
        };
        return page("送达材料预览", """
                <div class="header">送达材料预览</div>
                <ul class="file-list"><li>%s</li></ul>
                <div class="toolbar">%s</div>
                """.formatted(escapeHtml(d.fileName()), control));
    }

    private static String notReadyCover(String notice) {
        return page("广东法院电子送达", """
                <div class="header">广东法院电子送达平台</div>
                <canvas id="noticeCanvas" width="640" height="160"></canvas>
                <script>
                  var text="%s";
                  var ctx = document.getElementById('noticeCanvas').getContext('2d');
                  ctx.font = '18px sans-serif';
                  ctx.fillText(text, 10, 40);
                </script>
                """.formatted(jsString(notice)));
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head><body>" + body + "</body></html>";
    }

    private static String jsString(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '<' -> out.append("\\u003c"); // never close the script element early
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
