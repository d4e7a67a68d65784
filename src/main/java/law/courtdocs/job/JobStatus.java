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
 *
 *   RUNNING ──▶ WAITING_FOR_CAPTCHA ──▶ QUEUED     (a person answered)
 *                                  ├──▶ FAILED     (nobody answered in time)
 *                                  └──▶ CANCELLED
 * </pre>
 * A RUNNING job goes back to QUEUED when its worker stops or dies before finishing. A job
 * WAITING_FOR_CAPTCHA holds no worker slot: its portal session is kept sealed with the job and
 * the next attempt continues from the captcha with the answer.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    RETRY_SCHEDULED,
    /** Parked: a person has to answer the portal's captcha ({@code /api/v1/jobs/{id}/captcha}). */
    WAITING_FOR_CAPTCHA,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private Set<JobStatus> next;

    static {
        QUEUED.next = EnumSet.of(RUNNING, CANCELLED);
        RUNNING.next = EnumSet.of(SUCCEEDED, FAILED, RETRY_SCHEDULED, QUEUED, CANCELLED, WAITING_FOR_CAPTCHA);
        RETRY_SCHEDULED.next = EnumSet.of(QUEUED, CANCELLED);
        // QUEUED, not RUNNING: the answer goes through the outbox like any other message, and
        // the worker that takes it claims the job as usual
        WAITING_FOR_CAPTCHA.next = EnumSet.of(QUEUED, FAILED, CANCELLED);
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
