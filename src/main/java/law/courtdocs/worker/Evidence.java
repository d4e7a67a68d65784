package law.courtdocs.worker;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a failed attempt's page looked like, so a person can see why without re-running it.
 * Secrets are kept out: typed input values are cleared before the screenshot, and the link's
 * query and fragment (they carry delivery tokens) are masked in the HTML. Both are size-capped.
 */
final class Evidence {

    static final int MAX_SCREENSHOT = 2 * 1024 * 1024;
    static final int MAX_HTML = 1024 * 1024;

    record Capture(byte[] screenshot, String html) {}

    private Evidence() {}

    static Capture capture(BrowserContext context, URI link) {
        List<Page> pages = context.pages();
        if (pages.isEmpty()) {
            return null;
        }
        Page page = pages.get(pages.size() - 1);
        stopLoading(context, page);
        try {
            for (Frame frame : page.frames()) {
                try {
                    frame.evaluate("() => document.querySelectorAll('input, textarea').forEach(e => e.value = '')");
                } catch (PlaywrightException ignored) {
                    // a detached or cross-process frame; its inputs stay as they are
                }
            }
            byte[] png = page.screenshot(new Page.ScreenshotOptions().setTimeout(5_000));
            String html = redact(page.content(), link);
            return new Capture(png.length <= MAX_SCREENSHOT ? png : null, cap(html));
        } catch (PlaywrightException e) {
            return null;
        }
    }

    /**
     * A page whose navigation timed out is still waiting for the portal, and scripts, HTML and
     * screenshot all wait for that navigation: against a portal that hangs, capturing evidence
     * would hold the worker slot for as long as the portal hangs. Stopping the load (as the
     * browser's stop button does) keeps the document that is showing and lets the capture run.
     */
    private static void stopLoading(BrowserContext context, Page page) {
        try {
            CDPSession cdp = context.newCDPSession(page);
            cdp.send("Page.stopLoading");
            cdp.detach();
        } catch (PlaywrightException ignored) {
            // not Chromium, or the page is gone: capture what can be captured
        }
    }

    static String redact(String html, URI link) {
        String out = html;
        for (String secret : new String[] {link.getRawQuery(), link.getRawFragment(), link.getQuery(), link.getFragment()}) {
            if (secret != null && secret.length() >= 6) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    private static String cap(String html) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_HTML) {
            return html;
        }
        return new String(bytes, 0, MAX_HTML, StandardCharsets.UTF_8) + "\n<!-- truncated -->";
    }
}
