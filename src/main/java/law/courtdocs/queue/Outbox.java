package law.courtdocs.queue;

import law.courtdocs.trace.Traces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import law.courtdocs.job.JobEntity;

/** Writes a job's queue message inside the caller's transaction; {@link OutboxRelay} sends it. */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(JobEntity job) {
        OutboxEntry entry = new OutboxEntry();
        entry.jobId = job.id;
        entry.priority = job.priority;
        entry.createdAt = Instant.now();
        entry.payload = payload(job.id, job.priority, entry.createdAt);
        entry.traceParent = job.traceParent != null ? job.traceParent : Traces.currentTraceParent();
        entry.persist();
    }

    /** The message text for an outbox row ({@link law.courtdocs.job.SubmitBatcher} writes rows itself). */
    public String payload(UUID jobId, int priority, Instant queuedAt) {
        try {
            return json.writeValueAsString(JobMessage.of(jobId, priority, queuedAt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a job message", e);
        }
    }
}
