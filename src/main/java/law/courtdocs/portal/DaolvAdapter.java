package law.courtdocs.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.job.ErrorCode;

/**
 * The daolv (道律) delivery platform in account mode, as run by Hubei (dzsd.hbfy.gov.cn) and
 * Jiangxi (sfsd.jxfy.gov.cn): captcha, hashed login, then the lists of deliveries and their
 * files. Plain HTTP, no browser. See shared/portals.md, section daolv.
 *
 * <p>portals.md names the captcha, check and login URLs and the detail page; the rest of the
 * conversation follows how a public download tool drives the real site:
 * <ul>
 *   <li>the captcha check is a form POST {@code yzm=<answer>&t=<the t of the image>}: the
 *       server keeps the answer in the HTTP session, so the cookie from the image request
 *       must come back;</li>
 *   <li>the login form also carries {@code yzm}; the login answer is JSON
 *       {@code {"success":true,"message":{"result":true|false,"msg":"…"}}};</li>
 *   <li>{@code /deli/login!main.action} is opened once after login, as the site's own page does;</li>
 *   <li>the lists are GET {@code /deli/TdeliPubRecord/tdelipubrecord!todoList.action},
 *       {@code !doneList.action} and {@code !expiredList.action}, the detail page sits beside
 *       them ({@code /deli/TdeliPubRecord/tdelipubrecord!input.action?id=…}).</li>
 * </ul>
 * Pagination of the lists is not known and not followed: the first page only.
 */
@ApplicationScoped
public class DaolvAdapter implements PortalAdapter {

    public static final List<String> DEFAULT_HOSTS = List.of("dzsd.hbfy.gov.cn", "sfsd.jxfy.gov.cn");

    static final int MAX_CAPTCHA_ANSWERS = 5;

    static final String CAPTCHA_IMAGE = "/deli/images/yanz.png";
    static final String CAPTCHA_CHECK = "/deli/deli-login!checkyzmAjaxp.action";
    static final String LOGIN = "/deli/easy-login!dologinAjax.action";
    static final String MAIN = "/deli/login!main.action";
    static final String TODO_LIST = "/deli/TdeliPubRecord/tdelipubrecord!todoList.action";
    static final String DONE_LIST = "/deli/TdeliPubRecord/tdelipubrecord!doneList.action";
    static final String EXPIRED_LIST = "/deli/TdeliPubRecord/tdelipubrecord!expiredList.action";
    static final String DETAIL = "/deli/TdeliPubRecord/tdelipubrecord!input.action";

