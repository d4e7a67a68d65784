package law.courtdocs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch leaves the outbox only with the broker's yes: here the jobs queue is taken away, so the
 * broker returns the mandatory message as unroutable, and the row must still be waiting; once the
 * queue is back, the row goes out and the message carries the job. An api-only process with a
 * queue of its own, so no worker takes the message and no other test's queue is touched.
 */
@QuarkusTest
@TestProfile(OutboxRelayRefusalTest.ApiOnly.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class OutboxRelayRefusalTest {

    static final String QUEUE = "court.relaytest" + SimulatorResource.suffix() + ".jobs";

    public static class ApiOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("court.role", "api",
                    "court.queue.exchange", QUEUE,
                    "court.queue.jobs", QUEUE,
                    "court.queue.dead-letter", QUEUE + ".dead");
        }
    }

    @Inject
    BrokerPublisher publisher;

    @AfterEach
    void dropTestQueues() throws Exception {
        try (Connection c = broker(); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.queueDelete(QUEUE + ".dead");
            ch.exchangeDelete(QUEUE);
            ch.exchangeDelete(QUEUE + ".dlx");
        }
    }

    @Test
    void aRowTheBrokerCannotRouteStaysInTheOutboxAndGoesOutOnceItCan() throws Exception {
        publisher.purgeJobsQueue(); // connects, so the topology exists before it is taken apart
        try (Connection c = broker(); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);

            String id = Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("退回 " + QUEUE));
            // the submit's kick and two polls (every second) have tried and been refused
            Thread.sleep(2_500);
            assertEquals(1, OutboxRelayTest.unsent(List.of(id)).size(), "the refused row is still in the outbox");

            ch.queueDeclare(QUEUE, true, false, false, publisher.jobsQueueArguments());
            ch.queueBind(QUEUE, QUEUE, BrokerPublisher.ROUTING_KEY);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!OutboxRelayTest.unsent(List.of(id)).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertEquals(List.of(), OutboxRelayTest.unsent(List.of(id)), "relayed once the queue was back");

            // rows other tests left unsent went out in the same batch: look for this job's message
            GetResponse message;
            do {
                message = ch.basicGet(QUEUE, true);
            } while (message != null && !new String(message.getBody(), StandardCharsets.UTF_8).contains(id));
            assertNotNull(message, "a message naming job " + id + " is in the queue");
            assertTrue(message.getProps().getMessageId().startsWith(id + "/"), message.getProps().getMessageId());
        }
    }

    private static Connection broker() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        return f.newConnection("court-relay-refusal-test");
    }
}
