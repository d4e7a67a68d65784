package law.courtdocs.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import law.courtdocs.job.ErrorCode;

/**
 * 人民法院在线服务 (zxfw.court.gov.cn), see portals.md "zxfw".
 *
 * <p>The page is a single-page app that only turns the fragment parameters into one JSON call,
 * so the cheapest and most robust way in is to make that call ourselves and skip the browser.
 * The browser remains for when the site stops answering non-browser clients: first we let the
 * page make its own call and read the answer off the wire; if even that answer is unreadable we
 * click through the page like a person would.
 */
@ApplicationScoped
public class ZxfwAdapter implements PortalAdapter {

    static final String HOST = "zxfw.court.gov.cn";
    static final String LIST_PATH = "/yzw/yzw-zxfw-sdfw/api/v1/sdfw/getWsListBySdbhNew";

    /** A desktop Chrome: the list API sits behind a firewall that may turn away unknown clients. */
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    /**
     * Document entries of the list page. portals.md only says "one item per document"; the real
     * class names are not recorded, so these are deliberately loose and ordered from specific to
     * generic.
     */
    static final List<String> ITEM_SELECTORS = List.of(
            "uni-view.ws-item", "[class*='ws-item']", "[class*='wsItem']", "[class*='ws-list'] > uni-view");

    /** Texts the page shows instead of a list when the delivery is gone (the API's {@code msg}). */
    static final Pattern EXPIRED_NOTICE = Pattern.compile("送达信息不存在|已过期|已失效");

    /** Delivery parameters are opaque tokens (32 hex on the live site); anything else is not a link of ours. */
    private static final Pattern TOKEN = Pattern.compile("[0-9A-Za-z]{1,64}");
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?#\"'<>]*)[?#][^\\s\"'<>]*");
    private static final String DEFAULT_TITLE = "送达文书";
    /** Going back in a single-page app is instant or did not work. */
    private static final double BACK_WAIT_MS = 3_000;

    private final ObjectMapper json = new ObjectMapper();

    public ZxfwAdapter() {}

    /** The three fragment parameters. {@code toString} hides them: {@code sdsin} is an access token. */
    public record DeliveryParams(String qdbh, String sdbh, String sdsin) {
        @Override
        public String toString() {
            return "DeliveryParams[redacted]";
        }
    }

    /** One entry of the list answer, reduced to what downloading needs. */
    record Doc(String sdbh, String wsbh, String title, String court, String format, String url) {
        String sourceId() {
            return wsbh == null || sdbh == null ? null : wsbh + ":" + sdbh;
        }
    }

    /** The list answer was not something we can read (not JSON, unknown shape). */
    static final class UnreadableAnswer extends Exception {
        UnreadableAnswer(String message) {
            super(message);
        }
    }

    @Override
    public String id() {
        return "zxfw";
    }

    /**
     * The portal plus its signed storage host, whose real name portals.md does not record
     * (the simulator uses {@code zxfw-oss.court.gov.cn}): anything under court.gov.cn.
     */
    @Override
    public List<String> egressHosts(URI link) {
        return List.of("*.court.gov.cn");
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && link.getHost().equalsIgnoreCase(HOST)
                && parseFragment(link.getRawFragment()).isPresent();
    }

