package law.courtdocs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.DefaultToken;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.e2e.SseReader;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's cross-process promise: an SSE client on the api process receives the events that a
 * separate worker process writes, drops the connection halfway, reconnects with
 * {@code Last-Event-ID}, and has every event exactly once, in order.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = ApiRoleResource.class, restrictToAnnotatedClass = true)
class EventStreamIT {

    static WorkerProcess worker;

    @BeforeAll
    static void startWorker() throws Exception {
        DefaultToken.install();
        worker = WorkerProcess.start();
    }

    @AfterAll
    static void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aStreamOnTheApiSeesTheWorkersEventsAndResumesAfterADisconnect() throws Exception {
        String user = TestTokens.user("stream-it-" + UUID.randomUUID().toString().substring(0, 8));
        URL base = new URL(RestAssured.baseURI + ":" + RestAssured.port);
        HttpClient http = HttpClient.newHttpClient();
        List<SseReader.Event> seen = new ArrayList<>();
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("民事裁定书", "pdf", TestPdfs.pdf("stream it one")),
                new SimDoc("传票", "pdf", TestPdfs.pdf("stream it two"))));
        String id;
        try (SseReader first = SseReader.open(http, base, user, null, "")) {
            id = Jobs.submitAs(user, Map.of("url", link));
            // job.running is written by the worker process: this stream is on the api
            while (seen.stream().noneMatch(e -> "job.running".equals(e.type()))) {
                SseReader.Event e = next(first);
                if (e.id() != null) {
                    seen.add(e);
                }
            }
        }
        Jobs.awaitStatusAs(user, id, Duration.ofSeconds(120), "SUCCEEDED");
        try (SseReader again = SseReader.open(http, base, user, seen.get(seen.size() - 1).id(), "")) {
            while (seen.stream().noneMatch(e -> "job.succeeded".equals(e.type()))) {
                SseReader.Event e = next(again);
                if (e.id() != null) {
                    seen.add(e);
                }
            }
        }
        assertEquals(List.of("job.queued", "job.running", "document.stored", "document.stored", "job.succeeded"),
                seen.stream().map(SseReader.Event::type).toList());
        assertEquals(List.of("1", "2", "3", "4", "5"), seen.stream().map(SseReader.Event::id).toList(),
                "every event once, in order, across the reconnect");
        assertTrue(seen.get(2).data().contains("民事裁定书") || seen.get(3).data().contains("民事裁定书"),
                "Chinese titles arrive as UTF-8: " + seen);
    }

    private static SseReader.Event next(SseReader reader) throws InterruptedException {
        try {
            return reader.next(Duration.ofSeconds(120));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nworker log:\n" + worker.logText(), e);
        }
    }
}
