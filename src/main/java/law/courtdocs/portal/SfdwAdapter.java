package law.courtdocs.portal;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import law.courtdocs.job.ErrorCode;

/**
 * 司法送达网 (sfdw) as run by the Chengdu courts (sfpt.cdfy12368.gov.cn) and a Guangxi instance
 * (171.106.48.55:28083). The page encrypts its own requests, so the adapter drives the page's
 * Vue app instead of replaying them: fill {@code #checkCode}, call {@code app.checkYzm()}, read
 * {@code app.$data}, and let the page's {@code downloadFile(app, ws)} fetch each document. See
 * shared/portals.md, section sfdw.
 */
@ApplicationScoped
public class SfdwAdapter implements PortalAdapter {

    static final String CHENGDU_HOST = "sfpt.cdfy12368.gov.cn";
    static final String GUANGXI_HOST = "171.106.48.55";
    static final int GUANGXI_PORT = 28083;

    /** The instances portals.md knows; the default of {@code court.portals.sfdw-hosts}. */
    public static final List<String> DEFAULT_HOSTS = List.of(CHENGDU_HOST, GUANGXI_HOST + ":" + GUANGXI_PORT);

    /**
     * {@code host} (served on the scheme's default port) or {@code host:port} (that port only: the
     * Guangxi instance's IP serves other things elsewhere), lower case.
     */
    private final java.util.Set<String> instances;

    private static final Pattern LINK_PATH = Pattern.compile("/sfsdw//r/([A-Za-z0-9_-]{4,128})/?");

    /** SMS verification codes are 4–6 letters or digits (验证码：xxxx). */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{4,6}");

    /** Same cap as jysd: a wrong list of phones must not hammer a portal that may lock the link. */
    static final int MAX_CANDIDATES = 10;

    static final Pattern EXPIRED = Pattern.compile("链接(已)?(失效|过期|无效)|已失效|已过期|送达信息不存在");

    /** Element-UI error and warning toasts: the page's answer to a wrong code. */
    private static final List<String> CODE_ERROR = List.of(".el-message--error", ".el-message--warning");

    /** Marks toasts that were there before an attempt, so a stale one is not read as its answer. */
    private static final String SEEN = "data-courtdocs-seen";


    /** A wrong code shows an error at once; silence this long counts as a refusal too. */
    private static final long VERIFY_WAIT_MS = 10_000;

    /** Some pages load the list right after isVerified flips; give that a moment before "empty". */
    private static final long LIST_GRACE_MS = 2_000;

    private static final long POLL_MS = 100;

    private static final String APP_READY =
            "() => typeof app !== 'undefined' && !!app && typeof app.checkYzm === 'function' && !!app.$data";

    private static final String STATE = """
            () => {
              const d = app.$data || {};
              const text = v => (v === undefined || v === null) ? null : String(v);
              return {
                isVerified: !!d.isVerified,
                ah: text(d.ah),
                fymc: text(d.fymc),
                wsList: (Array.isArray(d.wsList) ? d.wsList : []).map(w => ({
                  wjmc: text(w && w.wjmc), wjgs: text(w && w.wjgs), sdjzwjid: text(w && w.sdjzwjid)
                }))
              };
            }""";

    private record Document(String wjmc, String wjgs, String sdjzwjid) {}

    /** Operators add courts that run the same platform with {@code court.portals.sfdw-hosts}. */
    @jakarta.inject.Inject
    public SfdwAdapter(law.courtdocs.config.CourtConfig config) {
        this(config.portals().sfdwHosts());
    }

    public SfdwAdapter() {
        this(DEFAULT_HOSTS);
    }

