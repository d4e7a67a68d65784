package law.courtdocs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.Test;

/**
 * The relay takes every row of a burst out of the outbox once the broker confirmed it, and the
 * worker gets the message; a burst of kicks makes a few relay passes, not one each. What happens
 * to a row the broker refuses: {@link OutboxRelayRefusalTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Test
    void everyRowOfABurstLeavesTheOutboxAndReachesTheWorker() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("尚未上传 " + i)));
        }
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!unsent(ids).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), unsent(ids), "outbox rows still waiting");
        for (String id : ids) {
            // the portal has not uploaded anything yet: the worker tried once and scheduled a retry
            Jobs.awaitStatus(id, Duration.ofSeconds(90), "RETRY_SCHEDULED");
        }
    }

    @Test
    void kicksWhileAPassIsQueuedRideOnItAndTheRowsStillGoOut() throws Exception {
        long before = relay.passes();
        // a burst of commits, each kicking the relay: one queued task per kick used to mean one
        // empty relay transaction per submission long after the burst
        for (int i = 0; i < 2_000; i++) {
            relay.kick();
        }
        UUID id = UUID.fromString(Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("排队 踢")));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!unsent(List.of(id.toString())).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), unsent(List.of(id.toString())), "the job kicked last was relayed");
        Thread.sleep(500);
        long passes = relay.passes() - before;
        assertTrue(passes >= 1 && passes < 100, "relay passes for 2,001 kicks: " + passes);
    }

    /** Outbox rows of these jobs not relayed yet. */
    static List<OutboxEntry> unsent(List<String> jobs) {
        List<UUID> ids = jobs.stream().map(UUID::fromString).toList();
        return QuarkusTransaction.requiringNew().call(
                () -> OutboxEntry.<OutboxEntry>list("jobId in ?1 and sentAt is null order by id", ids));
    }
}
