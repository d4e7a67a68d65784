package law.courtdocs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.Test;

/**
 * The relay marks every row the broker confirmed as sent, and a sent row is not marked again; a
 * burst of kicks makes a few relay passes, not one each.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Test
    void everyRowOfABurstIsMarkedSentOnceConfirmedAndStaysSo() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(UUID.fromString(Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("尚未上传 " + i))));
        }
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<OutboxEntry> rows = rows(ids);
        while (rows.stream().anyMatch(r -> r.sentAt == null) && System.nanoTime() < end) {
            Thread.sleep(100);
            rows = rows(ids);
        }
        assertTrue(rows.size() >= ids.size(), "one outbox row per job at least: " + rows.size());
        for (OutboxEntry row : rows) {
            assertTrue(row.sentAt != null, "outbox row " + row.id + " of job " + row.jobId + " still unsent");
        }
        // a row is marked once: another relay round leaves the marks alone
        List<Instant> marks = rows.stream().map(r -> r.sentAt).toList();
        Thread.sleep(1500);
        assertEquals(marks, rows(ids).stream().limit(marks.size()).map(r -> r.sentAt).toList());
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
        while (rows(List.of(id)).stream().anyMatch(r -> r.sentAt == null) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(rows(List.of(id)).stream().allMatch(r -> r.sentAt != null), "the job kicked last was relayed");
        Thread.sleep(500);
        long passes = relay.passes() - before;
        assertTrue(passes >= 1 && passes < 100, "relay passes for 2,001 kicks: " + passes);
    }

    private static List<OutboxEntry> rows(List<UUID> jobs) {
        return QuarkusTransaction.requiringNew().call(
                () -> OutboxEntry.<OutboxEntry>list("jobId in ?1 order by id", jobs));
    }
}
