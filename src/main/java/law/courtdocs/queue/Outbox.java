package law.courtdocs.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
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
        try {
            entry.payload = json.writeValueAsString(JobMessage.of(job.id, job.priority, entry.createdAt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a job message", e);
        }
        entry.persist();
    }
}
