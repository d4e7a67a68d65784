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
import law.courtdocs.browser.BrowserLauncher;

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
    private BrowserContext context;
    public final List<DownloadedFile> accepted = new ArrayList<>();
    public final List<byte[]> acceptedBytes = new ArrayList<>();
    /** Set by tests of portals that need phones, codes or accounts. */
    public PortalCredentials credentials = PortalCredentials.none();
    /** Set by tests of portals with captchas: image bytes → answer. */
    public java.util.function.Function<byte[], String> captchaSolver;

    /** @param launched a browser started with the simulator as proxy; the caller closes it */
    public TestSession(String link, BrowserLauncher.Launched launched, int proxyPort) {
        this.link = URI.create(link);
        this.launched = launched;
        this.http = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
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
            context = BrowserLauncher.newJobContext(launched.browser());
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
        if (context != null) {
            context.close();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp directory; best effort
        }
    }
}