    /** @param hosts {@code host} or {@code host:port} entries, one per instance of the platform */
    public SfdwAdapter(java.util.Collection<String> hosts) {
        java.util.Set<String> set = new java.util.LinkedHashSet<>();
        for (String h : hosts) {
            if (h != null && !h.isBlank()) {
                set.add(h.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.instances = java.util.Set.copyOf(set);
    }

    @Override
    public String id() {
        return "sfdw";
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null || link.getRawPath() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        String host = link.getHost().toLowerCase(Locale.ROOT);
        int port = link.getPort();
        int defaultPort = scheme.equals("https") ? 443 : 80;
        boolean known = port == -1 || port == defaultPort
                ? instances.contains(host) || instances.contains(host + ":" + defaultPort)
                : instances.contains(host + ":" + port);
        return known && LINK_PATH.matcher(link.getRawPath()).matches();
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        String where = redacted(link);
        List<String> codes = candidates(session.credentials());
        Page page = null;
        try {
            page = session.browser().newPage();
            page.setDefaultNavigationTimeout(session.navigationTimeout().toMillis());
            page.setDefaultTimeout(session.navigationTimeout().toMillis());
            Log.infof("sfdw: opening %s", where);
            BrowserErrors.checkStatus("sfdw", page.navigate(link.toString()));

            waitForApp(page, session);
            if (!verified(page)) {
                verify(page, codes, where, session);
            }
            Map<?, ?> state = waitForList(page);
            List<Document> documents = documents(state);
            if (documents.isEmpty()) {
                throw new PortalException(ErrorCode.NO_DOCUMENTS, "sfdw: the delivery lists no documents");
            }
            if (!Boolean.TRUE.equals(page.evaluate("() => typeof downloadFile === 'function'"))) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "sfdw: the page has no downloadFile function");
            }
            String court = blankToNull(state.get("fymc"));
            Log.infof("sfdw: %s lists %d documents", where, documents.size());

            Path base = Files.createTempDirectory(session.workDir(), "sfdw-");
            List<DownloadedFile> files = new ArrayList<>(documents.size());
            Page current = page;
            for (int i = 0; i < documents.size(); i++) {
                Document doc = documents.get(i);
                int index = i;
                // The app's own object, not a copy: downloadFile may read fields we do not know.
                Download download = page.waitForDownload(
                        new Page.WaitForDownloadOptions().setTimeout(session.downloadTimeout().toMillis()),
                        () -> current.evaluate("i => { downloadFile(app, app.$data.wsList[i]); }", index));
                String failure = download.failure();
                if (failure != null) {
                    throw new PortalException(ErrorCode.NETWORK_ERROR, "sfdw: download failed: " + failure);
                }
                String name = doc.wjmc() != null && !doc.wjmc().isBlank()
                        ? FileNames.withExtension(doc.wjmc(), doc.wjgs())
                        : FileNames.sanitize(download.suggestedFilename());
                Path dir = Files.createDirectories(base.resolve(Integer.toString(i + 1)));
                Path file = dir.resolve(name);
                download.saveAs(file);
                String title = doc.wjmc() != null && !doc.wjmc().isBlank() ? doc.wjmc().strip() : null;
                files.add(new DownloadedFile(file, name, title, court, doc.sdjzwjid()));
            }
            // Handed over only when every document came down, so a retry starts from a clean slate.
            for (DownloadedFile f : files) {
                session.accept(f);
            }
        } catch (TimeoutError e) {
            throw new PortalException(ErrorCode.TIMEOUT,
                    "sfdw: timed out at " + where + ": " + firstLine(e, link, codes));
        } catch (PlaywrightException e) {
            throw BrowserErrors.classify("sfdw", e, where, line -> mask(line, link, codes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (page != null) {
                try {
                    page.context().pages().forEach(Page::close);
                } catch (PlaywrightException ignored) {
                    // only to free renderers early: the worker closes the whole context anyway
                }
            }
        }
    }

    /** Waits for the code form and the Vue app behind it; an expiry notice ends the job. */
    private static void waitForApp(Page page, PortalSession session) throws PortalException {
        long until = System.currentTimeMillis() + session.navigationTimeout().toMillis();
        while (true) {
            boolean app = Boolean.TRUE.equals(probe(page, APP_READY));
            if (app && (page.locator("#checkCode").count() > 0 || verified(page))) {
                return;
            }
            String expired = expiredNotice(bodyText(page));
            if (expired != null) {
                throw new PortalException(ErrorCode.LINK_EXPIRED, "sfdw: " + expired);
            }
            if (System.currentTimeMillis() >= until) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, app
                        ? "sfdw: the page has no #checkCode field"
                        : "sfdw: the page has no app.checkYzm()");
            }
            page.waitForTimeout(POLL_MS);
        }
    }

    private static void verify(Page page, List<String> codes, String where, PortalSession session)
            throws PortalException {
        if (codes.isEmpty()) {
            throw new PortalException(ErrorCode.LOGIN_FAILED, "sfdw: no verification code or phone to try");
        }
        for (int i = 0; i < codes.size(); i++) {
            page.evaluate("s => document.querySelectorAll(s).forEach(e => e.setAttribute('" + SEEN + "', ''))",
                    String.join(", ", CODE_ERROR));
            page.locator("#checkCode").fill(codes.get(i));
            Log.infof("sfdw: %s trying candidate %d of %d", where, i + 1, codes.size());
            // checkYzm may be async; awaiting it gives its answer the earliest chance to land. A
            // method that throws or reloads the page is judged by what the page shows afterwards.
            probe(page, "async () => { await app.checkYzm(); }");
            if (awaitVerified(page, session)) {
                Log.infof("sfdw: %s verified with candidate %d", where, i + 1);
                return;
            }
        }
        throw new PortalException(ErrorCode.LOGIN_FAILED,
                "sfdw: none of " + codes.size() + " verification candidate(s) was accepted");
    }

    private static boolean awaitVerified(Page page, PortalSession session) throws PortalException {
        long until = System.currentTimeMillis() + Math.min(VERIFY_WAIT_MS, session.navigationTimeout().toMillis());
        String fresh = CODE_ERROR.stream().map(s -> s + ":not([" + SEEN + "])").collect(Collectors.joining(", "));
        while (System.currentTimeMillis() < until) {
            if (verified(page)) {
                return true;
            }
            Locator error = page.locator(fresh + " >> visible=true");
            if (error.count() > 0) {
                String message = textOf(error.first());
                if (EXPIRED.matcher(message).find()) {
                    throw new PortalException(ErrorCode.LINK_EXPIRED, "sfdw: " + message);
                }
                Log.info("sfdw: candidate refused");
                return false;
            }
            page.waitForTimeout(POLL_MS);
        }
        Log.infof("sfdw: no answer within %d ms; taking the candidate as refused", VERIFY_WAIT_MS);
        return false;
    }

    private static boolean verified(Page page) {
        return Boolean.TRUE.equals(probe(page, "() => !!(app && app.$data && app.$data.isVerified)"));
    }

    private static Map<?, ?> waitForList(Page page) {
        long until = System.currentTimeMillis() + LIST_GRACE_MS;
        while (true) {
            Map<?, ?> state = (Map<?, ?>) page.evaluate(STATE);
            Object list = state.get("wsList");
            if ((list instanceof List<?> l && !l.isEmpty()) || System.currentTimeMillis() >= until) {
                return state;
            }
            page.waitForTimeout(POLL_MS);
        }
    }

    private static List<Document> documents(Map<?, ?> state) {
        List<Document> out = new ArrayList<>();
        if (state.get("wsList") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> w) {
                    out.add(new Document(blankToNull(w.get("wjmc")), blankToNull(w.get("wjgs")),
                            blankToNull(w.get("sdjzwjid"))));
                }
            }
        }
        return out;
    }

    // --- page probes: while the page is (re)loading there is no context to evaluate in ----------

    private static Object probe(Page page, String expression) {
        try {
            return page.evaluate(expression);
        } catch (PlaywrightException notYet) {
            rethrowIfClosed(notYet);
            return null;
        }
    }

    private static String bodyText(Page page) {
        Object text = probe(page, "() => document.body ? document.body.innerText : ''");
        return text == null ? "" : text.toString();
    }

    private static String textOf(Locator locator) {
        try {
            return locator.innerText(new Locator.InnerTextOptions().setTimeout(1_000)).strip();
        } catch (PlaywrightException gone) {
            rethrowIfClosed(gone);
            return "";
        }
    }

    private static void rethrowIfClosed(PlaywrightException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("has been closed") || m.contains("crashed")) {
            throw e;
        }
    }

    static String expiredNotice(String text) {
        Matcher m = EXPIRED.matcher(text);
        if (!m.find()) {
            return null;
        }
        return text.lines().filter(l -> EXPIRED.matcher(l).find()).findFirst().orElse(m.group()).strip();
    }

    // --- links, credentials, errors -------------------------------------------------------------

    /**
     * The SMS code first (it is what the page asks for), then the last six digits of each phone;
     * distinct, at most {@link #MAX_CANDIDATES}.
     */
    static List<String> candidates(PortalCredentials credentials) {
        Set<String> out = new LinkedHashSet<>();
        String code = credentials.code() == null ? "" : credentials.code().strip();
        if (CODE.matcher(code).matches()) {
            out.add(code);
        } else if (!code.isEmpty()) {
            Log.warn("sfdw: the verification code is not 4-6 letters or digits; not tried");
        }
        for (String phone : credentials.phones()) {
            String digits = phone == null ? "" : phone.replaceAll("\\D", "");
            if (digits.length() >= 6) {
                out.add(digits.substring(digits.length() - 6));
            }
        }
        return out.stream().limit(MAX_CANDIDATES).toList();
    }

    /** Host, port and path with the token masked: what may appear in logs. */
    static String redacted(URI link) {
        String path = link.getRawPath() == null ? "" : link.getRawPath();
        return link.getHost() + (link.getPort() == -1 ? "" : ":" + link.getPort())
                + LINK_PATH.matcher(path).replaceAll("/sfsdw//r/***");
    }


    private static String blankToNull(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().strip();
        return s.isEmpty() ? null : s;
    }


    /**
     * Playwright messages quote the URL (with the token, as good as a password to the documents),
     * sometimes typed values, and a multi-line call log: keep the first line with token and codes
     * masked. The Playwright exception is not attached as cause for the same reason.
     */
    static String firstLine(PlaywrightException e, URI link, List<String> codes) {
        return BrowserErrors.firstLine(e, line -> mask(line, link, codes));
    }

    /** The link token and the codes out of a message: either opens the documents. */
    private static String mask(String line, URI link, List<String> codes) {
        Matcher token = LINK_PATH.matcher(link.getRawPath() == null ? "" : link.getRawPath());
        String out = token.matches() ? line.replace(token.group(1), "***") : line;
        for (String code : codes) {
            out = out.replace(code, "***");
        }
        return out;
    }
}
