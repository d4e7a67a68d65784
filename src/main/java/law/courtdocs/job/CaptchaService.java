package law.courtdocs.job;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import law.courtdocs.audit.AuditAction;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.auth.Caller;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventLog;
import law.courtdocs.portal.ParkedSession;
import law.courtdocs.portal.PortalSession;
import law.courtdocs.queue.Outbox;
import law.courtdocs.secrets.JobSecrets;

/**
 * Captchas answered by a person, without holding a worker slot meanwhile: the attempt that meets
 * the captcha parks the job ({@link #park}: image kept, portal session sealed, attempt closed),
 * a person answers ({@link #answer}: sealed, job queued again through the outbox), and the next
 * attempt takes both back ({@link #takeResume}) and continues from the captcha. A wait longer
 * than {@code court.captcha.timeout} fails the job ({@link #timeOutWaits}).
 *
 * <p>Neither the session nor the answer is ever logged; both are sealed with the job's id, and the
 * row holding them is deleted when the next attempt takes it or the job reaches a final status.
 */
@ApplicationScoped
public class CaptchaService {

    private final EntityManager em;
    private final JobService jobs;
    private final Outbox outbox;
    private final JobSecrets secrets;
    private final AuditLog audit;
    private final CourtConfig.Captcha config;
    private final EventLog events;
    private final Clock clock = Clock.systemUTC();

    public CaptchaService(EntityManager em, JobService jobs, Outbox outbox, JobSecrets secrets, AuditLog audit,
            CourtConfig config, EventLog events) {
        this.em = em;
        this.events = events;
        this.jobs = jobs;
        this.outbox = outbox;
        this.secrets = secrets;
        this.audit = audit;
        this.config = config.captcha();
    }

    /**
     * The running attempt met a captcha nobody can answer now: WAITING_FOR_CAPTCHA, attempt closed
     * as such (not a failure). Refused, and failed instead, when the job has used up its rounds,
     * when the image is not one, or when no key is configured to seal the session with.
     *
     * @return the job's status afterwards; null when the attempt is no longer the job's
     */
    @Transactional
    public JobStatus park(StartedJob started, byte[] image, ParkedSession session) {
        JobEntity job = jobs.lockRunning(started);
        if (job == null) {
            return null;
        }
        String type = image == null ? null : imageType(image);
        if (type == null || image.length > config.maxImageBytes()) {
            return jobs.fail(started, ErrorCode.UNSUPPORTED_PAGE, "the portal's captcha is not an image of at most "
                    + config.maxImageBytes() + " bytes");
        }
        if (job.captchaRounds >= config.maxRounds()) {
            return jobs.fail(started, ErrorCode.LOGIN_FAILED, "captcha answered wrong " + job.captchaRounds + " times");
        }
        if (!secrets.available()) {
            // the portal session may not be stored unsealed, and without it an answer is useless
            return jobs.fail(started, ErrorCode.CAPTCHA_TIMEOUT,
                    "nobody can be asked: court.secrets.key is not set, so the portal session cannot be kept");
        }
        Instant now = clock.instant();
        JobCaptchaEntity.delete("jobId", job.id);
        JobCaptchaEntity captcha = new JobCaptchaEntity();
        captcha.jobId = job.id;
        captcha.image = image;
        captcha.imageType = type;
        captcha.sealedSession = secrets.seal(session.toJson(), job.id);
        captcha.createdAt = now;
        captcha.persist();
        job.moveTo(JobStatus.WAITING_FOR_CAPTCHA);
        job.captchaRequestedAt = now;
        job.captchaRounds++;
        job.leaseUntil = null;
        jobs.closeAttempt(started, now, JobStatus.WAITING_FOR_CAPTCHA.name(), null, null);
        events.jobMoved(job);
        Log.infof("job %s attempt %d: waiting for a captcha answer (round %d of %d)", job.id, started.attempt(),
                job.captchaRounds, config.maxRounds());
        return job.status();
    }