    private static final Pattern ROW = Pattern.compile("toViewInput\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");
    private static final Pattern FILE_LINK = Pattern.compile(
            "/deli/TsysFilesInfo/tsysfilesinfo!downloadByPath\\.action\\?[^\"'\\s<>]*", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> hosts;

    /** Operators add courts that run the same vendor platform with {@code court.portals.daolv-hosts}. */
    @jakarta.inject.Inject
    public DaolvAdapter(law.courtdocs.config.CourtConfig config) {
        this(config.portals().daolvHosts());
    }

    public DaolvAdapter() {
        this(DEFAULT_HOSTS);
    }

    /** @param hosts the platform's instances; operators add courts that run it too */
    public DaolvAdapter(Collection<String> hosts) {
        Set<String> h = new LinkedHashSet<>();
        for (String host : hosts) {
            if (host != null && !host.isBlank()) {
                h.add(host.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.hosts = Set.copyOf(h);
    }

    @Override
    public String id() {
        return "daolv";
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null || link.getRawPath() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && hosts.contains(link.getHost().toLowerCase(Locale.ROOT))
                && link.getRawPath().startsWith("/sfsddz");
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        String host = link.getHost();
        PortalCredentials credentials = session.credentials();
        String account = credentials.account() == null ? "" : credentials.account().strip();
        String password = credentials.password() == null ? "" : credentials.password().strip();
        if (account.isEmpty() || password.isEmpty()) {
            throw new PortalException(ErrorCode.LOGIN_FAILED,
                    "daolv: the account and default password from the SMS are needed to log in");
        }
        PortalHttp http = new PortalHttp(session, "daolv");
        URI origin = PortalHttp.origin(link);
        Map<String, String> page = Map.of("Referer", link.toString());

        java.util.Optional<PortalSession.Resume> resume = session.resume();
        if (resume.isPresent()) {
            // The parked attempt opened the login page and fetched the image; the portal ties
            // the captcha to that HTTP session, so its cookies come back instead.
            http.restoreCookies(resume.get().session().cookies());
        } else {
            // The login page hands out the session cookie the captcha is tied to.
            http.get(link, Map.of());
        }
        String answer = solveCaptcha(session, http, origin, page, resume);
        login(http, origin, page, account, password, answer);
        Log.infof("daolv: logged in at %s", host);
        Map<String, String> inside = Map.of("Referer", origin.resolve(MAIN).toString());
        http.get(origin.resolve(MAIN), page);

        Set<String> live = new LinkedHashSet<>();
        live.addAll(recordIds(http, origin, TODO_LIST, inside));
        live.addAll(recordIds(http, origin, DONE_LIST, inside));
        if (live.isEmpty()) {
            Set<String> expired = recordIds(http, origin, EXPIRED_LIST, inside);
            if (!expired.isEmpty()) {
                throw new PortalException(ErrorCode.LINK_EXPIRED, "daolv: the account's " + expired.size()
                        + " deliveries are all in the expired list");
            }
            throw new PortalException(ErrorCode.NO_DOCUMENTS, "daolv: the account lists no deliveries");
        }
        Log.infof("daolv: %s lists %d deliveries", host, live.size());

        int handed = 0;
        for (String id : live) {
            URI detail = PortalHttp.onOrigin(origin, DETAIL + "?id=" + PortalHttp.encode(id));
            String html = PortalHttp.text(http.get(detail, inside));
            for (String file : fileLinks(html)) {
                String pathParam = queryParam(file, "path");
                if (pathParam != null && pathParam.isBlank()) {
                    // the page's template row: a link with nothing to fetch
                    continue;
                }
                fetch(session, http, origin, detail, id, file, pathParam, ++handed);
            }
        }
        if (handed == 0) {
            throw new PortalException(ErrorCode.NO_DOCUMENTS, "daolv: the deliveries hold no files");
        }
        Log.infof("daolv: %s gave %d files", host, handed);
    }

    /**
     * Asks for answers until the portal accepts one; the accepted answer goes with the login. A
     * resumed attempt first tries the answer a person gave to the image the parked attempt saw.
     */
    private static String solveCaptcha(PortalSession session, PortalHttp http, URI origin, Map<String, String> page,
            java.util.Optional<PortalSession.Resume> resume) throws PortalException {
        if (resume.isPresent()) {
            String answer = resume.get().answer() == null ? "" : resume.get().answer().strip();
            String t = resume.get().session().value("t");
            if (!answer.isEmpty() && t != null && accepted(http, origin, page, answer, t)) {
                return answer;
            }
            Log.info("daolv: the answer to the parked captcha was not accepted; asking again");
        }
        for (int attempt = 1; attempt <= MAX_CAPTCHA_ANSWERS; attempt++) {
            String t = Long.toString(System.currentTimeMillis());
            HttpResponse<byte[]> image = http.get(origin.resolve(CAPTCHA_IMAGE + "?t=" + t), page);
            if (!isImage(image)) {
                // an error page served with 200; a person cannot answer that
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "daolv: the captcha URL did not answer an image");
            }
            // what a later attempt needs to check an answer to this very image
            ParkedSession parked = new ParkedSession(http.saveCookies(), Map.of("t", t));
            String answer = session.solveCaptcha(image.body(), parked);
            answer = answer == null ? "" : answer.strip();
            if (answer.isEmpty()) {
                continue;
            }
            if (accepted(http, origin, page, answer, t)) {
                return answer;
            }
            Log.infof("daolv: captcha answer %d of %d not accepted", attempt, MAX_CAPTCHA_ANSWERS);
        }
        throw new PortalException(ErrorCode.LOGIN_FAILED,
                "daolv: captcha answered wrong " + MAX_CAPTCHA_ANSWERS + " times");
    }

    private static boolean accepted(PortalHttp http, URI origin, Map<String, String> page, String answer, String t)
            throws PortalException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("yzm", answer);
        form.put("t", t);
        return PortalHttp.text(http.postForm(origin.resolve(CAPTCHA_CHECK), form, page)).strip().equals("1");
    }

    /**
     * One login only, never repeated on a rejection: the platform locks accounts after a few
     * wrong passwords, and a default password that failed once will fail again.
     */
    private static void login(PortalHttp http, URI origin, Map<String, String> page, String account, String password,
            String captcha) throws PortalException {
        // Any fresh string works as salt, the server hashes with the t it receives; the
        // site's own page sends the current time in milliseconds.
        String salt = Long.toString(System.currentTimeMillis());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("yzm", captcha);
        form.put("user.userCode", userCode(account));
        form.put("user.loginPwd", loginPassword(password, salt));
        form.put("t", salt);
        String body = PortalHttp.text(http.postForm(origin.resolve(LOGIN), form, page));
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "daolv: the login answer is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "daolv: the login answer is not a JSON object");
        }
        JsonNode message = answer.path("message");
        boolean ok = truthy(answer.path("success")) && truthy(message.isObject() ? message.path("result") : answer.path("result"));
        if (!ok) {
            String why = message.isObject() ? message.path("msg").asText("") : message.asText("");
            throw new PortalException(ErrorCode.LOGIN_FAILED,
                    "daolv: login rejected" + (why.isBlank() ? "" : ": " + why.strip()));
        }
    }

    static boolean isImage(HttpResponse<byte[]> response) {
        byte[] b = response.body();
        if (b.length == 0) {
            return false;
        }
        if (response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).startsWith("image/")) {
            return true;
        }
        String head = new String(b, 0, Math.min(4, b.length), StandardCharsets.ISO_8859_1);
        return head.startsWith("\u0089PNG") || head.startsWith("\u00ff\u00d8") || head.startsWith("GIF8")
                || head.startsWith("BM");
    }

