package law.courtdocs.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * The job lifecycle, and the only place that says which move is allowed. Every status change
 * goes through {@link JobEntity#moveTo}, which asks {@link #canMoveTo}; so no code path can, for
 * instance, take a SUCCEEDED job back to RUNNING.
 *
 * <pre>
 *   QUEUED ──▶ RUNNING ──▶ SUCCEEDED
 *     ▲  │        │  │
 *     │  │        │  └──▶ FAILED ──┐
 *     │  │        ▼                │ retry (API)
 *     │  │   RETRY_SCHEDULED       │
 *     │  ▼        │                │
 *     │ CANCELLED ◀┘               │
 *     └────────────────────────────┘
 * </pre>
 * A RUNNING job goes back to QUEUED when its worker stops or dies before finishing.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    RETRY_SCHEDULED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private Set<JobStatus> next;

    static {
        QUEUED.next = EnumSet.of(RUNNING, CANCELLED);
        RUNNING.next = EnumSet.of(SUCCEEDED, FAILED, RETRY_SCHEDULED, QUEUED, CANCELLED);
        RETRY_SCHEDULED.next = EnumSet.of(QUEUED, CANCELLED);
        SUCCEEDED.next = EnumSet.noneOf(JobStatus.class);
        FAILED.next = EnumSet.of(QUEUED);
        CANCELLED.next = EnumSet.of(QUEUED);
    }

    public boolean canMoveTo(JobStatus target) {
        return next.contains(target);
    }

    /** No worker will touch the job again unless a person asks (retry). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