    /**
     * Reads {@code qdbh}, {@code sdbh} and {@code sdsin} from a fragment such as
     * {@code /pagesAjkj/app/wssd/index?qdbh=…&sdbh=…&sdsin=…} (raw, i.e. still percent-encoded).
     * Empty unless all three are present and look like tokens.
     */
    public static Optional<DeliveryParams> parseFragment(String rawFragment) {
        if (rawFragment == null) {
            return Optional.empty();
        }
        int q = rawFragment.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : rawFragment.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip();
                values.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                // a malformed %-escape makes that one pair unusable, not the whole link
            }
        }
        String qdbh = values.get("qdbh");
        String sdbh = values.get("sdbh");
        String sdsin = values.get("sdsin");
        if (!isToken(qdbh) || !isToken(sdbh) || !isToken(sdsin)) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryParams(qdbh, sdbh, sdsin));
    }

    private static boolean isToken(String s) {
        return s != null && TOKEN.matcher(s).matches();
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        DeliveryParams params = parseFragment(link.getRawFragment()).orElseThrow(() -> new PortalException(
                ErrorCode.UNSUPPORTED_PAGE, "zxfw link without qdbh/sdbh/sdsin in its fragment"));
        String origin = origin(link);

        List<Doc> docs;
        try {
            docs = listDirect(session, origin, params);
        } catch (UnreadableAnswer e) {
            Log.infof("zxfw: direct list call unusable (%s); falling back to the browser", e.getMessage());
            downloadWithBrowser(session, origin);
            return;
        }
        Log.infof("zxfw: %d document(s) listed by direct API call", docs.size());
        fetchAll(session, origin, docs);
    }

    // --- fast path ------------------------------------------------------------------------------

    /**
     * The page's own list call, made without it. Every transport-level disappointment (no
     * connection, a firewall's 403, a 5xx, an HTML error page) becomes {@link UnreadableAnswer}
     * so the caller tries the browser; only the portal's own "no such delivery" is final here.
     */
    private List<Doc> listDirect(PortalSession session, String origin, DeliveryParams params)
            throws PortalException, UnreadableAnswer {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("sdbh", params.sdbh());
        body.put("qdbh", params.qdbh());
        body.put("sdsin", params.sdsin());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(origin + LIST_PATH))
                    .timeout(session.navigationTimeout())
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", "application/json, text/plain, */*")
                    .header("Accept-Language", "zh-CN,zh;q=0.9")
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .header("Origin", origin)
                    .header("Referer", origin + "/zxfw/")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> response;
        try {
            response = session.http().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnreadableAnswer(e.getClass().getSimpleName() + ": " + redact(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortalException(ErrorCode.INTERNAL, "zxfw: interrupted while listing documents");
        }
        if (response.statusCode() != 200) {
            throw new UnreadableAnswer("HTTP " + response.statusCode());
        }
        return parseList(response.body());
    }

    /**
     * Reads a list answer. A well-formed "no" from the portal (code other than 200, or nothing
     * listed) is final: portals.md says such links never come back.
     */
    List<Doc> parseList(String body) throws PortalException, UnreadableAnswer {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswer("answer is not JSON");
        }
        if (root == null || !root.isObject() || !root.hasNonNull("code")) {
            throw new UnreadableAnswer("JSON without code");
        }
        String msg = root.path("msg").asText("").strip();
        int code = root.path("code").asInt(-1);
        JsonNode data = root.path("data");
        if (code != 200 || data.isMissingNode() || data.isNull() || (data.isArray() && data.isEmpty())) {
            throw new PortalException(ErrorCode.LINK_EXPIRED,
                    msg.isEmpty() ? "zxfw: no documents for this delivery (code " + code + ")" : msg);
        }
        if (!data.isArray()) {
            throw new UnreadableAnswer("data is not a list");
        }
        List<Doc> docs = new ArrayList<>();
        for (JsonNode item : data) {
            String url = text(item, "wjlj");
            if (url == null) {
                throw new UnreadableAnswer("document without wjlj");
            }
            String title = text(item, "c_wsmc");
            docs.add(new Doc(text(item, "c_sdbh"), text(item, "c_wsbh"), title == null ? DEFAULT_TITLE : title,
                    text(item, "c_fymc"), text(item, "c_wjgs"), url));
        }
        return docs;
    }

    private static String text(JsonNode item, String field) {
        JsonNode v = item.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            return null;
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private void fetchAll(PortalSession session, String origin, List<Doc> docs) throws PortalException {
        for (Doc doc : docs) {
            Path file = fetchFile(session, origin, doc);
            session.accept(new DownloadedFile(file, FileNames.withExtension(doc.title(), doc.format()),
                    doc.title(), doc.court(), doc.sourceId()));
        }
    }

    /**
     * Streams one signed storage URL to a fresh file. The temp name is unique because titles
     * repeat (two 传票 in one delivery is normal). The whole exchange, body included, is bounded
     * by the download timeout: the client's own timeout stops at the response headers.
     */
    private Path fetchFile(PortalSession session, String origin, Doc doc) throws PortalException {
        URI uri;
        try {
            uri = URI.create(origin + "/").resolve(doc.url());
        } catch (IllegalArgumentException e) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "zxfw: file link is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "zxfw: file link is not http(s)");
        }
        String where = hostAndPath(uri);
        Path target = tempFile(session, safeExtension(doc.format()));
        Duration timeout = session.downloadTimeout();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "*/*")
                .header("Referer", origin + "/")
                .GET()
                .build();
        HttpResponse.BodyHandler<Path> toFile = info -> info.statusCode() / 100 == 2
                ? HttpResponse.BodySubscribers.ofFile(target)
                : HttpResponse.BodySubscribers.<Path>replacing(null);
        CompletableFuture<HttpResponse<Path>> pending = session.http().sendAsync(request, toFile);
        boolean done = false;
        try {
            HttpResponse<Path> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            if (status / 100 == 4) {
                throw new PortalException(ErrorCode.PORTAL_REJECTED, "zxfw: storage answered " + status + " for " + where);
            }
            if (status / 100 != 2) {
                throw new PortalException(ErrorCode.PORTAL_ERROR, "zxfw: storage answered " + status + " for " + where);
            }
            Log.debugf("zxfw: fetched %s (%d bytes)", where, Files.size(target));
            done = true;
            return target;
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new PortalException(ErrorCode.TIMEOUT, "zxfw: download of " + where + " exceeded " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new PortalException(ErrorCode.TIMEOUT, "zxfw: download of " + where + " timed out", cause);
            }
            if (cause instanceof IOException) {
                throw new PortalException(ErrorCode.NETWORK_ERROR,
                        "zxfw: download of " + where + " failed: " + redact(cause.getMessage()), cause);
            }
            throw new PortalException(ErrorCode.INTERNAL, "zxfw: download of " + where + " failed", cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new PortalException(ErrorCode.INTERNAL, "zxfw: interrupted while downloading " + where);
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "zxfw: cannot read downloaded file", e);
        } finally {
            if (!done) {
                deleteQuietly(target);
            }
        }
    }

    // --- browser --------------------------------------------------------------------------------

    private void downloadWithBrowser(PortalSession session, String origin) throws PortalException {
        Page page = null;
        try {
            page = session.browser().newPage();
            double navigationMs = session.navigationTimeout().toMillis();
            page.setDefaultNavigationTimeout(navigationMs);
            page.setDefaultTimeout(navigationMs);
            Optional<List<Doc>> listed = openAndCapture(page, session);
            if (listed.isPresent()) {
                Log.infof("zxfw: %d document(s) listed from the page's own API call", listed.get().size());
                fetchAll(session, origin, listed.get());
            } else {
                clickThrough(page, session);
            }
        } catch (PlaywrightException e) {
            // the page stays open: the worker closes the context, after keeping it as evidence
            throw classify(e);
        }
    }

    /**
     * Opens the link and reads the list answer the page itself asked for. The waiter is set
     * before navigating because the app fires the call while loading. Empty when the page loaded
     * but its answer could not be read, which leaves clicking through.
     */
    private Optional<List<Doc>> openAndCapture(Page page, PortalSession session) throws PortalException {
        AtomicBoolean loaded = new AtomicBoolean();
        AtomicReference<Response> navigation = new AtomicReference<>();
        Response list;
        try {
            list = page.waitForResponse(ZxfwAdapter::isListCall,
                    new Page.WaitForResponseOptions().setTimeout(session.navigationTimeout().toMillis()),
                    () -> {
                        navigation.set(page.navigate(session.link().toString()));
                        loaded.set(true);
                    });
        } catch (PlaywrightException e) {
            if (!isTimeout(e)) {
                throw e;
            }
            if (!loaded.get()) {
                throw new PortalException(ErrorCode.TIMEOUT,
                        "zxfw: page did not load within " + session.navigationTimeout());
            }
            checkStatus(navigation.get(), "page");
            Log.info("zxfw: the page made no list call that could be captured");
            return Optional.empty();
        }
        checkStatus(navigation.get(), "page");
        checkStatus(list, "list API");
        try {
            return Optional.of(parseList(list.text()));
        } catch (UnreadableAnswer e) {
            Log.infof("zxfw: captured list answer unreadable (%s)", e.getMessage());
            return Optional.empty();
        } catch (PlaywrightException e) {
            Log.infof("zxfw: captured list answer has no body (%s)", redact(e.getMessage()));
            return Optional.empty();
        }
    }

    private static boolean isListCall(Response response) {
        String url = response.url();
        int end = url.length();
        for (char c : new char[] {'?', '#'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return url.substring(0, end).endsWith(LIST_PATH) && "POST".equals(response.request().method());
    }

    private static void checkStatus(Response response, String what) throws PortalException {
        if (response == null) {
            return; // same-document navigation: nothing went over the wire
        }
        int status = response.status();
        if (status >= 500) {
            throw new PortalException(ErrorCode.PORTAL_ERROR, "zxfw: " + what + " answered " + status);
        }
        if (status >= 400) {
            throw new PortalException(ErrorCode.PORTAL_REJECTED, "zxfw: " + what + " answered " + status);
        }
    }

    /**
     * What a person would do: open each listed document, press the viewer's download button.
     * The app opens a document as a new route, so going back returns to the list; items are
     * located afresh every round because the app re-renders them.
     */
    private void clickThrough(Page page, PortalSession session) throws PortalException {
        Log.info("zxfw: clicking through the page");
        Locator items = page.locator(String.join(", ", ITEM_SELECTORS));
        Locator notice = page.getByText(EXPIRED_NOTICE);
        try {
            items.or(notice).first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        } catch (PlaywrightException e) {
            if (!isTimeout(e)) {
                throw e;
            }
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "zxfw: no document list on the page");
        }
        int count = items.count();
        if (count == 0) {
            String text = notice.first().innerText().strip();
            throw new PortalException(ErrorCode.LINK_EXPIRED, text.length() > 200 ? text.substring(0, 200) : text);
        }
        for (int i = 0; i < count; i++) {
            String listUrl = page.url();
            items.nth(i).click();
            Locator button = page.frameLocator("#if").locator("#download");
            try {
                button.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
            } catch (PlaywrightException e) {
                if (!isTimeout(e)) {
                    throw e;
                }
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "zxfw: document viewer without download button");
            }
            Download download = page.waitForDownload(
                    new Page.WaitForDownloadOptions().setTimeout(session.downloadTimeout().toMillis()), button::click);
            String failure = download.failure();
            if (failure != null) {
                throw new PortalException(ErrorCode.NETWORK_ERROR, "zxfw: browser download failed: " + redact(failure));
            }
            String fileName = FileNames.sanitize(download.suggestedFilename());
            int dot = fileName.lastIndexOf('.');
            Path target = tempFile(session, dot > 0 ? safeExtension(fileName.substring(dot + 1)) : "bin");
            download.saveAs(target);
            session.accept(new DownloadedFile(target, fileName, dot > 0 ? fileName.substring(0, dot) : fileName,
                    null, null));
            if (!page.url().equals(listUrl)) {
                backToList(page, items, listUrl);
            }
        }
        Log.infof("zxfw: %d document(s) downloaded by clicking through", count);
    }

    /**
     * Back the way a person goes back. Page.goBack() is not used: on a hash-route change it
     * waited for a "load" that never came. If an iframe navigation owns the last history entry,
     * going back only resets the iframe; then the list URL is opened again, which for a hash
     * route is a same-document navigation the app answers by showing the list.
     */
    private static void backToList(Page page, Locator items, String listUrl) {
        page.evaluate("() => history.back()");
        try {
            items.first().waitFor(new Locator.WaitForOptions()
                    .setState(WaitForSelectorState.VISIBLE).setTimeout(BACK_WAIT_MS));
        } catch (PlaywrightException e) {
            if (!isTimeout(e)) {
                throw e;
            }
            page.navigate(listUrl);
        }
    }

    /**
     * Playwright's messages quote the URL they were at, which here carries the access token in
     * its fragment; so the cause is not chained, only a redacted first line kept.
     */
    private static PortalException classify(PlaywrightException e) {
        String message = summary(e.getMessage() == null ? "" : e.getMessage());
        String safe = "zxfw (browser): " + redact(message);
        if (isTimeout(e)) {
            return new PortalException(ErrorCode.TIMEOUT, safe);
        }
        if (message.contains("net::ERR_")) {
            return new PortalException(ErrorCode.NETWORK_ERROR, safe);
        }
        if (message.contains("has been closed") || message.contains("crash")) {
            return new PortalException(ErrorCode.BROWSER_CRASHED, safe);
        }
        return new PortalException(ErrorCode.INTERNAL, safe);
    }

    /**
     * Some driver timeouts (seen on goBack and click with the 1.62 driver) arrive as a plain
     * PlaywrightException that only names TimeoutError in its text.
     */
    static boolean isTimeout(PlaywrightException e) {
        return e instanceof TimeoutError || (e.getMessage() != null && e.getMessage().contains("name='TimeoutError"));
    }

    /** Driver errors read "Error {\n  message='…" with a stack and call log after it. */
    private static String summary(String message) {
        for (String line : message.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("message='")) {
                return l.substring("message='".length());
            }
        }
        return message.lines().findFirst().orElse("");
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String origin(URI link) {
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + HOST + (link.getPort() > 0 ? ":" + link.getPort() : "");
    }

    /** What may be logged of a URL: the signature and tokens sit in query and fragment. */
    static String hostAndPath(URI uri) {
        return uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    static String redact(String message) {
        return message == null ? "" : URL_QUERY.matcher(message).replaceAll("$1?…");
    }

    private static String safeExtension(String format) {
        String e = format == null ? "" : format.strip().replaceAll("^\\.+", "").toLowerCase(Locale.ROOT);
        return e.matches("[a-z0-9]{1,8}") ? e : "bin";
    }

    private static Path tempFile(PortalSession session, String extension) throws PortalException {
        try {
            return Files.createTempFile(session.workDir(), "zxfw-", "." + extension);
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "zxfw: cannot create a file in the work directory", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the worker removes the whole work directory afterwards
        }
    }
}
