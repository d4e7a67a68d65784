package law.courtdocs.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * The message on the jobs queue. It names the job and nothing else of substance: the database is
 * the truth, so a stale or duplicated message can never undo what a job already is.
 */
public record JobMessage(int v, UUID jobId, int priority, Instant queuedAt) {

    public static final int VERSION = 1;

    public static JobMessage of(UUID jobId, int priority, Instant queuedAt) {
        return new JobMessage(VERSION, jobId, priority, queuedAt);
    }

    /** RabbitMQ priority: higher is more urgent, while ours is 1 = most urgent. */
    public int brokerPriority() {
        return 11 - Math.max(1, Math.min(10, priority));
    }
}
