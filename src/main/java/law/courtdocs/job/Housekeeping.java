package law.courtdocs.job;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventLog;

/** Rows that only matter for a while. */
@ApplicationScoped
public class Housekeeping {

    private final JobService jobs;
    private final EventLog events;
    private final Duration eventRetention;

    public Housekeeping(JobService jobs, EventLog events, CourtConfig config) {
        this.jobs = jobs;
        this.events = events;
        this.eventRetention = config.events().retention();
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pruneIdempotencyKeys() {
        jobs.pruneIdempotencyKeys();
    }

    /** {@code court.events.retention}: in bounded batches, so a first purge of a large backlog holds no long lock. */
    @Scheduled(every = "10m", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purgeEvents() {
        Instant before = Instant.now().minus(eventRetention);
        while (events.purge(before, 5_000) == 5_000) {
            // next batch
        }
    }
}
