package law.courtdocs.worker;

import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import law.courtdocs.browser.BrowserPool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.trace.Traces;
import org.jboss.logging.MDC;
import law.courtdocs.metrics.CourtMetrics;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.egress.OutboundHttp;
import law.courtdocs.job.CaptchaService;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.job.JobService;
import law.courtdocs.job.StartedJob;
import law.courtdocs.portal.CaptchaParked;
import law.courtdocs.portal.PortalAdapter;
import law.courtdocs.portal.PortalException;
import law.courtdocs.portal.PortalRegistry;
import law.courtdocs.portal.PortalSession;
import law.courtdocs.storage.DocumentIntake;

/**
 * Runs one attempt of one job on the calling (blocking worker) thread: claim it, let its portal
 * adapter download, record the outcome. Database work happens before and after the browser
 * works, in short transactions; none is open while a portal is slow.
 */
@ApplicationScoped
public class JobRunner {

    private final JobService jobs;
    private final PortalRegistry portals;
    private final BrowserPool browsers;
    private final DocumentIntake intake;
    private final CourtConfig config;
    private final HttpClient http;
    private final WorkerLifecycle lifecycle;
    private final Optional<String> outboundProxy;
    private final CaptchaService captchas;
    /**
     * Stores a job's documents beside its adapter (see {@link WorkerSession}): at most one busy
     * thread per slot. Never shut down: a job still running when the bean container stops (a worker
     * past its shutdown grace) must not have its storing refused; idle threads end after a minute.
     */
    private final ExecutorService storingThreads = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "document-storing-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private final CourtMetrics metrics;
    private final Tracer tracer;

    public JobRunner(JobService jobs, PortalRegistry portals, BrowserPool browsers, DocumentIntake intake,
            CourtConfig config, WorkerLifecycle lifecycle, CaptchaService captchas, CourtMetrics metrics,
            Tracer tracer) {
        this.jobs = jobs;
        this.tracer = tracer;
        this.metrics = metrics;
        this.captchas = captchas;
        this.portals = portals;
        this.browsers = browsers;
        this.intake = intake;
        this.config = config;
        this.lifecycle = lifecycle;
        this.outboundProxy = config.httpProxy().filter(p -> !p.isBlank());
        this.http = OutboundHttp.client(outboundProxy, Duration.ofSeconds(10));
    }

    /** What became of a job message. */
    public enum Result {
        RAN,
        /** Cancelled meanwhile, or a duplicate of a running or finished job: nothing to do. */
        NOT_QUEUED,
        /** No such job: the message can never be processed. */
        UNKNOWN_JOB
    }

    public Result run(java.util.UUID jobId) {
        return run(jobId, null);
    }

    /**
     * Runs one attempt of the job in a span that continues {@code traceParent} (the W3C
     * traceparent the job's message carried; none starts a new trace), with its trace id in
     * every log line of the attempt (MDC {@code traceId}) and in the attempt record.
     */
    public Result run(java.util.UUID jobId, String traceParent) {
        Span span = tracer.spanBuilder("job attempt").setParent(Traces.parent(traceParent))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("court.job.id", jobId.toString()).startSpan();
        String traceId = span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
        try (Scope scope = span.makeCurrent()) {
            if (traceId != null) {
                MDC.put("traceId", traceId);
                MDC.put("spanId", span.getSpanContext().getSpanId());
            }
            Result result = runInSpan(jobId, traceId, span);
            span.setAttribute("court.job.result", result.name());
            return result;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            MDC.remove("traceId");
            MDC.remove("spanId");
            span.end();
        }
    }

