package law.courtdocs.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import law.courtdocs.queue.BrokerPublisher;
import law.courtdocs.queue.JobMessage;
import law.courtdocs.trace.Traces;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Takes job messages off RabbitMQ on the {@code court-worker} pool ({@code court.worker.slots}
 * threads, the same number as the prefetch) and acknowledges only after the outcome is committed.
 * The channel is disabled in the {@code api} role.
 */
@ApplicationScoped
public class JobConsumer {

    private final JobRunner runner;
    private final ObjectMapper json;
    private final WorkerLifecycle lifecycle;
    private final BrokerPublisher broker;

    public JobConsumer(JobRunner runner, ObjectMapper json, WorkerLifecycle lifecycle, BrokerPublisher broker) {
        this.runner = runner;
        this.json = json;
        this.lifecycle = lifecycle;
        this.broker = broker;
    }

    @Incoming("jobs")
    @Blocking(value = "court-worker", ordered = false)
    public CompletionStage<Void> consume(Message<?> message) {
        if (lifecycle.draining()) {
            // stopping: leave it to another worker
            return message.nack(new IllegalStateException("worker stopping"), Metadata.of(new RabbitMQRejectMetadata(true)));
        }
        JobMessage job;
        try {
            job = json.readValue(bytes(message.getPayload()), JobMessage.class);
            if (job.jobId() == null) {
                throw new IllegalArgumentException("no jobId");
            }
        } catch (Exception e) {
            return deadLetter(message, "unreadable job message: " + e.getClass().getSimpleName());
        }
        try {
            if (runner.run(job.jobId(), traceParent(message)) == JobRunner.Result.UNKNOWN_JOB) {
                return deadLetter(message, "unknown job " + job.jobId());
            }
            return message.ack();
        } catch (RuntimeException e) {
            // The outcome could not be recorded (database away?): let the broker hand it out again.
            Log.errorf(e, "job %s: could not record the outcome; message requeued", job.jobId());
            return message.nack(e, Metadata.of(new RabbitMQRejectMetadata(true)));
        }
    }

    /** The W3C traceparent header the outbox relay set from the submit's span, if any. */
    static String traceParent(Message<?> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(m -> m.getHeader(Traces.TRACEPARENT, String.class))
                .orElse(null);
    }

    /**
     * Parks a message no worker can ever process in the dead-letter queue with the reason in a
     * header, then acks it. If that publish fails, a plain reject still dead-letters it (without
     * our reason) rather than redelivering it forever.
     */
    private CompletionStage<Void> deadLetter(Message<?> message, String reason) {
        Log.warnf("job message dead-lettered: %s", reason);
        try {
            broker.deadLetter(bytes(message.getPayload()), reason);
            return message.ack();
        } catch (Exception e) {
            return message.nack(new PoisonMessageException(reason));
        }
    }

    private static byte[] bytes(Object payload) {
        if (payload instanceof byte[] b) {
            return b;
        }
        if (payload instanceof Buffer b) {
            return b.getBytes();
        }
        if (payload instanceof JsonObject o) {
            return o.encode().getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }

    /** A message no worker can ever process: dead-lettered, never requeued. */
    static final class PoisonMessageException extends RuntimeException {
        PoisonMessageException(String reason) {
            super(reason, null, false, false);
        }
    }
}
