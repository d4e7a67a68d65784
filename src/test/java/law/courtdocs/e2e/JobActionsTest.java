package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sim.ZxfwSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancel, retry and the attempt history, through the API on the real stack. */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class JobActionsTest {

    ZxfwSimulator zxfw = SimulatorResource.sim().zxfw();

    @AfterEach
    void resetSimulator() {
        zxfw.rejectDirectApiCalls(false);
        zxfw.failStorage(0);
        zxfw.delayStorage(Duration.ZERO);
    }

    @Test
    void aWaitingJobIsCancelledAtOnceAndCanBeRetriedAsANewSeries() {
        String id = Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("尚未上传"));
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");

        asAdmin().when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("nextAttemptAt", equalTo(null));
        asAdmin().when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(409).contentType("application/problem+json");

        asAdmin().when().post("/api/v1/jobs/" + id + "/retry")
                .then().statusCode(200).body("status", equalTo("QUEUED")).body("error", equalTo(null));
        JsonPath again = Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
        assertEquals(2, again.getInt("attempts"));

        List<String> outcomes = asAdmin().when().get("/api/v1/jobs/" + id + "/attempts")
                .then().statusCode(200).extract().jsonPath().getList("outcome");
        assertEquals(List.of("RETRY_SCHEDULED", "RETRY_SCHEDULED"), outcomes);
    }

    @Test
    void finishedJobsCannotBeCancelledAndOnlyFailedOrCancelledOnesRetried() {
        String link = SimulatorResource.sim().gdems().addDelivery(SimDocs.sampleZip(), "送达材料.zip");
        String id = Jobs.submit(link);
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "SUCCEEDED");
        asAdmin().when().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409);
        asAdmin().when().post("/api/v1/jobs/" + id + "/retry").then().statusCode(409);
        asAdmin().when().post("/api/v1/jobs/00000000-0000-0000-0000-000000000000/retry").then().statusCode(404);
    }

    @Test
    void aRunningJobStopsAtItsNextCheckpointAndKeepsWhatItStored() throws Exception {
        zxfw.delayStorage(Duration.ofSeconds(2));
        String id = Jobs.submit(zxfw.addDelivery(List.of(
                new SimDoc("一", "pdf", TestPdfs.pdf("c1")), new SimDoc("二", "pdf", TestPdfs.pdf("c2")),
                new SimDoc("三", "pdf", TestPdfs.pdf("c3")), new SimDoc("四", "pdf", TestPdfs.pdf("c4")))));
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "RUNNING");

        asAdmin().when().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));

        JsonPath attempt = awaitAttemptOutcome(id, 1, Duration.ofSeconds(30));
        assertEquals("CANCELLED", attempt.getString("outcome"));
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(5), "CANCELLED");
        assertTrue(job.getList("documents").size() < 4, "stopped before the last document");
    }

    @Test
    void aFailedBrowserAttemptKeepsAScreenshotAndRedactedHtml() {
        zxfw.rejectDirectApiCalls(true);
        zxfw.failStorage(404);
        String link = zxfw.addDelivery(List.of(new SimDoc("判决书", "pdf", TestPdfs.pdf("ev"))));
        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(60), "FAILED");
        assertEquals("PORTAL_REJECTED", job.getString("error.code"));

        JsonPath attempts = asAdmin().when().get("/api/v1/jobs/" + id + "/attempts").then().statusCode(200).extract().jsonPath();
        assertTrue(attempts.getBoolean("[0].hasScreenshot"));
        assertTrue(attempts.getBoolean("[0].hasHtml"));
        byte[] png = asAdmin().when().get("/api/v1/jobs/" + id + "/attempts/1/screenshot")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals((byte) 0x89, png[0]);
        String html = asAdmin().when().get("/api/v1/jobs/" + id + "/attempts/1/html")
                .then().statusCode(200).extract().asString();
        String sdsin = URI.create(link).getFragment().replaceAll(".*sdsin=([0-9a-f]+).*", "$1");
        assertFalse(html.contains(sdsin), "the delivery token must not be kept in the HTML");
        assertTrue(html.contains("<"), "some HTML was kept");
        asAdmin().when().get("/api/v1/jobs/" + id + "/attempts/7/html").then().statusCode(404);
    }

    /** Cancel, retry and attempts are for admins of the tenant that submitted (the default, acme). */
    private static RequestSpecification asAdmin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)));
    }

    private static JsonPath awaitAttemptOutcome(String id, int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            JsonPath attempts = asAdmin().when().get("/api/v1/jobs/" + id + "/attempts").then().extract().jsonPath();
            if (attempts.getList("$").size() >= n && attempts.getString("[" + (n - 1) + "].outcome") != null) {
                return attempts.setRootPath("[" + (n - 1) + "]");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("attempt " + n + " of job " + id + " did not finish");
    }
}
