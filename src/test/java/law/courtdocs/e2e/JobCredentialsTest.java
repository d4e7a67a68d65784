package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.job.JobCredentials;
import law.courtdocs.job.JobEntity;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.secrets.JobSecrets;
import org.junit.jupiter.api.Test;

/**
 * Credentials on a job through the API: sealed at rest, never answered or logged, erased when
 * the job ends, new ones with a retry. The jobs here use a gdems delivery that is "not uploaded
 * yet", so they stay RETRY_SCHEDULED (not final) until the test cancels them.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class JobCredentialsTest {

    static final String PHONE = "13812345678";
    static final String PHONE2 = "15900001111";
    static final String CODE = "Q7x9K2";
    static final String ACCOUNT = "420106198812120033";
    static final String PASSWORD = "Pw#8842zz";

    @Inject
    JobSecrets secrets;

    static Map<String, Object> credentials() {
        return Map.of("phones", List.of(PHONE, PHONE2), "code", CODE, "account", ACCOUNT, "password", PASSWORD);
    }

    @Test
    void credentialsAreSealedNeverAnsweredNorLoggedAndErasedWhenTheJobEnds() {
        try (AppLog log = AppLog.start()) {
            String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
            String created = given().contentType(ContentType.JSON)
                    .body(Map.of("url", link, "credentials", credentials()))
                    .when().post("/api/v1/jobs")
                    .then().statusCode(201).body("hasCredentials", equalTo(true))
                    .extract().asString();
            assertNoSecret(created);
            String id = io.restassured.path.json.JsonPath.from(created).getString("id");

            JobEntity row = row(id);
            assertNotNull(row.credentials);
            String stored = new String(row.credentials, StandardCharsets.ISO_8859_1);
            for (String s : List.of(PHONE, CODE, ACCOUNT, PASSWORD)) {
                assertFalse(stored.contains(s), "stored in the clear");
            }
            PortalCredentials opened = JobCredentials.open(secrets, row.credentials, UUID.fromString(id));
            assertEquals(List.of(PHONE, PHONE2), opened.phones());
            assertEquals(CODE, opened.code());
            assertEquals(ACCOUNT, opened.account());
            assertEquals(PASSWORD, opened.password());

            // the worker runs it (not ready yet → retry later); the credentials stay for the next attempt
            Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
            assertNotNull(row(id).credentials);

            // the same delivery again, with credentials: deduplicated, still the one job
            String again = given().contentType(ContentType.JSON)
                    .body(Map.of("url", link, "credentials", Map.of("phones", List.of(PHONE2))))
                    .when().post("/api/v1/jobs")
                    .then().statusCode(200).body("id", equalTo(id)).body("hasCredentials", equalTo(true))
                    .extract().asString();
            assertNoSecret(again);
            assertEquals(List.of(PHONE2), JobCredentials.open(secrets, row(id).credentials, UUID.fromString(id)).phones(),
                    "the newest credentials replace the standing job's");

            String admin = TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT));
            String cancelled = given().header("Authorization", admin).when().post("/api/v1/jobs/" + id + "/cancel")
                    .then().statusCode(200).body("status", equalTo("CANCELLED")).body("hasCredentials", equalTo(false))
                    .extract().asString();
            assertNoSecret(cancelled);
            assertNull(row(id).credentials, "erased with the move to CANCELLED");

            // retry with new credentials: they are sealed again for the new series
            given().header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("credentials", Map.of("code", CODE)))
                    .when().post("/api/v1/jobs/" + id + "/retry")
                    .then().statusCode(200).body("hasCredentials", equalTo(true));
            assertEquals(CODE, JobCredentials.open(secrets, row(id).credentials, UUID.fromString(id)).code());
            Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
            given().header("Authorization", admin).when().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
            // and without a body: possible too, the job then runs without credentials
            given().header("Authorization", admin).when().post("/api/v1/jobs/" + id + "/retry")
                    .then().statusCode(200).body("status", equalTo("QUEUED")).body("hasCredentials", equalTo(false));

            for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs?size=100")) {
                assertNoSecret(given().when().get(path).then().statusCode(200).extract().asString());
            }
            assertNoSecret(given().header("Authorization", admin).when().get("/api/v1/jobs/" + id + "/attempts")
                    .then().statusCode(200).extract().asString());
            log.assertFree(PHONE, PHONE2, CODE, ACCOUNT, PASSWORD);
        }
    }

    @Test
    void credentialsThatNoLongerOpenAreDroppedWithAWarningAndTheJobRunsWithout() {
        try (AppLog log = AppLog.start()) {
            String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
            String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("code", CODE)));
            Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
            UUID uuid = UUID.fromString(id);
            // as after a key change: a value that does not open for this job; and the retry due now
            QuarkusTransaction.requiringNew().run(() -> {
                JobEntity job = JobEntity.findById(uuid);
                job.credentials = JobCredentials.seal(secrets, new PortalCredentials(List.of(), CODE, null, null),
                        UUID.randomUUID());
                job.nextAttemptAt = java.time.Instant.now();
            });
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            io.restassured.path.json.JsonPath job;
            do {
                job = given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            } while (!(job.getInt("attempts") == 2 && "RETRY_SCHEDULED".equals(job.getString("status")))
                    && System.nanoTime() < end);
            assertEquals(2, job.getInt("attempts"), job.prettify());
            assertEquals("DOCUMENTS_NOT_READY", job.getString("error.code"), "the attempt ran, without credentials");
            assertTrue(log.all().contains("job " + id + ": its credentials do not open"), "a warning says why");
            log.assertFree(CODE);
        }
    }

    @Test
    void badCredentialsAreRefusedWithProblemJsonAndNothingIsStored() {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        List<Map<String, Object>> bad = List.of(
                Map.of("phones", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11").stream()
                        .map(n -> "1380000000" + n).toList()),
                Map.of("phones", List.of("12")),
                Map.of("phones", List.of("1381234567x")),
                Map.of("phones", List.of("123456789012345678901")),
                Map.of("code", "x".repeat(33)),
                Map.of("account", "1".repeat(65)),
                Map.of("password", "p".repeat(129)));
        for (Map<String, Object> credentials : bad) {
            String answer = given().contentType(ContentType.JSON).body(Map.of("url", link, "credentials", credentials))
                    .when().post("/api/v1/jobs")
                    .then().statusCode(400).contentType("application/problem+json")
                    .extract().asString();
            assertTrue(answer.contains("credentials."), answer);
            assertFalse(answer.contains("1381234567x") || answer.contains("xxxxxxxx"), "values are not echoed: " + answer);
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("url", link, "credentials", Map.of("phones", List.of("13800000000", "abc"))))
                .when().post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", hasItem("credentials.phones[1]"));
        given().contentType(ContentType.JSON).body(Map.of("url", link, "credentials", "13800000000"))
                .when().post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> JobEntity.count("url", link)));
    }

    @Test
    void aRetryWithBadCredentialsIsRefusedAndAnotherTenantsJobIsNotFound() {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        String id = Jobs.submit(link);
        String admin = TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT));
        given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("credentials", Map.of("phones", List.of("x"))))
                .when().post("/api/v1/jobs/" + id + "/retry")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer(TestTokens.admin("other-firm"))).contentType(ContentType.JSON)
                .body(Map.of("credentials", Map.of("code", CODE)))
                .when().post("/api/v1/jobs/" + id + "/retry")
                .then().statusCode(404);
    }

    static JobEntity row(String id) {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(UUID.fromString(id)));
    }

    static void assertNoSecret(String body) {
        for (String s : List.of(PHONE, PHONE2, CODE, ACCOUNT, PASSWORD)) {
            assertFalse(body.contains(s), "a secret is in an answer");
        }
    }
}
