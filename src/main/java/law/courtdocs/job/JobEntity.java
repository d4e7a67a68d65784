package law.courtdocs.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import law.courtdocs.text.TextPolicy;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The firm the job belongs to; every read filters by it (see {@link JobService}). */
    @Column(length = 128)
    public String tenant;

    @Column(length = 2048)
    public String url;

    @Column(length = 32)
    public String portal;

    @Enumerated(EnumType.STRING)
    @Column(length = 32)
    private JobStatus status;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    public int priority;

    @Column(name = "case_ref", length = 128)
    public String caseRef;

    public int attempts;

    @Column(name = "max_attempts")
    public int maxAttempts;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(length = 255)
    public String worker;

    @Column(name = "error_code", length = 64)
    public String errorCode;

    @Column(name = "error_message", length = 2000)
    public String errorMessage;

    /** Normalised identity of the delivery (see {@link DeliveryKey}); null when not comparable. */
    @Column(name = "dedup_key", length = 2100)
    public String dedupKey;

    /** Attempts made before the current series (a retry through the API starts a new one). */
    @Column(name = "attempt_series_start")
    public int attemptSeriesStart;

    /** Set while the job is WAITING_FOR_CAPTCHA: when it started waiting. */
    @Column(name = "captcha_requested_at")
    public Instant captchaRequestedAt;

    /** Captchas a person was asked in this series of attempts. */
    @Column(name = "captcha_rounds")
    public int captchaRounds;

    /**
     * Portal credentials sealed for this job ({@link JobCredentials}); null when none came or once
     * the job finished (see {@link #moveTo}).
     */
    public byte[] credentials;

    @Version
    public long version;

    /** Status before the first move not yet written as an event (see {@link #takeMove}). */
    @Transient
    private JobStatus movedFrom;

    @Transient
    private boolean eventDue;

    /**
     * The W3C traceparent of the request that made the job, taken on the request's thread: the
     * submit batcher writes the outbox row on a thread of its own. Not stored on the job.
     */
    @Transient
    public String traceParent;

    public JobStatus status() {
        return status;
    }

    /** The one way to change status: refuses what {@link JobStatus#canMoveTo} forbids. */
    public void moveTo(JobStatus target) {
        if (status != null && !status.canMoveTo(target)) {
            throw new IllegalTransitionException(id, status, target);
        }
        if (!eventDue) {
            movedFrom = status;
            eventDue = true;
        }
        status = target;
        if (target.isFinal()) {
            // Erased by the same change that ends the job, so in the same transaction whichever
            // path (success, failure, cancel, lost lease) ends it: nothing secret outlives the work.
            credentials = null;
        }
    }

    /**
     * For {@link law.courtdocs.event.EventLog}: the status the job moved from, and the move counts
     * as written. Until then the job cannot be saved ({@link #refuseSilentMove}).
     */
    public JobStatus takeMove() {
        JobStatus from = movedFrom;
        movedFrom = null;
        eventDue = false;
        return from;
    }

    /**
     * Every status change writes its event in the same transaction; a code path that forgot to
     * fails here, in its tests, rather than leaving webhooks and streams a change short.
     */
    @PrePersist
    @PreUpdate
    void refuseSilentMove() {
        if (eventDue) {
            throw new IllegalStateException("job " + id + " moved to " + status + " without writing its event");
        }
    }

    public boolean hasCredentials() {
        return credentials != null;
    }

    public static JobEntity newQueued(UUID id, String tenant, String url, String portal, int priority, String caseRef,
            int maxAttempts, Instant now) {
        JobEntity job = new JobEntity();
        job.id = id;
        job.tenant = tenant;
        job.url = url;
        job.portal = portal;
        job.priority = priority;
        job.caseRef = caseRef;
        job.maxAttempts = maxAttempts;
        job.createdAt = now;
        job.moveTo(JobStatus.QUEUED);
        return job;
    }

    /**
     * Attempts counted against {@link #maxAttempts} (and for the backoff): those of this series
     * that did not end by parking for a captcha. A park is no failure, each one is one attempt
     * and one of {@link #captchaRounds} (reset with the series), and the rounds have their own
     * cap ({@code court.captcha.max-rounds}); counted here as well, a daolv job, which parks
     * before every login, would lose half its retries, and one whose captcha took a few tries
     * would fail on its first transient error.
     */
    public int attemptsInSeries() {
        return Math.max(0, attempts - attemptSeriesStart - captchaRounds);
    }

    public void recordError(ErrorCode code, String message) {
        errorCode = code == null ? null : code.name();
        // a portal's text may hold what PostgreSQL cannot store: cleaned, or the failure itself could not be recorded
        errorMessage = message == null ? null : truncate(TextPolicy.clean(message), 2000);
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
