package law.courtdocs.worker;

import com.microsoft.playwright.BrowserContext;
import io.quarkus.logging.Log;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
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

/**
 * The worker's side of {@link PortalSession}: owns the job's context, directory and deadline, and
 * keeps both browser and HTTP client inside the job's {@link EgressGuard}, collecting what it
 * blocked.
 *
 * <p>A document is stored (PDF text, hash, its rows and bytes in PostgreSQL) on another thread
 * while the adapter fetches the next one: a job waits on the portal's network, not on its own
 * storage. At most one document is being stored at a time: a failure to store one stops the job
 * when the adapter hands over the next (fetched, not stored) or when it returns.
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
    private final Storage storage;
    private final Executor storingThreads;
    /** The document being stored while the adapter fetches the next one; null when none. */
    private Storing storing;
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

    /** Takes one downloaded document into storage ({@code DocumentIntake::accept} in the service). */
    @FunctionalInterface
    interface Storage {
        void store(UUID jobId, DownloadedFile document) throws PortalException, IOException;
    }

    private record Storing(FutureTask<Void> task, DownloadedFile document) {}

    /** The job was cancelled through the API while it ran; not a failure. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * @param http the shared client, built with {@code Redirect.NEVER}
     * @param guard the job's egress policy; proxied exactly when {@code outboundProxy} is present
     * @param storingThreads runs {@code storage} beside the adapter; one task per session at a time
     */
    WorkerSession(UUID jobId, URI link, Supplier<com.microsoft.playwright.Browser> browser, HttpClient http,
            EgressGuard guard, Optional<String> outboundProxy, Storage storage, Executor storingThreads,
            Duration navigationTimeout, Duration downloadTimeout, Instant deadline,
            java.util.function.BooleanSupplier cancelled, long maxJobBytes, PortalCredentials credentials)
            throws IOException {
        this.jobId = jobId;
        this.link = link;
        this.browser = browser;
        // one DNS cache for the job: browser and HTTP client see the same answers
        this.guard = guard.withDnsCache();
        this.outboundProxy = outboundProxy;
        this.http = new GuardedHttpClient(http, this.guard, this::recordBlocked);
        this.storage = storage;
        this.storingThreads = storingThreads;
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
        awaitStoring();
        long size;
        try {
            size = Files.size(document.file());
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "cannot store " + document.fileName(), e);
        }
        if (acceptedBytes + size > maxJobBytes) {
            throw new PortalException(ErrorCode.UNSAFE_CONTENT, "the job's documents exceed " + maxJobBytes + " bytes");
        }
        acceptedBytes += size;
        FutureTask<Void> task = new FutureTask<>(() -> {
            storage.store(jobId, document);
            return null;
        });
        storing = new Storing(task, document);
        storingThreads.execute(task);
    }

    /**
     * Waits until the document handed over last is stored. Its failure is this attempt's failure,
     * thrown as storing would have thrown it in line.
     */
    void awaitStoring() throws PortalException {
        Storing pending = storing;
        if (pending == null) {
            return;
        }
        storing = null;
        try {
            pending.task().get();
            accepted++;
        } catch (InterruptedException e) {
            // close() still waits for the task: the file must outlive its reader
            storing = pending;
            Thread.currentThread().interrupt();
            throw new PortalException(ErrorCode.INTERNAL, "interrupted while storing " + pending.document().fileName());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PortalException p) {
                throw p;
            }
            if (cause instanceof IOException) {
                throw new PortalException(ErrorCode.INTERNAL, "cannot store " + pending.document().fileName(), cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
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
        finishStoring();
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

    /**
     * The attempt ended some other way (an adapter error, a cancel, a captcha) while a document was
     * being stored: that one is let finish before its file is deleted; stored, it counts for the
     * next attempt like any document of a failed one.
     */
    private void finishStoring() {
        Storing pending = storing;
        if (pending == null) {
            return;
        }
        storing = null;
        boolean interrupted = false;
        while (true) {
            try {
                pending.task().get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                Log.warnf("job %s: storing %s failed after the attempt had ended: %s", jobId,
                        pending.document().fileName(), e.getCause().toString());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
