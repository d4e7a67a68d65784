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
import java.util.Optional;
import law.courtdocs.browser.BrowserPool;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.egress.OutboundHttp;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.job.JobService;
import law.courtdocs.job.StartedJob;
import law.courtdocs.portal.PortalAdapter;
import law.courtdocs.portal.PortalException;
import law.courtdocs.portal.PortalRegistry;
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

    public JobRunner(JobService jobs, PortalRegistry portals, BrowserPool browsers, DocumentIntake intake,
            CourtConfig config, WorkerLifecycle lifecycle) {
        this.jobs = jobs;
        this.portals = portals;
        this.browsers = browsers;
        this.intake = intake;
        this.config = config;
        this.lifecycle = lifecycle;
        this.http = OutboundHttp.client(config.httpProxy(), Duration.ofSeconds(10));
    }

    /** @return false if the job was not ours to run (gone, cancelled, already running elsewhere) */
    public boolean run(java.util.UUID jobId) {
        Optional<StartedJob> claimed = jobs.start(jobId, lifecycle.workerName());
        if (claimed.isEmpty()) {
            Log.debugf("job %s not QUEUED any more; message dropped", jobId);
            return false;
        }
        StartedJob job = claimed.get();
        lifecycle.started(job);
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
            outcome = attempt(job);
            if (outcome.cancelled) {
                Log.infof("job %s cancelled while running; stopped at a checkpoint", job.id());
                jobs.closeCancelledAttempt(job);
                return true;
            }
            if (outcome.error == null) {
                jobs.succeed(job);
            } else {
                Evidence.Capture evidence = outcome.evidence;
                jobs.fail(job, outcome.error, outcome.message, evidence == null ? null : evidence.screenshot(),
                        evidence == null ? null : evidence.html());
            }
        } finally {
            lifecycle.finished(job);
        }
        Log.infof("job %s [%s] attempt %d finished in %d ms: %s", job.id(), job.portal(), job.attempt(),
                (System.nanoTime() - t0) / 1_000_000, outcome.error == null ? "SUCCEEDED" : outcome.error);
        return true;
    }

    private record Outcome(ErrorCode error, String message, boolean cancelled, Evidence.Capture evidence) {
        static final Outcome OK = new Outcome(null, null, false, null);
        static final Outcome CANCELLED = new Outcome(null, null, true, null);

        Outcome(ErrorCode error, String message) {
            this(error, message, false, null);
        }

        Outcome withEvidence(Evidence.Capture capture) {
            return new Outcome(error, message, cancelled, capture);
        }
    }

    private Outcome attempt(StartedJob job) {
        Optional<PortalAdapter> adapter = portals.byId(job.portal());
        if (adapter.isEmpty()) {
            return new Outcome(ErrorCode.UNSUPPORTED_PAGE, "no adapter for portal " + job.portal());
        }
        Instant deadline = Instant.now().plus(config.worker().jobTimeout());
        try (WorkerSession session = new WorkerSession(job.id(), URI.create(job.url()), browsers::browserForJob,
                http, intake, config.browser().navigationTimeout(), config.browser().downloadTimeout(), deadline,
                () -> jobs.isCancelled(job.id()), config.files().maxJobBytes())) {
            Outcome outcome = download(adapter.get(), session, job);
            if (outcome.error != null && session.browserUsed() && !outcome.error.equals(ErrorCode.BROWSER_CRASHED)) {
                outcome = outcome.withEvidence(Evidence.capture(session.browser(), URI.create(job.url())));
            }
            return outcome;
        } catch (IOException e) {
            return new Outcome(ErrorCode.INTERNAL, "cannot create the job's work directory");
        } catch (PlaywrightException e) {
            // starting the browser itself failed
            browsers.discardCurrent();
            return new Outcome(ErrorCode.BROWSER_CRASHED, firstLine(e.getMessage()));
        }
    }

    private Outcome download(PortalAdapter adapter, WorkerSession session, StartedJob job) {
        try {
            adapter.download(session);
            session.checkDeadline();
            return session.accepted() == 0
                    ? new Outcome(ErrorCode.NO_DOCUMENTS, "the portal listed no documents")
                    : Outcome.OK;
        } catch (WorkerSession.Cancelled e) {
            return Outcome.CANCELLED;
        } catch (PortalException e) {
            return new Outcome(e.code(), e.getMessage());
        } catch (TimeoutError e) {
            return new Outcome(ErrorCode.TIMEOUT, firstLine(e.getMessage()));
        } catch (PlaywrightException e) {
            if (session.browserUsed() && !session.browser().browser().isConnected()) {
                browsers.discardCurrent();
                return new Outcome(ErrorCode.BROWSER_CRASHED, firstLine(e.getMessage()));
            }
            return new Outcome(ErrorCode.NETWORK_ERROR, firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s: unexpected failure in adapter %s", job.id(), job.portal());
            return new Outcome(ErrorCode.INTERNAL, e.getClass().getSimpleName());
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
