package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulator of the daolv delivery platform in account mode (see ../shared/portals.md, section
 * daolv) for both of its hosts, Hubei {@value #HUBEI_HOST} and Jiangxi {@value #JIANGXI_HOST}.
 *
 * <p>Hubei's public SMS mode lives on the same host, so this handler is the one registered for
 * {@value #HUBEI_HOST} and hands {@code /hb/…}, {@code /delimobile/…} and {@code /deli-mobile-ui/…}
 * to its {@link HubeiSmsSimulator} ({@link #hubeiSms()}).
 *
 * <p>What it checks, as the real site does: the captcha answer and its {@code t} against the
 * image served to the same session (cookie {@code JSESSIONID}), {@code user.userCode} as URL-safe
 * Base64 without padding, {@code user.loginPwd} as md5(md5(password) + t) in lower-case hex, and
 * a logged-in session for every page behind the login (otherwise a 302 back to /sfsddz).
 * URLs portals.md does not name are the ones DaolvAdapter documents.
 */
public final class DaolvSimulator implements HttpHandler {

    public static final String HUBEI_HOST = "dzsd.hbfy.gov.cn";
    public static final String JIANGXI_HOST = "sfsd.jxfy.gov.cn";

    /** Which list a delivery shows up in. */
    public enum Listing { TODO, DONE, EXPIRED }

    /** How a download names its file. */
    public enum NameStyle {
        /** {@code filename*=UTF-8''%E4…}, the usual one. */
        RFC5987,
        /** {@code filename="%E4…"} (Java's URLEncoder). */
        PERCENT,
        /** {@code filename="…"} with the raw UTF-8 bytes. */
        RAW_UTF8,
        /** {@code filename="…"} with the raw GBK bytes. */
        RAW_GBK,
        /**
         * No Content-Disposition: the name is only the last segment of the link's {@code path}
         * parameter (with the other styles that parameter holds a random stored name).
         */
        NONE
    }

    static final String LOGIN_PAGE = "/sfsddz";
    static final String CAPTCHA_IMAGE = "/deli/images/yanz.png";
    static final String CAPTCHA_CHECK = "/deli/deli-login!checkyzmAjaxp.action";
    static final String LOGIN = "/deli/easy-login!dologinAjax.action";
    static final String MAIN = "/deli/login!main.action";
    static final String LIST_PREFIX = "/deli/TdeliPubRecord/tdelipubrecord!";
    static final String DETAIL = "/deli/TdeliPubRecord/tdelipubrecord!input.action";
    static final String DOWNLOAD = "/deli/TsysFilesInfo/tsysfilesinfo!downloadByPath.action";

    private record Account(String host, String account, String password) {}

    private record StoredFile(String recordId, String path, String name, byte[] bytes, NameStyle style) {}

    private record DeliveryRecord(String id, String host, String account, Listing listing, String title,
            List<StoredFile> files) {}

    private static final class Session {
        final String host;
        volatile String captcha;
        volatile String captchaT;
        volatile boolean captchaPassed;
        volatile String account;

        Session(String host) {
            this.host = host;
        }
    }

    private record Failure(String pathPrefix, int status) {}

    private final HubeiSmsSimulator hubeiSms;
    private final CaptchaImages captchas = new CaptchaImages();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, DeliveryRecord> records = new ConcurrentHashMap<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> logins = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    private final AtomicInteger captchaImages = new AtomicInteger();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dropNextSession = new AtomicBoolean();

    public DaolvSimulator() {
        this(new HubeiSmsSimulator());
    }

    public DaolvSimulator(HubeiSmsSimulator hubeiSms) {
        this.hubeiSms = hubeiSms;
    }

    /** The Hubei public SMS mode, served on {@value #HUBEI_HOST} through this handler. */
    public HubeiSmsSimulator hubeiSms() {
        return hubeiSms;
    }

    /** Registers an account on {@code host}; returns the link an SMS would carry. */
    public String addAccount(String host, String account, String password) {
        accounts.put(key(host, account), new Account(host, account, password));
        return "http://" + host + LOGIN_PAGE;
    }

    /** A delivery of {@code account} in {@code listing}, files named by RFC 5987; returns its record id. */
    public String addRecord(String host, String account, Listing listing, String title, SimDoc... docs) {
        return addRecord(host, account, listing, title, NameStyle.RFC5987, docs);
    }

    /** Like {@link #addRecord(String, String, Listing, String, SimDoc...)} with another naming style. */
    public String addRecord(String host, String account, Listing listing, String title, NameStyle style,
            SimDoc... docs) {
        if (!accounts.containsKey(key(host, account))) {
            throw new IllegalArgumentException("add the account first");
        }
        String id = hex(16);
        List<StoredFile> stored = new ArrayList<>();
        for (SimDoc doc : docs) {
            String name = doc.title() + "." + doc.format();
            // Stored under a random name, so only Content-Disposition tells the real one,
            // except for NONE, where the name is all the link has.
            String path = "/uploadfiles/deli/2026/05/" + (style == NameStyle.NONE ? hex(4) + "/" + name
                    : hex(8) + "." + doc.format());
            StoredFile f = new StoredFile(id, path, name, doc.bytes(), style);
            files.put(path, f);
            stored.add(f);
        }
        records.put(id, new DeliveryRecord(id, host, account, listing, title, List.copyOf(stored)));
        return id;
    }

    /** The answer to a captcha image this simulator served; null for any other bytes. */
    public String answerFor(byte[] image) {
        return captchas.answerFor(image);
    }

    /** How many login posts named this account (right or wrong password). */
    public int loginAttempts(String host, String account) {
        AtomicInteger n = logins.get(key(host, account));
        return n == null ? 0 : n.get();
    }

    /** How many captcha images were served, on both hosts. */
    public int captchaImages() {
        return captchaImages.get();
    }

    /** How many files of the record were downloaded. */
    public int downloads(String recordId) {
        AtomicInteger n = downloads.get(recordId);
        return n == null ? 0 : n.get();
    }

    /** The next request whose path starts with {@code pathPrefix} is answered with {@code status}. */
    public void failNext(String pathPrefix, int status) {
        failures.add(new Failure(pathPrefix, status));
    }

    /** The next page behind the login finds its session gone, as after a server restart. */
    public void dropNextSession() {
        dropNextSession.set(true);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String host = PortalSimulator.hostOf(exchange);
        String path = exchange.getRequestURI().getPath();
        if (host.equals(HUBEI_HOST) && (path.startsWith("/hb/") || path.startsWith("/delimobile/")
                || path.startsWith("/deli-mobile-ui"))) {
            hubeiSms.handle(exchange);
            return;
        }
        // Read the body before answering, or the connection cannot be reused.
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (Failure f : failures) {
            if (path.startsWith(f.pathPrefix()) && failures.remove(f)) {
                PortalSimulator.send(exchange, f.status(), "text/html", page("错误", "<h3>系统繁忙，请稍后再试</h3>"));
                return;
            }
        }
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        Map<String, String> form = parse(body);
        if (path.equals(LOGIN_PAGE) || path.startsWith(LOGIN_PAGE + "/")) {
            session(exchange, host, true);
            PortalSimulator.send(exchange, 200, "text/html", loginPage());
            return;
        }
        if (path.equals(CAPTCHA_IMAGE)) {
            Session s = session(exchange, host, true);
            CaptchaImages.Captcha c = captchas.next();
            s.captcha = c.answer();
            s.captchaT = query.get("t");
            s.captchaPassed = false;
            captchaImages.incrementAndGet();
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            PortalSimulator.send(exchange, 200, "image/png", c.png());
            return;
        }
        if (path.equals(CAPTCHA_CHECK)) {
            Session s = session(exchange, host, false);
            String yzm = form.get("yzm");
            boolean right = s != null && s.captcha != null && yzm != null && yzm.equalsIgnoreCase(s.captcha)
                    && s.captchaT != null && s.captchaT.equals(form.get("t"));
            if (s != null) {
                s.captchaPassed = right;
                if (!right) {
                    s.captcha = null; // a wrong answer spends the image, as on the real site
                }
            }
            PortalSimulator.send(exchange, 200, "text/html", right ? "1" : "0");
            return;
        }
        if (path.equals(LOGIN)) {
            PortalSimulator.send(exchange, 200, "application/json", login(session(exchange, host, false), host, form));
            return;
        }
        Session s = session(exchange, host, false);
        if (s != null && s.account != null && dropNextSession.compareAndSet(true, false)) {
            s.account = null;
        }
        if (s == null || s.account == null) {
            exchange.getResponseHeaders().set("Location", LOGIN_PAGE);
            PortalSimulator.send(exchange, 302, "text/html", "");
            return;
        }
        if (path.equals(MAIN)) {
            PortalSimulator.send(exchange, 200, "text/html", page("电子送达平台", "<div id=\"main\">欢迎使用电子送达平台</div>"
                    + "<iframe name=\"mainFrame\" src=\"" + LIST_PREFIX + "todoList.action\"></iframe>"));
        } else if (path.startsWith(LIST_PREFIX) && path.endsWith("List.action")) {
            Listing listing = switch (path.substring(LIST_PREFIX.length())) {
                case "todoList.action" -> Listing.TODO;
                case "doneList.action" -> Listing.DONE;
                case "expiredList.action" -> Listing.EXPIRED;
                default -> null;
            };
            if (listing == null) {
                PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
                return;
            }
            PortalSimulator.send(exchange, 200, "text/html", listPage(s, listing));
        } else if (path.equals(DETAIL)) {
            DeliveryRecord r = records.get(query.getOrDefault("id", ""));
            if (r == null || !r.host().equals(s.host) || !r.account().equals(s.account)) {
                PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>记录不存在</h3>"));
                return;
            }
            PortalSimulator.send(exchange, 200, "text/html", detailPage(r));
        } else if (path.equals(DOWNLOAD)) {
            StoredFile f = files.get(query.getOrDefault("path", ""));
            DeliveryRecord r = f == null ? null : records.get(f.recordId());
            if (r == null || !r.host().equals(s.host) || !r.account().equals(s.account)) {
                PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>文件不存在</h3>"));
                return;
            }
            downloads.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet();
            String disposition = disposition(f.name(), f.style());
            if (disposition != null) {
                exchange.getResponseHeaders().set("Content-Disposition", disposition);
            }
            PortalSimulator.send(exchange, 200, f.name().endsWith(".pdf") ? "application/pdf" : "application/octet-stream",
                    f.bytes());
        } else {
            PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
        }
    }

    private String login(Session s, String host, Map<String, String> form) {
        String userCode = form.getOrDefault("user.userCode", "");
        String account = null;
        if (!userCode.isEmpty() && !userCode.contains("=") && !userCode.contains("+") && !userCode.contains("/")) {
            try {
                account = new String(Base64.getUrlDecoder().decode(userCode), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                account = null;
            }
        }
        if (account != null) {
            logins.computeIfAbsent(key(host, account), k -> new AtomicInteger()).incrementAndGet();
        }
        boolean captchaOk = s != null && s.captchaPassed && s.captcha != null
                && s.captcha.equalsIgnoreCase(form.getOrDefault("yzm", ""));
        if (s != null) {
            // one login per captcha
            s.captcha = null;
            s.captchaPassed = false;
        }
        if (!captchaOk) {
            return loginAnswer(false, "验证码错误或已失效");
        }
        Account a = account == null ? null : accounts.get(key(host, account));
        String t = form.getOrDefault("t", "");
        if (a == null || t.isEmpty() || !md5(md5(a.password()) + t).equals(form.get("user.loginPwd"))) {
            return loginAnswer(false, "用户名或密码错误");
        }
        s.account = a.account();
        return loginAnswer(true, "登录成功");
    }

    private static String loginAnswer(boolean ok, String msg) {
        return "{\"success\":true,\"message\":{\"result\":" + ok + ",\"msg\":\"" + msg + "\"}}";
    }

    private Session session(HttpExchange exchange, String host, boolean create) {
        String cookie = exchange.getRequestHeaders().getFirst("Cookie");
        if (cookie != null) {
            for (String part : cookie.split(";")) {
                String p = part.strip();
                if (p.startsWith("JSESSIONID=")) {
                    Session s = sessions.get(p.substring("JSESSIONID=".length()));
                    if (s != null && s.host.equals(host)) {
                        return s;
                    }
                }
            }
        }
        if (!create) {
            return null;
        }
        String id = hex(16).toUpperCase();
        Session s = new Session(host);
        sessions.put(id, s);
        exchange.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + id + "; Path=/; HttpOnly");
        return s;
    }

    private String listPage(Session s, Listing listing) {
        StringBuilder rows = new StringBuilder();
        for (DeliveryRecord r : records.values()) {
            if (!r.host().equals(s.host) || !r.account().equals(s.account) || r.listing() != listing) {
                continue;
            }
            rows.append("<tr>\n  <td title=\"").append(escape(r.title())).append("\">").append(escape(r.title()))
                    .append("</td>\n  <td>").append(s.host.equals(JIANGXI_HOST) ? "南昌市东湖区人民法院" : "武汉市江岸区人民法院")
                    .append("</td>\n  <td>2026-05-0").append(1 + (r.id().charAt(0) % 9)).append(" 09:30</td>\n")
                    .append("  <td><a href=\"javascript:void(0)\" onclick=\"toViewInput('").append(r.id())
                    .append("');return false;\">查看</a></td>\n</tr>\n");
        }
        if (rows.length() == 0) {
            rows.append("<tr><td colspan=\"4\" class=\"empty\">暂无数据</td></tr>\n");
        }
        String heading = switch (listing) {
            case TODO -> "待签收文书";
            case DONE -> "已签收文书";
            case EXPIRED -> "已过期文书";
        };
        return page(heading, "<h3>" + heading + "</h3>\n<table class=\"list\">\n<tr><th>文书名称</th><th>送达法院</th>"
                + "<th>送达时间</th><th>操作</th></tr>\n" + rows + "</table>\n"
                + "<script>function toViewInput(id){location.href='tdelipubrecord!input.action?id='+id;}</script>");
    }

    private static String detailPage(DeliveryRecord r) {
        StringBuilder rows = new StringBuilder();
        for (StoredFile f : r.files()) {
            String href = DOWNLOAD + "?path=" + URLEncoder.encode(f.path(), StandardCharsets.UTF_8) + "&amp;isPdf=1";
            // the icon and the text link point at the same file
            rows.append("<tr><td>").append(escape(f.name())).append("</td><td><a href=\"").append(href)
                    .append("\"><img src=\"/deli/images/down.png\"></a> <a href=\"").append(href)
                    .append("\">下载</a></td></tr>\n");
        }
        return page("送达详情", "<h3>" + escape(r.title()) + "</h3>\n<table class=\"files\">\n" + rows + "</table>\n"
                + "<a id=\"downTpl\" style=\"display:none\" href=\"" + DOWNLOAD + "?path=\">下载</a>");
    }

    private static String disposition(String name, NameStyle style) {
        return switch (style) {
            case RFC5987 -> "attachment; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
            case PERCENT -> "attachment; filename=\"" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "\"";
            // HttpServer writes each char's low byte: a Latin-1 string puts the raw bytes on the wire
            case RAW_UTF8 -> "attachment; filename=\"" + raw(name, StandardCharsets.UTF_8) + "\"";
            case RAW_GBK -> "attachment; filename=\"" + raw(name, Charset.forName("GBK")) + "\"";
            case NONE -> null;
        };
    }

    private static String raw(String s, Charset charset) {
        return new String(s.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static String loginPage() {
        return page("电子送达平台-登录", """
                <form id="loginForm">
                  <input name="user.userCode" placeholder="请输入账号">
                  <input name="user.loginPwd" type="password" placeholder="请输入密码">
                  <input name="yzm" placeholder="验证码"><img id="yzmImg" src="/deli/images/yanz.png">
                  <button type="button">登录</button>
                </form>
                """);
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head><body>" + body + "</body></html>";
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String key(String host, String account) {
        return host.toLowerCase() + "|" + account;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
