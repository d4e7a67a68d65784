package law.courtdocs.portal;

import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import io.quarkus.logging.Log;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.job.ErrorCode;

/**
 * How browser adapters turn Playwright failures and page answers into classified
 * {@link PortalException}s, with secrets kept out of the message. Playwright messages quote URLs
 * (with delivery tokens, as good as passwords to the documents), sometimes typed values, and a
 * multi-line call log; so only the first line is kept, masked by the adapter, and the Playwright
 * exception is never attached as the cause.
 */
final class BrowserErrors {

    /** Driver errors arrive as "Error {\n  message='net::ERR_… at <url>\n  name=…\n  stack=…". */
    private static final Pattern DRIVER_MESSAGE = Pattern.compile("(?m)^\\s*message='(.*)$");

    private BrowserErrors() {}

    /** The first meaningful line of a Playwright error, passed through {@code mask}. */
    static String firstLine(PlaywrightException e, UnaryOperator<String> mask) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher wrapped = DRIVER_MESSAGE.matcher(m);
        String line = wrapped.find() ? wrapped.group(1).strip() : m.lines().findFirst().orElse("").strip();
        return mask.apply(line);
    }

    /** Network failures, a closed browser, or (unexpected) anything else, prefixed with the portal. */
    static PortalException classify(String portal, PlaywrightException e, String where, UnaryOperator<String> mask) {
        String message = firstLine(e, mask);
        String upper = message.toUpperCase(Locale.ROOT);
        if (upper.contains("NET::ERR_") && upper.contains("TIMED_OUT")) {
            return new PortalException(ErrorCode.TIMEOUT, portal + ": " + message);
        }
        if (upper.contains("NET::ERR_")) {
            return new PortalException(ErrorCode.NETWORK_ERROR, portal + ": " + message);
        }
        if (message.contains("has been closed") || message.contains("crashed")) {
            return new PortalException(ErrorCode.BROWSER_CRASHED, portal + ": " + message);
        }
        Log.warnf("%s: unexpected browser error at %s: %s", portal, where, message);
        return new PortalException(ErrorCode.INTERNAL, portal + ": " + message);
    }

    /** 5xx is the portal's trouble (retried), 4xx a refusal (not retried). */
    static void checkStatus(String portal, Response response) throws PortalException {
        if (response == null) {
            return;
        }
        int status = response.status();
        if (status >= 500) {
            throw new PortalException(ErrorCode.PORTAL_ERROR, portal + " answered HTTP " + status);
        }
        if (status >= 400) {
            throw new PortalException(ErrorCode.PORTAL_REJECTED, portal + " answered HTTP " + status);
        }
    }
}
