package law.courtdocs.queue;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import law.courtdocs.job.JobService;

/**
 * Delays live in the database ({@code next_attempt_at}), not in broker TTLs: a retry survives a
 * restart of every process and of RabbitMQ, shows in the Job JSON, and can be cancelled. Any pod
 * may run this; row locks keep a due job from being queued twice.
 */
@ApplicationScoped
public class RetryScheduler {

    private final JobService jobs;
    private final OutboxRelay relay;

    public RetryScheduler(JobService jobs, OutboxRelay relay) {
        this.jobs = jobs;
        this.relay = relay;
    }

    // Like every periodic pass of ours (not the worker's heartbeat, which must go on while it
    // drains): none starts once shutdown began, when it would meet a closed persistence unit.
    @Scheduled(every = "${court.retry.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void enqueueDue() {
        int n = jobs.enqueueDueRetries(100);
        if (n > 0) {
            Log.infof("%d job(s) due for another attempt re-queued", n);
            relay.kick();
        }
    }
}
