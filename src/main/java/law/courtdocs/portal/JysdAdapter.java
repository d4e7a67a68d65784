package law.courtdocs.portal;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Frame;
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
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.job.ErrorCode;

/**
 * 简易送达 (jysd.10102368.com): the delivery page embeds a sifayun.com iframe that asks for the
 * recipient's phone number; after login the iframe lists the documents, one browser download per
 * row. See shared/portals.md, section jysd.
 */
@ApplicationScoped
public class JysdAdapter implements PortalAdapter {

    static final String HOST = "jysd.10102368.com";

    /** The login iframe's site; its exact host name is not documented, the domain is. */
    static final String FRAME_DOMAIN = "sifayun.com";

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.~%+=-]{4,256}");

    /** portals.md: at most 10 phones are tried, so a wrong list cannot hammer the login. */
    static final int MAX_CANDIDATES = 10;

    static final String PHONE_INPUT = "input[placeholder*='手机号']";
    private static final String LOGIN_BUTTON =
            "button:has-text('登录'), .el-button:has-text('登录'), [role=button]:has-text('登录')";
    private static final String ROWS = ".el-table__body-wrapper tr.el-table__row";
    private static final String ROW_DOWNLOAD =
            "button:has-text('下载'), .el-button:has-text('下载'), a:has-text('下载')";
    private static final String CHECK_DIALOG = ".checkFileDialog";

    /** Dialog buttons, the documented wording first; a dialog with none of them is not ours to click. */
    private static final List<String> CHECK_DIALOG_CONFIRM = List.of(
            "button:has-text('下载文书并核验')",
            ".el-button--primary",
            "button:has-text('确定')",
            "button:has-text('确认')");

    /**
     * Element-UI error/warning toasts and inline form errors: the login's answer to a wrong phone.
     * Not every toast: a success toast may show just before the iframe moves on.
     */
    private static final String LOGIN_ERROR = ".el-message--error, .el-message--warning, .el-form-item__error";

    static final Pattern EXPIRED = Pattern.compile("链接(已)?(失效|过期|无效)|已失效|已过期|送达信息不存在");

    /** Only a labelled court name is taken: a page footer may name other courts. */
    private static final Pattern COURT = Pattern.compile("(?:送达法院|发送法院|承办法院|法院名称)\\s*[:：]\\s*(\\S{2,40}?法院)");


    /**
     * A wrong phone shows an error message at once; a login that shows neither that nor the
     * next page within this long counts as refused, so ten silent candidates cannot take ten
     * navigation timeouts.
     */
    private static final long LOGIN_WAIT_MS = 10_000;

    /** The confirm dialog, when the site uses it, opens right after the click. */
    private static final long CHECK_DIALOG_GRACE_MS = 2_000;

    /** Element-UI shows 暂无数据 while the list is still loading, so "empty" needs to last a moment. */
    private static final long EMPTY_GRACE_MS = 2_000;

    private static final long POLL_MS = 100;

    /** The login runs in an iframe served from sifayun.com. */
    @Override
    public List<String> egressHosts(URI link) {
        return List.of(link.getHost(), "sifayun.com", "*.sifayun.com");
    }

    @Override
    public String id() {
        return "jysd";
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null || link.getRawPath() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && link.getHost().toLowerCase(Locale.ROOT).equals(HOST)
                && (link.getPort() == -1 || link.getPort() == (scheme.equals("https") ? 443 : 80))
                && (link.getRawPath().equals("/sd") || link.getRawPath().equals("/sd/"))
                && key(link) != null;
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        String where = redacted(link);
        List<String> phones = candidates(session.credentials());
        Page page = null;
        try {
            page = session.browser().newPage();
            page.setDefaultNavigationTimeout(session.navigationTimeout().toMillis());
            page.setDefaultTimeout(session.navigationTimeout().toMillis());
            Log.infof("jysd: opening %s", where);
            BrowserErrors.checkStatus("jysd", page.navigate(link.toString()));

            Frame frame = login(page, phones, session, where);
            String court = court(frame);
            if (!urlContains(frame, "/home")) {
                openDocumentList(frame);
            }
            int count = waitForRows(page, frame, session);
            if (court == null) {
                court = court(frame);
            }
            Log.infof("jysd: %s lists %d documents", where, count);

            Path base = Files.createTempDirectory(session.workDir(), "jysd-");
            int titleColumn = titleColumn(frame);
            List<DownloadedFile> documents = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Locator row = frame.locator(ROWS).nth(i);
                String title = title(row, titleColumn);
                Download download = downloadRow(page, frame, row, session);
                Path saved = save(download, base.resolve(Integer.toString(i + 1)));
                String name = saved.getFileName().toString();
                String docTitle = title != null ? title : stripExtension(name);
                documents.add(new DownloadedFile(saved, name, docTitle, court, docTitle + "#" + (i + 1)));
            }
            // Handed over only when all rows came down, so a retry starts from a clean slate.
            for (DownloadedFile d : documents) {
                session.accept(d);
            }
        } catch (TimeoutError e) {
            throw new PortalException(ErrorCode.TIMEOUT,
                    "jysd: timed out at " + where + ": " + firstLine(e, link, phones));
        } catch (PlaywrightException e) {
            throw BrowserErrors.classify("jysd", e, where, line -> mask(line, link, phones));
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

    /** Returns the iframe once it shows the page after login (middlePagePc, or home directly). */
    private static Frame login(Page page, List<String> phones, PortalSession session, String where)
            throws PortalException {
        Frame frame = waitForLoginFrame(page, session);
        if (loggedIn(frame)) {
            // The site remembers a login per browser; a fresh context should never get here.
            return frame;
        }
        if (phones.isEmpty()) {
            throw new PortalException(ErrorCode.LOGIN_FAILED, "jysd: no phone number to log in with");
        }
        for (int i = 0; i < phones.size(); i++) {
            String phone = phones.get(i);
            if (i > 0) {
                // After a refused phone the form stays locked until the page is loaded again.
                BrowserErrors.checkStatus("jysd", page.reload());
                frame = waitForLoginFrame(page, session);
            }
            Log.infof("jysd: %s trying phone %s (%d of %d)", where, maskPhone(phone), i + 1, phones.size());
            frame.locator(PHONE_INPUT).first().fill(phone);
            frame.locator(LOGIN_BUTTON).first().click();
            if (awaitLogin(page, frame, session)) {
                Log.infof("jysd: %s logged in with phone %s", where, maskPhone(phone));
                return frame;
            }
        }
        throw new PortalException(ErrorCode.LOGIN_FAILED,
                "jysd: none of " + phones.size() + " phone number(s) was accepted");
    }

    /**
     * Waits until the sifayun iframe shows the phone form (or is already past it). An expiry
     * notice may be on the delivery page itself or inside the iframe; both are checked.
     */
    private static Frame waitForLoginFrame(Page page, PortalSession session) throws PortalException {
        long until = System.currentTimeMillis() + session.navigationTimeout().toMillis();
        while (true) {
            Frame frame = loginFrame(page);
            if (frame != null && (loggedIn(frame) || present(frame, PHONE_INPUT))) {
                return frame;
            }
            String expired = expiredNotice(page, frame);
            if (expired != null) {
                throw new PortalException(ErrorCode.LINK_EXPIRED, "jysd: " + expired);
            }
            if (System.currentTimeMillis() >= until) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE,
                        frame == null ? "jysd: the delivery page has no sifayun login frame"
                                : "jysd: the login frame has no phone number field");
            }
            page.waitForTimeout(POLL_MS);
        }
    }

    private static Frame loginFrame(Page page) {
        Frame withInput = null;
        for (Frame f : page.frames()) {
            if (f == page.mainFrame()) {
                continue;
            }
            String host = hostOf(f.url());
            if (host.equals(FRAME_DOMAIN) || host.endsWith("." + FRAME_DOMAIN)) {
                return f;
            }
            if (withInput == null && present(f, PHONE_INPUT)) {
                withInput = f;
            }
        }
        return withInput;
    }

    /** True once the iframe went on to middlePagePc; false when refused or no answer came. */
    private static boolean awaitLogin(Page page, Frame frame, PortalSession session) throws PortalException {
        long until = System.currentTimeMillis() + Math.min(LOGIN_WAIT_MS, session.navigationTimeout().toMillis());
        while (System.currentTimeMillis() < until) {
            if (loggedIn(frame)) {
                return true;
            }
            if (visible(frame, LOGIN_ERROR)) {
                String message = text(frame.locator(LOGIN_ERROR).first());
                if (EXPIRED.matcher(message).find()) {
                    throw new PortalException(ErrorCode.LINK_EXPIRED, "jysd: " + message);
                }
                // the message may quote the phone; it stays out of the log
                Log.info("jysd: phone refused");
                return false;
            }
            page.waitForTimeout(POLL_MS);
        }
        Log.infof("jysd: no answer to the login within %d ms; taking the phone as refused", LOGIN_WAIT_MS);
        return false;
    }

    private static boolean loggedIn(Frame frame) {
        return urlContains(frame, "middlePagePc") || urlContains(frame, "/home");
    }

    private static void openDocumentList(Frame frame) throws PortalException {
        Locator details = frame.getByText("查看文书详情").first();
        try {
            details.waitFor();
        } catch (TimeoutError e) {
            // The site answered (we are logged in), it just shows a page we do not know.
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "jysd: no 查看文书详情 after login");
        }
        details.click();
    }

    /** Number of document rows, once the list has loaded. */
    private static int waitForRows(Page page, Frame frame, PortalSession session) throws PortalException {
        long until = System.currentTimeMillis() + session.navigationTimeout().toMillis();
        long emptySince = -1;
        while (true) {
            int rows = count(frame, ROWS);
            if (rows > 0) {
                return rows;
            }
            boolean empty = urlContains(frame, "/home")
                    && visible(frame, ".el-table__empty-block")
                    && !visible(frame, ".el-loading-mask");
            long now = System.currentTimeMillis();
            if (!empty) {
                emptySince = -1;
            } else if (emptySince < 0) {
                emptySince = now;
            } else if (now - emptySince >= EMPTY_GRACE_MS) {
                throw new PortalException(ErrorCode.NO_DOCUMENTS, "jysd: the document list is empty");
            }
            if (now >= until) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "jysd: no document table after login");
            }
            page.waitForTimeout(POLL_MS);
        }
    }

    /**
     * Clicks the row's 下载 and answers the confirm dialog if the site asks. The dialog is not
     * always there, so after the click we wait for whichever comes first: the download or the
     * dialog.
     */
    private static Download downloadRow(Page page, Frame frame, Locator row, PortalSession session)
            throws PortalException {
        Locator button = row.locator(ROW_DOWNLOAD).first();
        if (button.count() == 0) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "jysd: a document row has no 下载 button");
        }
        boolean[] started = new boolean[1];
        Consumer<Download> seen = d -> started[0] = true;
        page.onDownload(seen);
        try {
            Download download = page.waitForDownload(
                    new Page.WaitForDownloadOptions().setTimeout(session.downloadTimeout().toMillis()),
                    () -> {
                        button.click();
                        long until = System.currentTimeMillis() + CHECK_DIALOG_GRACE_MS;
                        while (!started[0] && System.currentTimeMillis() < until) {
                            if (visible(frame, CHECK_DIALOG)) {
                                confirmCheckDialog(frame);
                                return;
                            }
                            page.waitForTimeout(POLL_MS);
                        }
                    });
            String failure = download.failure();
            if (failure != null) {
                throw new PortalException(ErrorCode.NETWORK_ERROR, "jysd: download failed: " + failure);
            }
            return download;
        } finally {
            page.offDownload(seen);
        }
    }

    private static void confirmCheckDialog(Frame frame) {
        Locator dialog = frame.locator(CHECK_DIALOG + ":visible").first();
        for (String selector : CHECK_DIALOG_CONFIRM) {
            Locator confirm = dialog.locator(selector);
            if (confirm.count() > 0) {
                confirm.first().click();
                return;
            }
        }
        // Nothing to click: the wait for the download then ends in a timeout, which is retried.
        Log.warn("jysd: confirm dialog without a known confirm button");
    }

    private static Path save(Download download, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FileNames.sanitize(download.suggestedFilename()));
        download.saveAs(file);
        return file;
    }

    /** Index of the 文书名称 column by its header; -1 when the table has no such header. */
    private static int titleColumn(Frame frame) {
        List<String> headers = frame.locator(".el-table__header-wrapper th").allInnerTexts();
        for (int i = 0; i < headers.size(); i++) {
            String h = headers.get(i).strip();
            if (h.contains("名称") || (h.contains("文书") && !h.contains("操作"))) {
                return i;
            }
        }
        return -1;
    }

    /** The document name from its column, else the first cell that is neither a number nor a control. */
    private static String title(Locator row, int titleColumn) {
        List<String> cells = row.locator("td").allInnerTexts();
        if (titleColumn >= 0 && titleColumn < cells.size() && !cells.get(titleColumn).isBlank()) {
            return cells.get(titleColumn).strip();
        }
        for (String cell : cells) {
            String c = cell.strip();
            if (!c.isEmpty() && !c.matches("\\d+") && !c.contains("下载") && !c.contains("查看")) {
                return c;
            }
        }
        return null;
    }

    private static String court(Frame frame) {
        Matcher m = COURT.matcher(bodyText(frame));
        return m.find() ? m.group(1) : null;
    }

    private static String expiredNotice(Page page, Frame frame) {
        for (Frame f : frame == null ? List.of(page.mainFrame()) : List.of(page.mainFrame(), frame)) {
            String text = bodyText(f);
            Matcher m = EXPIRED.matcher(text);
            if (m.find()) {
                return text.lines().filter(l -> EXPIRED.matcher(l).find()).findFirst().orElse(m.group()).strip();
            }
        }
        return null;
    }

    // --- frame probes: a frame that is navigating has no document for a moment ------------------

    private static String bodyText(Frame frame) {
        try {
            Object text = frame.evaluate("() => document.body ? document.body.innerText : ''");
            return text == null ? "" : text.toString();
        } catch (PlaywrightException navigating) {
            rethrowIfClosed(navigating);
            return "";
        }
    }

    private static boolean present(Frame frame, String selector) {
        return count(frame, selector) > 0;
    }

    private static int count(Frame frame, String selector) {
        try {
            return frame.locator(selector).count();
        } catch (PlaywrightException navigating) {
            rethrowIfClosed(navigating);
            return 0;
        }
    }

    private static boolean visible(Frame frame, String selector) {
        try {
            return frame.locator(selector + " >> visible=true").count() > 0;
        } catch (PlaywrightException navigating) {
            rethrowIfClosed(navigating);
            return false;
        }
    }

    private static String text(Locator locator) {
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

    private static boolean urlContains(Frame frame, String part) {
        return frame.url() != null && frame.url().contains(part);
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    // --- links, credentials, errors -------------------------------------------------------------

    /** Distinct, trimmed phones in the order given, at most {@link #MAX_CANDIDATES}. */
    static List<String> candidates(PortalCredentials credentials) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : credentials.phones()) {
            if (p == null) {
                continue;
            }
            String phone = p.replaceAll("[\\s-]", "");
            if (!phone.isEmpty()) {
                out.add(phone);
            }
        }
        return out.stream().limit(MAX_CANDIDATES).toList();
    }

    /** 13812341234 → 138****1234; shorter values give nothing away at all. */
    static String maskPhone(String phone) {
        if (phone == null || phone.length() < 8) {
            return "***";
        }
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }

    /** The {@code key} query parameter, or null if missing or not shaped like a token. */
    static String key(URI link) {
        String query = link.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("key=")) {
                String value = pair.substring(4);
                return KEY.matcher(value).matches() ? value : null;
            }
        }
        return null;
    }

    /** Host and path, the key masked: what may appear in logs. */
    static String redacted(URI link) {
        return link.getHost() + link.getRawPath() + (link.getRawQuery() == null ? "" : "?key=***");
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String firstLine(PlaywrightException e, URI link, List<String> phones) {
        return BrowserErrors.firstLine(e, line -> mask(line, link, phones));
    }

    /** The key and the phones out of a message: the key opens the documents, phones are personal. */
    private static String mask(String line, URI link, List<String> phones) {
        String key = key(link);
        String out = key == null ? line : line.replace(key, "***");
        for (String phone : phones) {
            out = out.replace(phone, maskPhone(phone));
        }
        return out;
    }
}
