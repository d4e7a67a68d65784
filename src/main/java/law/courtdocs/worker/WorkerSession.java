package law.courtdocs.worker;

import com.microsoft.playwright.BrowserContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Supplier;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.portal.DownloadedFile;
import law.courtdocs.portal.PortalException;
import law.courtdocs.portal.PortalSession;
import law.courtdocs.storage.DocumentIntake;

/** The worker's side of {@link PortalSession}: owns the job's context, directory and deadline. */
final class WorkerSession implements PortalSession, AutoCloseable {

    private final UUID jobId;
    private final URI link;
    private final Supplier<com.microsoft.playwright.Browser> browser;
    private final HttpClient http;
    private final DocumentIntake intake;
    private final Duration navigationTimeout;
    private final Duration downloadTimeout;
    private final Instant deadline;
    private final Path workDir;
    private final java.util.function.BooleanSupplier cancelled;
    private final long maxJobBytes;
    private BrowserContext context;
    private int accepted;
    private long acceptedBytes;

    /** The job was cancelled through the API while it ran; not a failure. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    WorkerSession(UUID jobId, URI link, Supplier<com.microsoft.playwright.Browser> browser, HttpClient http,
            DocumentIntake intake, Duration navigationTimeout, Duration downloadTimeout, Instant deadline,
            java.util.function.BooleanSupplier cancelled, long maxJobBytes)
            throws IOException {
        this.jobId = jobId;
        this.link = link;
        this.browser = browser;
        this.http = http;
        this.intake = intake;
        this.navigationTimeout = navigationTimeout;
        this.downloadTimeout = downloadTimeout;
        this.deadline = deadline;
        this.cancelled = cancelled;
        this.maxJobBytes = maxJobBytes;
        this.workDir = Files.createTempDirectory("job-" + jobId);
    }

    @Override
    public URI link() {
        return link;
    }

    @Override
    public BrowserContext browser() {
        if (context == null) {
            context = BrowserLauncher.newJobContext(browser.get());
            context.setDefaultTimeout(navigationTimeout.toMillis());
            context.setDefaultNavigationTimeout(navigationTimeout.toMillis());
        }
        return context;
    }

    boolean browserUsed() {
        return context != null;
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
        return navigationTimeout;
    }

    @Override
    public Duration downloadTimeout() {
        return downloadTimeout;
    }

    @Override
    public void accept(DownloadedFile document) throws PortalException {
        checkDeadline();
        // the checkpoint between documents: a cancelled job stores nothing more
        if (cancelled.getAsBoolean()) {
            throw new Cancelled();
        }
        try {
            long size = Files.size(document.file());
            if (acceptedBytes + size > maxJobBytes) {
                throw new PortalException(ErrorCode.UNSAFE_CONTENT, "the job's documents exceed " + maxJobBytes + " bytes");
            }
            intake.accept(jobId, document);
            accepted++;
            acceptedBytes += size;
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "cannot store " + document.fileName(), e);
        }
    }

    /** Between documents: a job past its deadline stops here rather than run on. */
    void checkDeadline() throws PortalException {
        if (Instant.now().isAfter(deadline)) {
            throw new PortalException(ErrorCode.TIMEOUT, "job took longer than its deadline");
        }
    }

    int accepted() {
        return accepted;
    }

    @Override
    public void close() {
        if (context != null) {
            try {
                context.close();
            } catch (RuntimeException ignored) {
                // the browser may have crashed; the pool replaces it
            }
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans what we could not
        }
    }
}
