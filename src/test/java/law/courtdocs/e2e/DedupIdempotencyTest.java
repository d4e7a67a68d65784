package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.job.JobEntity;
import law.courtdocs.sim.SimDocs;
import org.junit.jupiter.api.Test;

/** The same delivery submitted again finds its job; an Idempotency-Key gets the same answer. */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class DedupIdempotencyTest {

    @Test
    void aSucceededDeliverySubmittedAgainReturnsTheSameJobWith200UnlessForced() {
        String link = SimulatorResource.sim().gdems().addDelivery(SimDocs.sampleZip(), "送达材料.zip");
        String id = Jobs.submit(link);
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "SUCCEEDED");

        String https = link.replace("http://", "https://").replace("sd.gdems.com", "SD.GDEMS.COM");
        given().contentType(ContentType.JSON).body(Map.of("url", https))
                .when().post("/api/v1/jobs")
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("SUCCEEDED"))
                .body("documents.size()", equalTo(3));

        String forced = given().contentType(ContentType.JSON).body(Map.of("url", link, "force", true))
                .when().post("/api/v1/jobs")
                .then().statusCode(201).extract().path("id");
        assertNotEquals(id, forced);
    }

    @Test
    void aWaitingDeliveryIsFoundUntilItIsCancelledThenANewJobIsCreated() {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        String id = Jobs.submit(link);
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
        given().contentType(ContentType.JSON).body(Map.of("url", link))
                .when().post("/api/v1/jobs")
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("RETRY_SCHEDULED"));

        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        // a cancelled job no longer stands for its delivery
        String fresh = given().contentType(ContentType.JSON).body(Map.of("url", link))
                .when().post("/api/v1/jobs")
                .then().statusCode(201).body("status", equalTo("QUEUED")).extract().path("id");
        assertNotEquals(id, fresh);
    }

    @Test
    void concurrentSubmissionsOfOneDeliveryAgreeOnOneJob() throws Exception {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        long before = countJobsFor(link);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Callable<String> submit = () -> given().contentType(ContentType.JSON).body(Map.of("url", link))
                    .when().post("/api/v1/jobs").then().extract().path("id");
            ids.add(pool.submit(submit));
        }
        String first = ids.get(0).get();
        for (Future<String> f : ids) {
            assertEquals(first, f.get());
        }
        pool.shutdown();
        assertEquals(before + 1, countJobsFor(link));
    }

    @Test
    void theSameIdempotencyKeyGetsTheSameAnswerAndADifferentBodyIsRefused() {
        String key = "cms-" + UUID.randomUUID();
        String link = SimulatorResource.sim().gdems().notReadyLink("稍后");
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("url", link, "caseRef", "CMS-1"))
                .when().post("/api/v1/jobs")
                .then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("url", link, "caseRef", "CMS-1"))
                .when().post("/api/v1/jobs")
                .then().statusCode(201).body("id", equalTo(id));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("url", link, "caseRef", "CMS-2"))
                .when().post("/api/v1/jobs")
                .then().statusCode(422).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "bad key with spaces")
                .body(Map.of("url", link))
                .when().post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static long countJobsFor(String link) {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.count("url", link));
    }
}
