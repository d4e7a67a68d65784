package law.courtdocs.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One run of a job on a worker, kept for the history. */
@Entity
@Table(name = "job_attempts")
public class AttemptEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "job_id") UUID jobId, int number) implements Serializable {}

    @EmbeddedId
    public Key key;

    @Column(length = 255)
    public String worker;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(length = 32)
    public String outcome;

    @Column(name = "error_code", length = 64)
    public String errorCode;

    @Column(name = "error_message", length = 2000)
    public String errorMessage;

    /** PNG of the page when the attempt failed; null when no browser was used. */
    public byte[] screenshot;

    /** The trace this attempt ran in (W3C trace id), to find it in the tracing backend. */
    @Column(name = "trace_id", length = 32)
    public String traceId;

    @Column(name = "page_html", columnDefinition = "text")
    public String pageHtml;

    /** Requests the egress guard refused, one per line (host and path only). */
    @Column(name = "blocked_requests", columnDefinition = "text")
    public String blockedRequests;
}
