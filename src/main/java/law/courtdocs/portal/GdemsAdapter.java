package law.courtdocs.portal;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.job.ErrorCode;

/**
 * 广东法院电子送达 (sd.gdems.com): cover page → confirm → preview page → one download holding
 * every document, usually as a ZIP. See shared/portals.md, section gdems.
 */
@ApplicationScoped
public class GdemsAdapter implements PortalAdapter {

    static final String HOST = "sd.gdems.com";

    private static final Pattern LINK_PATH = Pattern.compile("/v3/dzsd/([A-Za-z0-9]{5,8})/?");

    /** The site changed its markup over time; first match wins, the usual one first. */
    private static final List<Function<Page, Locator>> CONFIRM = List.of(
            p -> p.locator("#submit-btn"),
            p -> p.locator("#confirm-btn"),
            p -> p.locator(".submit-btn"),
            p -> p.locator(".confirm-btn"),
            p -> p.locator("button", new Page.LocatorOptions().setHasText(Pattern.compile("确认|确定|预览"))));

    /** One selector for all of the above, only to wait until any of them shows up. */
    private static final String ANY_CONFIRM =
            "#submit-btn, #confirm-btn, .submit-btn, .confirm-btn, button:has-text(\"确认\"), "
                    + "button:has-text(\"确定\"), button:has-text(\"预览\")";

    private static final List<Function<Page, Locator>> DOWNLOAD_ALL = List.of(
            p -> p.locator("a.downloadPackClass"),
            p -> p.locator("label a:has(img)"),
            p -> p.locator("a", new Page.LocatorOptions().setHasText("送达材料")),
            p -> p.locator("a", new Page.LocatorOptions().setHasText("下载")));

    /** The not-uploaded notice exists only as the string a canvas is drawn from. */
    private static final Pattern NOTICE = Pattern.compile("var\\s+text\\s*=\\s*([\"'])((?:\\\\.|(?!\\1)[^\\\\])*)\\1");


    static final String GENERIC_NOT_READY = "法院尚未上传送达材料 (the court has not uploaded the documents yet)";

    /** Pages rendered by script may show the confirm control a little after the load event. */
    private static final long CONFIRM_GRACE_MS = 3_000;

    /** Before probing, give the click a moment to start a navigation away from the cover. */
    private static final long NAVIGATION_GRACE_MS = 1_500;

    private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY_ARCHIVE = {'P', 'K', 5, 6};

    private final SafeUnzip.Limits limits;

    @Inject
    public GdemsAdapter(CourtConfig config) {
        this(new SafeUnzip.Limits(
                config.files().maxZipEntries(),
                config.files().maxZipBytes(),
                config.files().maxDocumentBytes()));
    }

    public GdemsAdapter(SafeUnzip.Limits limits) {
        this.limits = limits;
    }

