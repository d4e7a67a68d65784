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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.egress.BrowserGuard;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.egress.GuardedHttpClient;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.portal.CaptchaParked;
import law.courtdocs.portal.DownloadedFile;
import law.courtdocs.portal.ParkedSession;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.portal.PortalException;
import law.courtdocs.portal.PortalSession;
import law.courtdocs.storage.DocumentIntake;

/**
 * The worker's side of {@link PortalSession}: owns the job's context, directory and deadline, and
 * keeps both browser and HTTP client inside the job's {@link EgressGuard}, collecting what it
 * blocked.
 */
final class WorkerSession implements PortalSession, AutoCloseable {

    /** Enough to see what a page tried; a page retrying in a loop must not grow the attempt row. */
    static final int MAX_BLOCKED = 100;

    private final UUID jobId;
    private final URI link;
    private final Supplier<com.microsoft.playwright.Browser> browser;
    private final EgressGuard guard;
    private final Optional<String> outboundProxy;
    private final HttpClient http;
    private final Set<String> blocked = new LinkedHashSet<>();
    private final DocumentIntake intake;
    private final Duration navigationTimeout;
    private final Duration downloadTimeout;
    private final Instant deadline;
    private final Path workDir;
    private final java.util.function.BooleanSupplier cancelled;
    private final long maxJobBytes;
    private final PortalCredentials credentials;
    private BrowserGuard.Guarded context;
    /** Set when this attempt continues a job that was parked for a captcha. */
    private Resume resume;
    private int accepted;
    private long acceptedBytes;

    /** The job was cancelled through the API while it ran; not a failure. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * @param http the shared client, built with {@code Redirect.NEVER}
     * @param guard the job's egress policy; proxied exactly when {@code outboundProxy} is present
     */
    WorkerSession(UUID jobId, URI link, Supplier<com.microsoft.playwright.Browser> browser, HttpClient http,
            EgressGuard guard, Optional<String> outboundProxy, DocumentIntake intake, Duration navigationTimeout,
            Duration downloadTimeout, Instant deadline, java.util.function.BooleanSupplier cancelled,
            long maxJobBytes, PortalCredentials credentials) throws IOException {
        this.jobId = jobId;
        this.link = link;
        this.browser = browser;
        // one DNS cache for the job: browser and HTTP client see the same answers
        this.guard = guard.withDnsCache();
        this.outboundProxy = outboundProxy;
        this.http = new GuardedHttpClient(http, this.guard, this::recordBlocked);
        this.intake = intake;
        this.navigationTimeout = navigationTimeout;
        this.downloadTimeout = downloadTimeout;
        this.deadline = deadline;
        this.cancelled = cancelled;
        this.maxJobBytes = maxJobBytes;
        this.credentials = credentials == null ? PortalCredentials.none() : credentials;
        this.workDir = Files.createTempDirectory("job-" + jobId);
    }

    @Override
    public URI link() {
        return link;
    }

    @Override
    public BrowserContext browser() {
        if (context == null) {
            context = BrowserGuard.open(browser.get(), BrowserLauncher.jobContextOptions(), guard, outboundProxy,
                    this::recordBlocked);
            context.context().setDefaultTimeout(navigationTimeout.toMillis());
            context.context().setDefaultNavigationTimeout(navigationTimeout.toMillis());
        }
        return context.context();
    }

    /** The link itself against the job's policy (recorded as blocked when refused). */
    EgressGuard.Decision checkLink() {
        EgressGuard.Decision decision = guard.check(link);
        if (!decision.allowed()) {
            recordBlocked(EgressGuard.hostAndPath(link));
        }
        return decision;
    }

    /** Called from Playwright's and the egress proxy's threads. */
    private void recordBlocked(String hostAndPath) {
        synchronized (blocked) {
            if (blocked.size() < MAX_BLOCKED) {
                blocked.add(hostAndPath);
            }
        }
    }

    /** Host and path (never query) of each distinct request the egress guard refused, first seen first. */
    List<String> blocked() {
        synchronized (blocked) {
            return List.copyOf(blocked);
        }
    }

    boolean browserUsed() {
        return context != null;
    }

    /** This attempt continues a parked job: the adapter gets the session and the answer. */
    void resumeWith(Resume resume) {
        this.resume = resume;
    }

    @Override
    public Optional<Resume> resume() {
        return Optional.ofNullable(resume);
    }

    /**
     * The default solver is a person, who is not here now: the attempt ends, and the worker parks
     * the job with the image and {@code resumeWith} (see {@link JobRunner}).
     */
    @Override
    public String solveCaptcha(byte[] image, ParkedSession resumeWith) {
        throw new CaptchaParked(image, resumeWith);
    }

    /** Opened from the job's row at claim time; lives only as long as this attempt. */
    @Override
    public PortalCredentials credentials() {
        return credentials;
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
