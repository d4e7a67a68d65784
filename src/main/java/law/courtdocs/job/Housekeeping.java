package law.courtdocs.job;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows that only matter for a while. */
@ApplicationScoped
public class Housekeeping {

    private final JobService jobs;

    public Housekeeping(JobService jobs) {
        this.jobs = jobs;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pruneIdempotencyKeys() {
        jobs.pruneIdempotencyKeys();
    }
}