    @Override
    public String id() {
        return "gdems";
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null || link.getRawPath() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && link.getHost().toLowerCase(Locale.ROOT).equals(HOST)
                && LINK_PATH.matcher(link.getRawPath()).matches();
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        String where = redacted(link);
        Page page = null;
        try {
            page = session.browser().newPage();
            page.setDefaultNavigationTimeout(session.navigationTimeout().toMillis());
            page.setDefaultTimeout(session.navigationTimeout().toMillis());
            Log.infof("gdems: opening %s", where);
            Response response = page.navigate(link.toString());
            BrowserErrors.checkStatus("gdems", response);

            Locator confirm = findConfirm(page);
            if (confirm == null) {
                String notice = notice(page.content());
                Log.infof("gdems: %s has no confirm button; documents not uploaded yet", where);
                throw new PortalException(ErrorCode.DOCUMENTS_NOT_READY, notice);
            }

            Page preview = confirmAndFollow(page, confirm, session);
            Locator control = waitForDownloadControl(preview, session);
            Download download = preview.waitForDownload(
                    new Page.WaitForDownloadOptions().setTimeout(session.downloadTimeout().toMillis()),
                    control::click);
            Path saved = save(download, session);
            Log.infof("gdems: %s downloaded %d bytes", where, Files.size(saved));
            hand(saved, session);
        } catch (TimeoutError e) {
            throw new PortalException(ErrorCode.TIMEOUT, "gdems: timed out at " + where + ": " + firstLine(e, link));
        } catch (PlaywrightException e) {
            throw BrowserErrors.classify("gdems", e, where, line -> maskCode(line, link));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // pages stay open: the worker closes the context, after keeping a failed page as evidence
    }


    /** Null when the cover has no confirm control at all, i.e. nothing was uploaded yet. */
    private static Locator findConfirm(Page page) {
        Locator found = firstPresent(page, CONFIRM);
        // The not-ready notice is served in the page itself: no reason to wait when it is there.
        if (found != null || NOTICE.matcher(page.content()).find()) {
            return found;
        }
        try {
            page.waitForSelector(ANY_CONFIRM, new Page.WaitForSelectorOptions().setTimeout(CONFIRM_GRACE_MS));
        } catch (TimeoutError stillNothing) {
            return null;
        }
        return firstPresent(page, CONFIRM);
    }

    /**
     * Clicks confirm and returns the page the preview shows up in. portals.md does not say how the
     * site gets there, so a script navigation, a form post and a new tab are all followed.
     */
    private static Page confirmAndFollow(Page cover, Locator confirm, PortalSession session) {
        Page[] popup = new Page[1];
        boolean[] navigated = new boolean[1];
        cover.onPopup(p -> popup[0] = p);
        cover.onFrameNavigated(f -> navigated[0] |= f == cover.mainFrame());
        confirm.click();
        // Events are delivered while Playwright calls run; a short wait lets them arrive.
        long until = System.currentTimeMillis() + NAVIGATION_GRACE_MS;
        while (popup[0] == null && !navigated[0] && System.currentTimeMillis() < until) {
            cover.waitForTimeout(100);
        }
        if (popup[0] != null) {
            Page preview = popup[0];
            preview.setDefaultNavigationTimeout(session.navigationTimeout().toMillis());
            preview.setDefaultTimeout(session.navigationTimeout().toMillis());
            preview.waitForLoadState();
            return preview;
        }
        return cover;
    }

    private static Locator waitForDownloadControl(Page preview, PortalSession session)
            throws PortalException {
        long until = System.currentTimeMillis() + session.navigationTimeout().toMillis();
        while (true) {
            Locator control;
            try {
                control = firstPresent(preview, DOWNLOAD_ALL);
            } catch (PlaywrightException navigating) {
                // "execution context was destroyed" while the preview is still loading
                control = null;
            }
            if (control != null) {
                return control;
            }
            if (System.currentTimeMillis() >= until) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE,
                        "gdems: no download-all control on the preview page");
            }
            preview.waitForTimeout(200);
        }
    }

    private static Locator firstPresent(Page page, List<Function<Page, Locator>> candidates) {
        for (Function<Page, Locator> candidate : candidates) {
            Locator l = candidate.apply(page);
            if (l.count() > 0) {
                return l.first();
            }
        }
        return null;
    }

    private static Path save(Download download, PortalSession session) throws IOException, PortalException {
        String failure = download.failure();
        if (failure != null) {
            throw new PortalException(ErrorCode.NETWORK_ERROR, "gdems: download failed: " + failure);
        }
        Path dir = Files.createDirectory(Files.createTempDirectory(session.workDir(), "gdems-").resolve("download"));
        Path file = dir.resolve(FileNames.sanitize(download.suggestedFilename()));
        download.saveAs(file);
        return file;
    }

    /** One ZIP with every document, or (some deliveries) the single document itself. */
    private void hand(Path saved, PortalSession session) throws IOException, PortalException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(saved)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 0) {
            throw new PortalException(ErrorCode.PORTAL_ERROR, "gdems: the download was empty");
        }
        boolean zip = n == 4 && (Arrays.equals(head, ZIP_LOCAL_HEADER) || Arrays.equals(head, ZIP_EMPTY_ARCHIVE));
        if (!zip) {
            if (Files.size(saved) > limits.maxEntryBytes()) {
                throw new PortalException(ErrorCode.UNSAFE_CONTENT, "gdems: document larger than "
                        + limits.maxEntryBytes() + " bytes");
            }
            String name = saved.getFileName().toString();
            session.accept(new DownloadedFile(saved, name, stripExtension(name), null, name));
            return;
        }
        List<SafeUnzip.Extracted> files;
        try {
            files = SafeUnzip.extract(saved, saved.getParent().resolveSibling("files"), limits);
        } catch (ZipException e) {
            // most likely a download cut short; another attempt may well get the whole archive
            throw new PortalException(ErrorCode.PORTAL_ERROR, "gdems: archive unreadable: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new PortalException(ErrorCode.NO_DOCUMENTS, "gdems: the archive holds no files");
        }
        List<DownloadedFile> documents = new ArrayList<>(files.size());
        for (SafeUnzip.Extracted f : files) {
            String base = f.entryName().substring(f.entryName().lastIndexOf('/') + 1);
            documents.add(new DownloadedFile(f.file(), FileNames.sanitize(base), stripExtension(base), null, f.entryName()));
        }
        for (DownloadedFile d : documents) {
            session.accept(d);
        }
    }

    /** The notice text as the court wrote it; a generic one if the page carries none. */
    static String notice(String html) {
        Matcher m = NOTICE.matcher(html);
        if (m.find()) {
            String text = unescapeJs(m.group(2)).strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return GENERIC_NOT_READY;
    }

    static String unescapeJs(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    if (i + 4 < s.length() && s.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append('u');
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String firstLine(PlaywrightException e, URI link) {
        return BrowserErrors.firstLine(e, line -> maskCode(line, link));
    }

    private static String maskCode(String line, URI link) {
        Matcher code = LINK_PATH.matcher(link.getRawPath() == null ? "" : link.getRawPath());
        return code.matches() ? line.replace(code.group(1), "***") : line;
    }

    /** Host and path with the delivery code masked: what may appear in logs. */
    static String redacted(URI link) {
        String path = link.getRawPath() == null ? "" : link.getRawPath();
        return link.getHost() + LINK_PATH.matcher(path).replaceAll("/v3/dzsd/***");
    }
}
