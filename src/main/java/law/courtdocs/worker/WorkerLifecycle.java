package law.courtdocs.worker;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.job.JobService;
import law.courtdocs.job.StartedJob;
import law.courtdocs.queue.OutboxRelay;

/**
 * What this worker process is running right now, its heartbeat, and its clean stop: on SIGTERM
 * it takes no new messages, gives running jobs {@code court.worker.shutdown-grace} to finish,
 * then hands the rest back to the queue, so a clean stop never leaves a job RUNNING.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private final JobService jobs;
    private final OutboxRelay relay;
    private final CourtConfig.Worker settings;
    private final String workerName;
    private final Map<UUID, StartedJob> running = new ConcurrentHashMap<>();
    private volatile boolean draining;

    public WorkerLifecycle(JobService jobs, OutboxRelay relay, CourtConfig config) {
        this.jobs = jobs;
        this.relay = relay;
        this.settings = config.worker();
        this.workerName = settings.name().orElseGet(law.courtdocs.config.HostName::current);
    }

    public String workerName() {
        return workerName;
    }

    public boolean draining() {
        return draining;
    }

    void started(StartedJob job) {
        running.put(job.id(), job);
    }

    void finished(StartedJob job) {
        running.remove(job.id(), job);
    }

    public int runningJobs() {
        return running.size();
    }

    @Scheduled(every = "${court.worker.heartbeat:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (!running.isEmpty()) {
            try {
                jobs.extendLeases(List.copyOf(running.keySet()), workerName);
            } catch (RuntimeException e) {
                // the lease is generous; the next beat may get through
                Log.warnf("could not extend job leases: %s", e.getMessage());
            }
        }
    }

    /** Runs early in shutdown, while the database and broker clients are still there. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        draining = true;
        if (running.isEmpty()) {
            return;
        }
        Log.infof("stopping: waiting up to %s for %d running job(s)", settings.shutdownGrace(), running.size());
        long end = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (!running.isEmpty() && System.nanoTime() < end) {
            sleep(Duration.ofMillis(200));
        }
        for (StartedJob job : List.copyOf(running.values())) {
            try {
                jobs.requeueInterrupted(job);
            } catch (RuntimeException e) {
                Log.errorf("job %s could not be handed back; the lease reaper will: %s", job.id(), e.getMessage());
            }
        }
        relay.relayPending();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
