package law.courtdocs.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import law.courtdocs.auth.DefaultToken;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployed shape on one machine: the packaged jar as an {@code api} process (started by
 * Quarkus) and the same jar as a separate {@code worker} process (started here). A job submitted
 * to the api is downloaded by the worker; only the worker ever starts Chromium.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = ApiRoleResource.class, restrictToAnnotatedClass = true)
class RoleSplitIT {

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
    void aSeparateWorkerDownloadsWhatTheApiQueuedAndOnlyTheWorkerRunsChromium() throws Exception {
        byte[] summons = TestPdfs.pdf("split summons");
        String link = SimulatorResource.sim().gdems().addDelivery(SimDocs.zip(Map.of("传票.pdf", summons)), "送达材料.zip");

        String id = Jobs.submit(link);
        JsonPath job;
        try {
            job = Jobs.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nworker log:\n" + worker.logText(), e);
        }
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("传票.pdf", job.getString("documents[0].fileName"));
        byte[] body = given().when().get("/api/v1/documents/" + job.getString("documents[0].id") + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(summons, body);

        ProcessHandle api = apiProcess().orElseThrow(() -> new AssertionError("api process not found"));
        assertTrue(chromiumUnder(worker.process.toHandle()) > 0, "the worker keeps its warm Chromium");
        assertEquals(0, chromiumUnder(api), "the api process started a browser");
    }

    /** The jar Quarkus launched for this test: same jar, not our worker. */
    private static Optional<ProcessHandle> apiProcess() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != worker.process.pid())
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(WorkerProcess.JAR.toString()))
                .findFirst();
    }

    private static long chromiumUnder(ProcessHandle root) {
        return root.descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
                .count();
    }
}
