package law.courtdocs.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A parked job's captcha: the image for a person, the sealed portal session and, once given, the
 * sealed answer. At most one per job; see {@link CaptchaService}.
 */
@Entity
@Table(name = "job_captchas")
public class JobCaptchaEntity extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    /** Null once answered: nobody needs to see it again. */
    public byte[] image;

    @Column(name = "image_type", length = 64)
    public String imageType;

    @Column(name = "sealed_session")
    public byte[] sealedSession;

    @Column(name = "sealed_answer")
    public byte[] sealedAnswer;

    @Column(name = "created_at")
    public Instant createdAt;

    /** At a final status nothing of the portal session may stay behind. */
    static void erase(JobEntity job) {
        delete("jobId", job.id);
        job.captchaRequestedAt = null;
    }
}