    private Result runInSpan(java.util.UUID jobId, String traceId, Span span) {
        JobService.Claim claim = jobs.claim(jobId, lifecycle.workerName(), traceId);
        if (claim.unknownJob()) {
            return Result.UNKNOWN_JOB;
        }
        if (claim.started().isEmpty()) {
            Log.debugf("job %s not QUEUED any more; message dropped", jobId);
            return Result.NOT_QUEUED;
        }
        StartedJob job = claim.started().get();
        span.setAttribute("court.portal", job.portal());
        span.setAttribute("court.attempt", job.attempt());
        lifecycle.started(job);
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
            outcome = attempt(job, claim.credentials(), captchas.takeResume(job));
            if (outcome.cancelled) {
                Log.infof("job %s cancelled while running; stopped at a checkpoint", job.id());
                jobs.closeCancelledAttempt(job);
                metrics.attemptFinished(job.portal(), "CANCELLED", System.nanoTime() - t0);
                return Result.RAN;
            }
            if (outcome.parked != null) {
                // the slot is free as soon as this returns: the message is acked, the job waits
                // in the database for a person, and the answer comes back as a new message
                captchas.park(job, outcome.parked.image(), outcome.parked.session());
                metrics.attemptFinished(job.portal(), "CAPTCHA", System.nanoTime() - t0);
                metrics.captchaWait(job.portal());
                return Result.RAN;
            }
            if (outcome.error == null) {
                jobs.succeed(job, outcome.blocked);
            } else {
                Evidence.Capture evidence = outcome.evidence;
                jobs.fail(job, outcome.error, outcome.message, evidence == null ? null : evidence.screenshot(),
                        evidence == null ? null : evidence.html(), outcome.blocked);
            }
        } finally {
            lifecycle.finished(job);
        }
        long took = System.nanoTime() - t0;
        String result = outcome.error == null ? "SUCCEEDED" : outcome.error.name();
        span.setAttribute("court.outcome", result);
        metrics.attemptFinished(job.portal(), result, took);
        Log.infof("job %s [%s] attempt %d finished in %d ms: %s", job.id(), job.portal(), job.attempt(),
                took / 1_000_000, result);
        if (!outcome.blocked.isEmpty()) {
            Log.infof("job %s attempt %d: egress policy blocked %d distinct request(s)", job.id(), job.attempt(),
                    outcome.blocked.size());
        }
        return Result.RAN;
    }

    /**
     * {@code blocked}: host and path of requests the egress guard refused during the attempt;
     * {@code evidence}: what the page looked like when the attempt failed.
     */
    private record Outcome(ErrorCode error, String message, boolean cancelled, List<String> blocked,
            Evidence.Capture evidence, CaptchaParked parked) {
        static final Outcome OK = new Outcome(null, null);
        static final Outcome CANCELLED = new Outcome(null, null, true, List.of(), null, null);

        Outcome(ErrorCode error, String message) {
            this(error, message, false, List.of(), null, null);
        }

        /** Not a failure: the adapter waits for a person to answer its captcha. */
        static Outcome parked(CaptchaParked parked) {
            return new Outcome(null, null, false, List.of(), null, parked);
        }

        Outcome withBlocked(List<String> blocked) {
            return new Outcome(error, message, cancelled, blocked, evidence, parked);
        }

        Outcome withEvidence(Evidence.Capture capture) {
            return new Outcome(error, message, cancelled, blocked, capture, parked);
        }
    }

    private Outcome attempt(StartedJob job, law.courtdocs.portal.PortalCredentials credentials,
            Optional<PortalSession.Resume> resume) {
        Span step = tracer.spanBuilder("portal " + job.portal()).startSpan();
        try (Scope scope = step.makeCurrent()) {
            Outcome outcome = attemptAtPortal(job, credentials, resume);
            if (outcome.error != null) {
                step.setStatus(StatusCode.ERROR, outcome.error.name());
            }
            return outcome;
        } finally {
            step.end();
        }
    }

    private Outcome attemptAtPortal(StartedJob job, law.courtdocs.portal.PortalCredentials credentials,
            Optional<PortalSession.Resume> resume) {
        Optional<PortalAdapter> adapter = portals.byId(job.portal());
        if (adapter.isEmpty()) {
            return new Outcome(ErrorCode.UNSUPPORTED_PAGE, "no adapter for portal " + job.portal());
        }
        Instant deadline = Instant.now().plus(config.worker().jobTimeout());
        URI link = URI.create(job.url());
        EgressGuard guard;
        try {
            guard = EgressGuard.of(adapter.get().egressHosts(link), outboundProxy.isPresent());
        } catch (IllegalArgumentException e) {
            Log.errorf("job %s: adapter %s gave a bad egress rule: %s", job.id(), job.portal(), e.getMessage());
            return new Outcome(ErrorCode.INTERNAL, "bad egress rule for portal " + job.portal());
        }
        try (WorkerSession session = new WorkerSession(job.id(), link, browsers::browserForJob, http, guard,
                outboundProxy, intake::accept, storingThreads, config.browser().navigationTimeout(),
                config.browser().downloadTimeout(), deadline, throttled(() -> jobs.isCancelled(job.id())),
                config.files().maxJobBytes(), credentials)) {
            resume.ifPresent(session::resumeWith);
            Outcome outcome;
            try {
                outcome = download(adapter.get(), job, session);
            } catch (PlaywrightException e) {
                // starting the browser itself failed
                browsers.discardCurrent();
                outcome = new Outcome(ErrorCode.BROWSER_CRASHED, firstLine(e.getMessage()));
            }
            if (outcome.error != null && session.browserUsed() && outcome.error != ErrorCode.BROWSER_CRASHED) {
                outcome = outcome.withEvidence(Evidence.capture(session.browser(), link));
            }
            return outcome.withBlocked(session.blocked());
        } catch (IOException e) {
            return new Outcome(ErrorCode.INTERNAL, "cannot create the job's work directory");
        }
    }

    private Outcome download(PortalAdapter adapter, StartedJob job, WorkerSession session) {
        try {
            EgressGuard.Decision first = session.checkLink();
            if (!first.allowed()) {
                // Without a proxy the link's host is resolved here: no browser is started for a
                // host that does not resolve or that points inside.
                return new Outcome(ErrorCode.NETWORK_ERROR, "egress policy refused the link: " + first.reason());
            }
            adapter.download(session);
            session.awaitStoring();
            session.checkDeadline();
            return session.accepted() == 0
                    ? new Outcome(ErrorCode.NO_DOCUMENTS, "the portal listed no documents")
                    : Outcome.OK;
        } catch (WorkerSession.Cancelled e) {
            return Outcome.CANCELLED;
        } catch (CaptchaParked e) {
            return Outcome.parked(e);
        } catch (PortalException e) {
            if (browsers.currentLost()) {
                // The pool's watchdog stopped this thread's driver because its Chromium had died;
                // the adapter only saw a closed pipe, which it cannot tell from a bug of its own.
                browsers.discardCurrent();
                return new Outcome(ErrorCode.BROWSER_CRASHED, e.getMessage());
            }
            return new Outcome(e.code(), e.getMessage());
        } catch (TimeoutError e) {
            return new Outcome(ErrorCode.TIMEOUT, firstLine(e.getMessage()));
        } catch (PlaywrightException e) {
            if (browsers.currentLost() || (session.browserUsed() && !session.browser().browser().isConnected())) {
                browsers.discardCurrent();
                return new Outcome(ErrorCode.BROWSER_CRASHED, firstLine(e.getMessage()));
            }
            return new Outcome(ErrorCode.NETWORK_ERROR, firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s: unexpected failure in adapter %s", job.id(), job.portal());
            return new Outcome(ErrorCode.INTERNAL, e.getClass().getSimpleName());
        }
    }

    /**
     * The cancel checkpoint asks the database at most once a second: a cancel still takes effect
     * before the next document, without a query per document on a fast portal.
     */
    static java.util.function.BooleanSupplier throttled(java.util.function.BooleanSupplier check) {
        return new java.util.function.BooleanSupplier() {
            private long nextCheck;
            private boolean cancelled;

            @Override
            public boolean getAsBoolean() {
                long now = System.nanoTime();
                if (!cancelled && now - nextCheck >= 0) {
                    cancelled = check.getAsBoolean();
                    nextCheck = now + 1_000_000_000L;
                }
                return cancelled;
            }
        };
    }

    static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
