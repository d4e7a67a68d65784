package law.courtdocs.job;

import io.quarkus.logging.Log;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import law.courtdocs.audit.AuditAction;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.auth.Caller;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventLog;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.queue.Outbox;
import law.courtdocs.secrets.JobSecrets;
import law.courtdocs.secrets.SecretBox;
import law.courtdocs.text.TextPolicy;

/**
 * Every change to a job, each in its own short transaction. The worker calls in here before and
 * after the browser works, never during, so no database connection is held while a portal is slow.
 *
 * <p>Methods called on behalf of an API caller take its {@link Caller} and see only the caller's
 * tenant: another tenant's job is as absent as one that never existed.
 */
@ApplicationScoped
public class JobService {

    private final EntityManager em;
    private final Outbox outbox;
    private final AuditLog audit;
    private final RetryPolicy retryPolicy;
    private final CourtConfig config;
    private final Clock clock;
    private final JobSecrets secrets;
    private final EventLog events;

    @Inject
    public JobService(EntityManager em, Outbox outbox, AuditLog audit, CourtConfig config, JobSecrets secrets,
            EventLog events) {
        this.em = em;
        this.events = events;
        this.secrets = secrets;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.clock = Clock.systemUTC();
        CourtConfig.Retry r = config.retry();
        this.retryPolicy = new RetryPolicy(r.initialDelay(), r.multiplier(), r.maxDelay(), r.notReadyDelay(),
                r.notReadyGiveUpAfter(), new Random());
    }

    /** A submission's answer: the job, and whether it was created now (201) or found (200). */
    public record Submitted(JobEntity job, boolean created) {}

    /** What the caller sent with an {@code Idempotency-Key}: the key and a hash of the request. */
    public record Idempotency(String key, String requestHash) {}

    /** The same {@code Idempotency-Key} came with a different request. */
    public static class IdempotencyKeyReused extends RuntimeException {
        public IdempotencyKeyReused() {
            super("Idempotency-Key was used with a different request", null, false, false);
        }
    }

    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /** Statuses in which a job already stands for its delivery: a new submission finds it. */
    static final List<JobStatus> STANDING = List.of(JobStatus.QUEUED, JobStatus.RUNNING,
            JobStatus.RETRY_SCHEDULED, JobStatus.WAITING_FOR_CAPTCHA, JobStatus.SUCCEEDED);

    /**
     * {@link #STANDING} as HQL enum literals. Written into the query rather than bound as a list
     * parameter: Hibernate re-translates a query with a list parameter to SQL on every call, and
     * this one runs on every submission (the bench's API profile had it as the costliest call).
     */
    private static final String STANDING_LITERALS = STANDING.stream()
            .map(s -> JobStatus.class.getName() + "." + s.name())
            .collect(Collectors.joining(", ", "(", ")"));

