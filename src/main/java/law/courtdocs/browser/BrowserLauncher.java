package law.courtdocs.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts Playwright + Chromium the way every part of the service (and the tests) needs it.
 * Plain Java, no CDI: one call per worker thread, because Playwright objects are not thread-safe.
 */
public final class BrowserLauncher {

    /** Where distributions put Chromium; the first that exists wins when no path is configured. */
    static final List<String> SYSTEM_CHROMIUM = List.of(
            "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    /**
     * Without these, Chromium phones home at start (component updates, sync, field trials); on a
     * closed network that is a burst of refused connections per browser start.
     */
    static final List<String> ARGS = List.of(
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check");

    public record Settings(Optional<String> executable, Optional<String> proxy, boolean headless) {}

    /**
     * A running Playwright driver and its browser; closing it ends both processes. {@code driver}
     * is the driver's process when it could be told apart from this JVM's other children.
     */
    public record Launched(Playwright playwright, Browser browser, Optional<ProcessHandle> driver)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                browser.close();
            } catch (RuntimeException ignored) {
                // the browser may already be gone (crash); the driver still has to stop
            }
            playwright.close();
        }
    }

    private BrowserLauncher() {}

    /** The configured binary, else a system Chromium, else empty (use Playwright's own browser). */
    public static Optional<Path> findChromium(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Optional.of(Path.of(configured.get()));
        }
        return SYSTEM_CHROMIUM.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    public static Launched launch(Settings settings) {
        Optional<Path> chromium = findChromium(settings.executable());
        Map<String, String> env = new HashMap<>();
        // A system browser is used as is; only without one may Playwright fetch its own.
        chromium.ifPresent(p -> env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
        Playwright playwright;
        Optional<ProcessHandle> driver;
        // One driver start at a time, so the one new "run-driver" child of this JVM is ours.
        synchronized (BrowserLauncher.class) {
            java.util.Set<Long> before = drivers().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            List<ProcessHandle> started = drivers().filter(p -> !before.contains(p.pid())).toList();
            driver = started.size() == 1 ? Optional.of(started.get(0)) : Optional.empty();
        }
        try {
            BrowserType.LaunchOptions options = new BrowserType.LaunchOptions()
                    .setHeadless(settings.headless())
                    .setArgs(ARGS);
            chromium.ifPresent(options::setExecutablePath);
            settings.proxy().filter(p -> !p.isBlank()).ifPresent(p -> options.setProxy(new Proxy(p)));
            return new Launched(playwright, playwright.chromium().launch(options), driver);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** Playwright driver processes started by this JVM. */
    private static java.util.stream.Stream<ProcessHandle> drivers() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("run-driver")).orElse(false));
    }

    /** A Chromium browser process (or one of its helpers), by its executable's name. */
    public static boolean isChromium(ProcessHandle p) {
        return p.info().command().map(c -> {
            String name = c.substring(c.lastIndexOf('/') + 1);
            return (name.contains("chrom") || name.contains("headless_shell")) && !name.contains("crashpad");
        }).orElse(false);
    }

    /** A fresh context for one job: downloads on, Chinese locale and time zone. */
    public static BrowserContext newJobContext(Browser browser) {
        return browser.newContext(jobContextOptions());
    }

    /** The options of {@link #newJobContext}, for callers that add their own (the egress guard's proxy). */
    public static Browser.NewContextOptions jobContextOptions() {
        return new Browser.NewContextOptions()
                .setAcceptDownloads(true)
                .setLocale("zh-CN")
                .setTimezoneId("Asia/Shanghai")
                .setViewportSize(1280, 900);
    }
}