    /** The image of a waiting job, for its tenant only. */
    public record Image(byte[] bytes, String contentType) {}

    @Transactional
    public Optional<Image> image(Caller caller, UUID id) {
        JobEntity job = JobEntity.<JobEntity>find("id = ?1 and tenant = ?2", id, caller.tenant()).firstResult();
        if (job == null || job.status() != JobStatus.WAITING_FOR_CAPTCHA) {
            return Optional.empty();
        }
        JobCaptchaEntity captcha = JobCaptchaEntity.findById(id);
        if (captcha == null || captcha.image == null) {
            return Optional.empty();
        }
        return Optional.of(new Image(captcha.image, captcha.imageType));
    }

    /**
     * A person's answer: sealed beside the parked session, and the job queued again (through the
     * outbox, in this transaction). Only a WAITING_FOR_CAPTCHA job takes one.
     */
    @Transactional
    public JobService.ActionResult answer(Caller caller, UUID id, String answer) {
        JobEntity job = jobs.lockOwned(caller, id);
        if (job == null) {
            return JobService.ActionResult.NOT_FOUND;
        }
        JobCaptchaEntity captcha = JobCaptchaEntity.findById(id);
        if (job.status() != JobStatus.WAITING_FOR_CAPTCHA || captcha == null) {
            return JobService.ActionResult.CONFLICT;
        }
        captcha.sealedAnswer = secrets.seal(answer.getBytes(StandardCharsets.UTF_8), id);
        captcha.image = null;
        job.moveTo(JobStatus.QUEUED);
        job.captchaRequestedAt = null;
        outbox.add(job);
        events.jobMoved(job);
        audit.record(caller, AuditAction.CAPTCHA_ANSWER, id);
        return JobService.ActionResult.DONE;
    }

    /**
     * For the attempt that just claimed the job: the parked session and the answer, if a person
     * gave one. Taken once: the row is deleted, so an attempt that fails after resuming starts
     * afresh next time (the portal has spent that captcha anyway).
     */
    @Transactional
    public Optional<PortalSession.Resume> takeResume(StartedJob started) {
        JobCaptchaEntity captcha = em.find(JobCaptchaEntity.class, started.id(), LockModeType.PESSIMISTIC_WRITE);
        if (captcha == null) {
            return Optional.empty();
        }
        captcha.delete();
        if (captcha.sealedAnswer == null) {
            return Optional.empty();
        }
        try {
            ParkedSession session = ParkedSession.fromJson(secrets.open(captcha.sealedSession, started.id()));
            String answer = new String(secrets.open(captcha.sealedAnswer, started.id()), StandardCharsets.UTF_8);
            return Optional.of(new PortalSession.Resume(session, answer));
        } catch (RuntimeException e) {
            // another key, or a damaged row: start afresh, the portal will show a new captcha
            Log.warnf("job %s: the parked portal session cannot be opened (%s); starting afresh", started.id(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * Waiting jobs nobody answered within {@code court.captcha.timeout} fail with CAPTCHA_TIMEOUT.
     * Safe on any number of pods: rows are taken with {@code skip locked}.
     */
    @Transactional
    public int timeOutWaits(int max) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<JobEntity> expired = em.createNativeQuery("""
                select * from jobs where status = 'WAITING_FOR_CAPTCHA' and captcha_requested_at <= :cutoff
                order by captcha_requested_at limit :max for update skip locked""", JobEntity.class)
                .setParameter("cutoff", now.minus(config.timeout()))
                .setParameter("max", max)
                .getResultList();
        for (JobEntity job : expired) {
            job.moveTo(JobStatus.FAILED);
            job.recordError(ErrorCode.CAPTCHA_TIMEOUT, "nobody answered the captcha within " + config.timeout());
            job.finishedAt = now;
            events.jobMoved(job);
            JobCaptchaEntity.erase(job);
        }
        return expired.size();
    }

    /** The image's media type by its first bytes; null when it is none of the usual ones. */
    static String imageType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return "image/bmp";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }
}