    /**
     * Stores the job and its queue message in one transaction (transactional outbox), unless the
     * same delivery already has an active or successful job in the tenant ({@code force} skips
     * that check) or the same {@code Idempotency-Key} was answered within 24 hours. An advisory
     * lock per tenant and delivery makes two concurrent submissions agree on one job.
     */
    @Transactional
    public Submitted submit(Caller caller, NewJob cmd, boolean force, Idempotency idempotency) {
        Instant now = clock.instant();
        if (idempotency != null) {
            lock("idem|" + caller.tenant() + "|" + idempotency.key());
            IdempotencyKeyEntity seen = IdempotencyKeyEntity.findById(
                    new IdempotencyKeyEntity.Id(caller.tenant(), idempotency.key()));
            if (seen != null && seen.createdAt.isAfter(now.minus(IDEMPOTENCY_WINDOW))) {
                if (!seen.requestHash.equals(idempotency.requestHash())) {
                    throw new IdempotencyKeyReused();
                }
                return new Submitted(em.find(JobEntity.class, seen.jobId), seen.status == 201);
            }
            if (seen != null) {
                seen.delete();
                em.flush();
            }
        }
        String key = DeliveryKey.of(cmd.url(), cmd.portal());
        Submitted result = null;
        if (key != null && !force) {
            lock(deliveryLock(caller.tenant(), key));
            JobEntity existing = JobEntity.<JobEntity>find(
                    "tenant = ?1 and dedupKey = ?2 and status in " + STANDING_LITERALS + " order by createdAt desc",
                    caller.tenant(), key).firstResult();
            if (existing != null) {
                if (JobCredentials.present(cmd.credentials()) && !existing.status().isFinal()) {
                    // Credentials are not part of the delivery's identity: the newest ones replace
                    // what the standing job had, for its next attempt (a running one keeps its own).
                    em.refresh(existing, LockModeType.PESSIMISTIC_WRITE);
                    if (!existing.status().isFinal()) {
                        existing.credentials = JobCredentials.seal(secrets, cmd.credentials(), existing.id);
                    }
                }
                result = new Submitted(existing, false);
            }
        }
        if (result == null) {
            JobEntity job = JobEntity.newQueued(UUID.randomUUID(), caller.tenant(), cmd.url().toString(), cmd.portal(),
                    cmd.priority(), cmd.caseRef(), config.retry().maxAttempts(), now);
            job.dedupKey = key;
            if (JobCredentials.present(cmd.credentials())) {
                job.credentials = JobCredentials.seal(secrets, cmd.credentials(), job.id);
            }
            events.jobMoved(job);
            job.persist();
            outbox.add(job);
            result = new Submitted(job, true);
        }
        if (idempotency != null) {
            IdempotencyKeyEntity remembered = new IdempotencyKeyEntity();
            remembered.id = new IdempotencyKeyEntity.Id(caller.tenant(), idempotency.key());
            remembered.requestHash = idempotency.requestHash();
            remembered.jobId = result.job().id;
            remembered.status = result.created() ? 201 : 200;
            remembered.createdAt = now;
            remembered.persist();
        }
        return result;
    }

    /** The advisory lock under which a delivery's standing job is looked for and created ({@link SubmitBatcher} too). */
    static String deliveryLock(String tenant, String dedupKey) {
        return "job|" + tenant + "|" + dedupKey;
    }

