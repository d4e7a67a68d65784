package law.courtdocs.job;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import law.courtdocs.queue.OutboxRelay;

/** Any pod, one at a time: RUNNING jobs whose worker died go back to the queue. */
@ApplicationScoped
public class LeaseReaper {

    private final JobService jobs;
    private final OutboxRelay relay;

    public LeaseReaper(JobService jobs, OutboxRelay relay) {
        this.jobs = jobs;
        this.relay = relay;
    }

    @Scheduled(every = "${court.worker.reaper-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void reap() {
        int n = jobs.reapExpiredLeases(100);
        if (n > 0) {
            Log.warnf("%d running job(s) lost their worker and were queued again", n);
            relay.kick();
        }
    }
}
