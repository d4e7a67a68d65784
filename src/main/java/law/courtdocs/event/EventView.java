package law.courtdocs.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as every reader gets it: the JSON page, the live stream and webhook bodies are this
 * record, so a client parses one shape wherever the event reached it.
 */
public record EventView(UUID id, long seq, String type, String tenant, Instant occurredAt, UUID jobId,
        String caseRef, JsonNode data) {

    public static EventView of(EventEntity e) {
        try {
            return new EventView(e.id, e.seq, e.type, e.tenant, e.occurredAt, e.jobId, e.caseRef, EventLog.JSON.readTree(e.data));
        } catch (JsonProcessingException ex) {
            // written by EventLog from a map: cannot happen unless the row was edited by hand
            throw new IllegalStateException("event " + e.id + " has no JSON data", ex);
        }
    }
}