    /** Serialises transactions on one key until they end (pg_advisory_xact_lock). */
    private void lock(String name) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:k, 0))")
                .setParameter("k", name)
                .getSingleResult();
    }

    /** Remembered Idempotency-Keys are only needed for a day. */
    @Transactional
    public int pruneIdempotencyKeys() {
        return em.createQuery("delete from IdempotencyKeyEntity k where k.createdAt < :before")
                .setParameter("before", clock.instant().minus(IDEMPOTENCY_WINDOW))
                .executeUpdate();
    }

    /** The caller's job; empty for unknown ids and for other tenants' jobs alike. */
    @Transactional
    public Optional<JobEntity> find(Caller caller, UUID id) {
        return JobEntity.<JobEntity>find("id = ?1 and tenant = ?2", id, caller.tenant()).firstResultOptional();
    }

    /** The caller's tenant's jobs, newest first. */
    public JobPage list(Caller caller, JobFilter filter) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        where.add("tenant = :tenant");
        params.and("tenant", caller.tenant());
        if (filter.status() != null) {
            where.add("status = :status");
            params.and("status", filter.status());
        }
        if (filter.caseRef() != null) {
            where.add("caseRef = :caseRef");
            params.and("caseRef", filter.caseRef());
        }
        if (filter.portal() != null) {
            where.add("portal = :portal");
            params.and("portal", filter.portal());
        }
        Sort newestFirst = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        String condition = String.join(" and ", where);
        var query = JobEntity.<JobEntity>find(condition, newestFirst, params);
        List<JobEntity> items = query.page(Page.of(filter.page(), filter.size())).list();
        // Count at most one more than the limit, inside PostgreSQL: a firm's whole history is not
        // walked for every page (HQL wants an order for a limit; the page's own, served by its index).
        int limit = config.api().listCountLimit();
        var count = em.createQuery("select count(*) from (select j.id as id from JobEntity j where " + condition
                + " order by j.createdAt desc, j.id desc limit :cap) capped", Long.class);
        params.map().forEach(count::setParameter);
        count.setParameter("cap", limit + 1);
        long counted = count.getSingleResult();
        boolean exact = counted <= limit;
        return new JobPage(items, filter.page(), filter.size(), exact ? counted : limit, exact);
    }

    /**
     * What a worker's claim on a job message found; {@code credentials} are the job's, opened for
     * this attempt only (none when it has none).
     */
    public record Claim(boolean unknownJob, Optional<StartedJob> started, PortalCredentials credentials) {
        static final Claim UNKNOWN = new Claim(true, Optional.empty(), PortalCredentials.none());
        static final Claim NOT_QUEUED = new Claim(false, Optional.empty(), PortalCredentials.none());
    }

    /**
     * Claims a QUEUED job for this worker: RUNNING, one more attempt, a lease. Nothing is
     * started when the job does not exist (a message no worker can process) or is not QUEUED
     * (cancelled meanwhile, or a duplicate delivery of a running or finished job).
     */
    @Transactional
    public Claim claim(UUID id, String worker) {
        return claim(id, worker, null);
    }

    /** As {@link #claim(UUID, String)}, recording the trace the attempt runs in. */
    @Transactional
    public Claim claim(UUID id, String worker, String traceId) {
        JobEntity job = em.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            return Claim.UNKNOWN;
        }
        if (job.status() != JobStatus.QUEUED) {
            return Claim.NOT_QUEUED;
        }
        Instant now = clock.instant();
        job.moveTo(JobStatus.RUNNING);
        job.attempts++;
        if (job.startedAt == null) {
            job.startedAt = now;
        }
        job.worker = worker;
        job.nextAttemptAt = null;
        job.leaseUntil = now.plus(config.worker().lease());
        AttemptEntity attempt = new AttemptEntity();
        attempt.key = new AttemptEntity.Key(id, job.attempts);
        attempt.worker = worker;
        attempt.startedAt = now;
        attempt.traceId = traceId;
        attempt.persist();
        events.jobMoved(job);
        return new Claim(false, Optional.of(new StartedJob(id, job.url, job.portal, job.attempts)), openCredentials(job));
    }

    /**
     * The job's credentials in the clear, for the attempt about to start. A value that does not
     * open (the key was changed or removed) is dropped with a warning: the adapter then runs
     * without, which portals needing none survive and the others fail as LOGIN_FAILED.
     */
    private PortalCredentials openCredentials(JobEntity job) {
        if (job.credentials == null) {
            return PortalCredentials.none();
        }
        if (!secrets.available()) {
            Log.warnf("job %s carries credentials but court.secrets.key is not set: running without them", job.id);
            return PortalCredentials.none();
        }
        try {
            return JobCredentials.open(secrets, job.credentials, job.id);
        } catch (SecretBox.SecretBoxException e) {
            Log.warnf("job %s: its credentials do not open with the current court.secrets.key: running without them",
                    job.id);
            return PortalCredentials.none();
        }
    }

    @Transactional
    public void succeed(StartedJob started) {
        succeed(started, java.util.List.of());
    }

    /** @param blocked requests the egress guard refused during the attempt (host and path) */
    @Transactional
    public void succeed(StartedJob started, java.util.List<String> blocked) {
        JobEntity job = lockRunning(started);
        if (job == null) {
            return;
        }
        Instant now = clock.instant();
        job.moveTo(JobStatus.SUCCEEDED);
        job.finishedAt = now;
        job.leaseUntil = null;
        job.recordError(null, null);
        // before erase(): its delete flushes, and the job may not be saved before its event is written
        events.jobMoved(job);
        JobCaptchaEntity.erase(job);
        AttemptEntity attempt = closeAttempt(started, now, "SUCCEEDED", null, null);
        if (attempt != null) {
            attempt.blockedRequests = joinBlocked(blocked);
        }
    }

    private static String joinBlocked(java.util.List<String> blocked) {
        return blocked == null || blocked.isEmpty() ? null
                : JobEntity.truncate(TextPolicy.clean(String.join("\n", blocked), TextPolicy.Lines.MULTI), 20_000);
    }

    /** Records a failed attempt and decides: retry later or fail for good. */
    @Transactional
    public JobStatus fail(StartedJob started, ErrorCode code, String message) {
        return fail(started, code, message, null, null, java.util.List.of());
    }

    /**
     * As {@link #fail(StartedJob, ErrorCode, String)}, keeping what the page looked like in the
     * same transaction, so whoever sees the failure can also see why.
     */
    @Transactional
    public JobStatus fail(StartedJob started, ErrorCode code, String message, byte[] screenshot, String html,
            java.util.List<String> blocked) {
        JobEntity job = lockRunning(started);
        if (job == null) {
            return null;
        }
        Instant now = clock.instant();
        Optional<Instant> next = retryPolicy.nextAttempt(code, job.attemptsInSeries(), job.maxAttempts, job.createdAt, now);
        job.recordError(code, message);
        job.leaseUntil = null;
        if (next.isPresent()) {
            job.moveTo(JobStatus.RETRY_SCHEDULED);
            job.nextAttemptAt = next.get();
        } else {
            job.moveTo(JobStatus.FAILED);
            job.finishedAt = now;
        }
        events.jobMoved(job);
        JobCaptchaEntity.erase(job);
        AttemptEntity attempt = closeAttempt(started, now, job.status().name(), code, message);
        if (attempt != null) {
            attempt.screenshot = screenshot;
            attempt.pageHtml = TextPolicy.clean(html, TextPolicy.Lines.MULTI);
            attempt.blockedRequests = joinBlocked(blocked);
        }
        Log.infof("job %s attempt %d: %s → %s", started.id(), started.attempt(), code, job.status());
        return job.status();
    }

    /** Due retries go back to QUEUED with a fresh queue message; safe with several pods. */
    @Transactional
    public int enqueueDueRetries(int max) {
        @SuppressWarnings("unchecked")
        List<JobEntity> due = em.createNativeQuery("""
                select * from jobs where status = 'RETRY_SCHEDULED' and next_attempt_at <= now()
                order by next_attempt_at limit :max for update skip locked""", JobEntity.class)
                .setParameter("max", max)
                .getResultList();
        for (JobEntity job : due) {
            job.moveTo(JobStatus.QUEUED);
            job.nextAttemptAt = null;
            outbox.add(job);
            events.jobMoved(job);
        }
        return due.size();
    }

    /** What {@link #cancel} and {@link #retry} did. */
    public enum ActionResult {
        DONE,
        NOT_FOUND,
        CONFLICT
    }

    /**
     * QUEUED, RETRY_SCHEDULED or WAITING_FOR_CAPTCHA: cancelled at once (a parked portal session is erased). RUNNING: cancelled now in the database; the
     * worker sees it at its next checkpoint (before it stores another document), stops, and keeps
     * what it already stored. A finished job cannot be cancelled.
     */
    @Transactional
    public ActionResult cancel(Caller caller, UUID id) {
        JobEntity job = lockOwned(caller, id);
        if (job == null) {
            return ActionResult.NOT_FOUND;
        }
        if (job.status().isFinal()) {
            return ActionResult.CONFLICT;
        }
        job.moveTo(JobStatus.CANCELLED);
        job.finishedAt = clock.instant();
        job.nextAttemptAt = null;
        job.leaseUntil = null;
        events.jobMoved(job);
        JobCaptchaEntity.erase(job);
        audit.record(caller, AuditAction.JOB_CANCEL, id);
        return ActionResult.DONE;
    }

    /** FAILED or CANCELLED: queued again as a new series of attempts. */
    @Transactional
    public ActionResult retry(Caller caller, UUID id) {
        return retry(caller, id, PortalCredentials.none());
    }

    /**
     * As {@link #retry(Caller, UUID)}, with new credentials for the new series: the old ones were
     * erased when the job ended. Without new ones the job runs without credentials.
     */
    @Transactional
    public ActionResult retry(Caller caller, UUID id, PortalCredentials credentials) {
        JobEntity job = lockOwned(caller, id);
        if (job == null) {
            return ActionResult.NOT_FOUND;
        }
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
            return ActionResult.CONFLICT;
        }
        job.moveTo(JobStatus.QUEUED);
        job.attemptSeriesStart = job.attempts;
        job.captchaRounds = 0;
        job.finishedAt = null;
        job.nextAttemptAt = null;
        job.recordError(null, null);
        if (JobCredentials.present(credentials)) {
            job.credentials = JobCredentials.seal(secrets, credentials, job.id);
        }
        outbox.add(job);
        events.jobMoved(job);
        audit.record(caller, AuditAction.JOB_RETRY, id);
        return ActionResult.DONE;
    }

    /** The caller's job, row-locked; null for unknown ids and other tenants' jobs alike. */
    JobEntity lockOwned(Caller caller, UUID id) {
        JobEntity job = em.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        return job == null || !job.tenant.equals(caller.tenant()) ? null : job;
    }

    /** Checkpoint for a running worker: has someone cancelled the job meanwhile? */
    @Transactional
    public boolean isCancelled(UUID id) {
        JobEntity job = em.find(JobEntity.class, id);
        return job == null || job.status() == JobStatus.CANCELLED;
    }

    /** The worker is alive and still on these jobs. */
    @Transactional
    public int extendLeases(java.util.Collection<UUID> ids, String worker) {
        if (ids.isEmpty()) {
            return 0;
        }
        return em.createQuery("update JobEntity j set j.leaseUntil = :until"
                        + " where j.id in :ids and j.worker = :worker and j.status = :running")
                .setParameter("until", clock.instant().plus(config.worker().lease()))
                .setParameter("ids", ids)
                .setParameter("worker", worker)
                .setParameter("running", JobStatus.RUNNING)
                .executeUpdate();
    }

    /**
     * Running jobs whose lease ran out lost their worker: queue them again (or fail them when
     * the series is used up). An advisory lock lets one pod at a time do this.
     */
    @Transactional
    public int reapExpiredLeases(int max) {
        Object locked = em.createNativeQuery("select pg_try_advisory_xact_lock(hashtext('court-docs.reaper'))")
                .getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<JobEntity> lost = em.createNativeQuery("""
                select * from jobs where status = 'RUNNING' and lease_until < now()
                order by lease_until limit :max for update skip locked""", JobEntity.class)
                .setParameter("max", max)
                .getResultList();
        for (JobEntity job : lost) {
            handBack(job, ErrorCode.WORKER_LOST, "worker " + job.worker + " stopped extending its lease", "LOST");
        }
        return lost.size();
    }

    /** A clean worker stop: the attempt did not fail, it was interrupted; queue the job again. */
    @Transactional
    public void requeueInterrupted(StartedJob started) {
        JobEntity job = lockRunning(started);
        if (job != null) {
            job.attemptSeriesStart = Math.min(job.attempts, job.attemptSeriesStart + 1);
            handBack(job, null, "worker stopped before the attempt finished", "INTERRUPTED");
        }
    }

    private void handBack(JobEntity job, ErrorCode code, String message, String outcome) {
        Instant now = clock.instant();
        StartedJob attempt = new StartedJob(job.id, job.url, job.portal, job.attempts);
        closeAttempt(attempt, now, outcome, code, message);
        job.leaseUntil = null;
        if (code != null && job.attemptsInSeries() >= job.maxAttempts) {
            job.recordError(code, message);
            job.moveTo(JobStatus.FAILED);
            job.finishedAt = now;
            events.jobMoved(job);
            JobCaptchaEntity.erase(job);
            return;
        }
        job.moveTo(JobStatus.QUEUED);
        outbox.add(job);
        events.jobMoved(job);
        Log.infof("job %s handed back to the queue: %s", job.id, outcome);
    }

    /** A running job was cancelled and its worker stopped at a checkpoint: close the attempt. */
    @Transactional
    public void closeCancelledAttempt(StartedJob started) {
        closeAttempt(started, clock.instant(), "CANCELLED", null, null);
    }

    JobEntity lockRunning(StartedJob started) {
        JobEntity job = em.find(JobEntity.class, started.id(), LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.status() != JobStatus.RUNNING || job.attempts != started.attempt()) {
            // Someone else owns the job now (cancelled, or requeued after our lease ran out).
            Log.warnf("job %s attempt %d: no longer ours, result dropped", started.id(), started.attempt());
            return null;
        }
        return job;
    }

    AttemptEntity closeAttempt(StartedJob started, Instant now, String outcome, ErrorCode code,
            String message) {
        AttemptEntity attempt = em.find(AttemptEntity.class, new AttemptEntity.Key(started.id(), started.attempt()));
        if (attempt != null) {
            attempt.finishedAt = now;
            attempt.outcome = outcome;
            attempt.errorCode = code == null ? null : code.name();
            attempt.errorMessage = message == null ? null : JobEntity.truncate(TextPolicy.clean(message), 2000);
        }
        return attempt;
    }
}
