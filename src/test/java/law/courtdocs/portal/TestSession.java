package law.courtdocs.portal;

import com.microsoft.playwright.BrowserContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.egress.BrowserGuard;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.egress.GuardedHttpClient;

/**
 * A {@link PortalSession} for adapter tests without Quarkus: a real Chromium behind the
 * simulator-as-proxy, and a list instead of storage. Accepted files are copied, so tests can
 * read their bytes after the work directory is gone.
 */
public final class TestSession implements PortalSession, AutoCloseable {

    private final URI link;
    private final BrowserLauncher.Launched launched;
    private final HttpClient http;
    private final Path workDir;
    /** Set by the guarded constructor: browser and HTTP client then run inside it, as in the worker. */
    private final EgressGuard guard;
    private final int proxyPort;
    private BrowserContext context;
    private BrowserGuard.Guarded guarded;
    /** What the egress guard refused (guarded sessions only). */
    public final List<String> blocked = new CopyOnWriteArrayList<>();
    public final List<DownloadedFile> accepted = new ArrayList<>();
    public final List<byte[]> acceptedBytes = new ArrayList<>();
    /** Set by tests of portals that need phones, codes or accounts. */
    public PortalCredentials credentials = PortalCredentials.none();
    /** Set by tests of portals with captchas: image bytes → answer. */
    public java.util.function.Function<byte[], String> captchaSolver;
    /**
     * Set by tests of parking: {@link #solveCaptcha(byte[], ParkedSession)} throws
     * {@link CaptchaParked} as the worker's person-solver does, instead of asking {@link #captchaSolver}.
     */
    public boolean parkOnCaptcha;
    /** Set by tests of resuming: what an earlier, parked session left, with the answer. */
    public PortalSession.Resume resume;

    /** @param launched a browser started with the simulator as proxy; the caller closes it */
    public TestSession(String link, BrowserLauncher.Launched launched, int proxyPort) {
        this(link, launched, proxyPort, null);
    }

    /**
     * Like the worker's session: HTTP client and browser context behind {@code guard} (which
     * must be proxied: the simulator is the outbound proxy).
     */
    public TestSession(String link, BrowserLauncher.Launched launched, int proxyPort, EgressGuard guard) {
        this.link = URI.create(link);
        this.launched = launched;
        this.guard = guard;
        this.proxyPort = proxyPort;
        HttpClient plain = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(guard == null ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .build();
        this.http = guard == null ? plain : new GuardedHttpClient(plain, guard, blocked::add);
        try {
            this.workDir = Files.createTempDirectory("adapter-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For adapters that need no browser: {@link #browser()} throws. */
    public TestSession(String link, int proxyPort) {
        this(link, null, proxyPort);
    }

    /** Browser for adapter tests: system Chromium, simulator as proxy, headless. */
    public static BrowserLauncher.Launched launchBrowser(String proxyUrl) {
        return BrowserLauncher.launch(new BrowserLauncher.Settings(
                java.util.Optional.empty(), java.util.Optional.of(proxyUrl), true));
    }

    @Override
    public URI link() {
        return link;
    }

    @Override
    public BrowserContext browser() {
        if (launched == null) {
            throw new IllegalStateException("this test session has no browser");
        }
        if (context == null) {
            if (guard == null) {
                context = BrowserLauncher.newJobContext(launched.browser());
            } else {
                guarded = BrowserGuard.open(launched.browser(), BrowserLauncher.jobContextOptions(), guard,
                        Optional.of("http://127.0.0.1:" + proxyPort), blocked::add);
                context = guarded.context();
            }
        }
        return context;
    }

    @Override
    public HttpClient http() {
        return http;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Duration navigationTimeout() {
        return Duration.ofSeconds(15);
    }

    @Override
    public Duration downloadTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public PortalCredentials credentials() {
        return credentials;
    }

    @Override
    public String solveCaptcha(byte[] image) throws PortalException {
        if (captchaSolver == null) {
            return PortalSession.super.solveCaptcha(image);
        }
        return captchaSolver.apply(image);
    }

    @Override
    public String solveCaptcha(byte[] image, ParkedSession resumeWith) throws PortalException {
        if (parkOnCaptcha) {
            throw new CaptchaParked(image, resumeWith);
        }
        return solveCaptcha(image);
    }

    @Override
    public Optional<PortalSession.Resume> resume() {
        return Optional.ofNullable(resume);
    }

    @Override
    public void accept(DownloadedFile document) {
        try {
            accepted.add(document);
            acceptedBytes.add(Files.readAllBytes(document.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (guarded != null) {
            guarded.close();
        } else if (context != null) {
            context.close();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp directory; best effort
        }
    }
}