    private static boolean truthy(JsonNode n) {
        return n.isBoolean() ? n.booleanValue() : "true".equalsIgnoreCase(n.asText()) || "1".equals(n.asText());
    }

    private static Set<String> recordIds(PortalHttp http, URI origin, String list, Map<String, String> headers)
            throws PortalException {
        URI uri = origin.resolve(list);
        HttpResponse<byte[]> response = http.get(uri, headers);
        String landed = response.uri().getRawPath() == null ? "" : response.uri().getRawPath();
        if (!landed.equals(uri.getRawPath()) && (landed.contains("sfsddz") || landed.toLowerCase(Locale.ROOT).contains("login"))) {
            // The login was accepted moments ago, so the portal lost its session (a restart, a
            // node switch): worth another attempt later, unlike a rejected login.
            throw new PortalException(ErrorCode.PORTAL_ERROR, "daolv: the portal dropped the login session");
        }
        return recordIds(PortalHttp.text(response));
    }

    /** Record ids of a list page, in page order, each once. */
    static Set<String> recordIds(String html) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            ids.add(m.group(1).strip());
        }
        ids.remove("");
        return ids;
    }

    /** The download links of a detail page, entities undone, each once. */
    static List<String> fileLinks(String html) {
        Set<String> links = new LinkedHashSet<>();
        Matcher m = FILE_LINK.matcher(html);
        while (m.find()) {
            links.add(m.group().replace("&amp;", "&").replace("&#38;", "&"));
        }
        return new ArrayList<>(links);
    }

    private static void fetch(PortalSession session, PortalHttp http, URI origin, URI detail, String id, String file,
            String pathParam, int number) throws PortalException {
        URI uri = PortalHttp.onOrigin(origin, file);
        Path target = session.workDir().resolve("daolv-" + number + ".download");
        PortalHttp.Saved saved = http.download(uri, target, Map.of("Referer", detail.toString()));
        String name = ContentDisposition.fileName(saved.headers().firstValue("Content-Disposition").orElse(null));
        if (name == null || name.isBlank()) {
            name = lastSegment(pathParam != null ? pathParam : uri.getPath());
        }
        if (!name.contains(".") && looksLikePdf(target, saved)) {
            name = name + ".pdf";
        }
        name = FileNames.sanitize(name);
        String sourceId = id + "|" + (pathParam != null ? pathParam : uri.getRawQuery());
        session.accept(new DownloadedFile(target, name, stem(name), null, sourceId));
    }

    private static boolean looksLikePdf(Path file, PortalHttp.Saved saved) {
        if (saved.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).contains("pdf")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4), StandardCharsets.ISO_8859_1).equals("%PDF");
        } catch (IOException e) {
            return false;
        }
    }

    /** A query parameter of a link as found in a page, decoded; null when absent. */
    static String queryParam(String link, String name) {
        int q = link.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : link.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                String raw = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return raw;
                }
            }
        }
        return null;
    }

    private static String lastSegment(String path) {
        String p = path == null ? "" : path;
        String last = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
        return last.isBlank() ? "document" : last;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** {@code user.userCode}: the account as URL-safe Base64 without padding. */
    static String userCode(String account) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(account.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code user.loginPwd}: md5(md5(password) + salt), lower-case hex, as the site's login page computes it. */
    static String loginPassword(String password, String salt) {
        return md5Hex(md5Hex(password) + salt);
    }

    static String md5Hex(String s) {
        try {
            // The portal's protocol, not a way we store anything.
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
