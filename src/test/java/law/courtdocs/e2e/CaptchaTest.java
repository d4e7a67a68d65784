package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.job.JobCaptchaEntity;
import law.courtdocs.sim.HubeiSmsSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * Captchas answered by a person, through the API on the real stack: Hubei SMS links that ask for
 * a captcha, on the portal simulator behind the outbound proxy. With one worker slot, so a job
 * that waits for its answer visibly leaves the slot to others.
 */
@QuarkusTest
@TestProfile(OneWorkerSlot.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class CaptchaTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    HubeiSmsSimulator hubei = SimulatorResource.sim().hubeiSms();

    @Test
    void roundTripImageThenAnswerThenDocuments() {
        byte[] summons = TestPdfs.pdf("captcha summons");
        byte[] notice = TestPdfs.pdf("captcha notice");
        String link = hubei.addMessage(true, new SimDoc("传票", "pdf", summons), new SimDoc("举证通知书", "pdf", notice));

        String id = Jobs.submit(link);
        JsonPath waiting = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        assertEquals("hubei-sms", waiting.getString("portal"));
        assertNotNull(waiting.getString("captchaRequestedAt"));
        assertTrue(waiting.getList("documents").isEmpty());
        assertTrue(captchaRowExists(id), "image and sealed session kept with the job");

        byte[] image = given().when().get("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(200).contentType("image/png").header("Cache-Control", "no-store")
                .extract().asByteArray();
        String answer = hubei.answerFor(image);
        assertNotNull(answer, "the API serves the image the portal showed");

        given().contentType(ContentType.JSON).body(Map.of("answer", answer))
                .when().post("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(202).body("id", equalTo(id)).body("captchaRequestedAt", equalTo(null));

        JsonPath done = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertEquals(2, done.getInt("attempts"));
        assertNull(done.get("captchaRequestedAt"));
        assertEquals(List.of("传票.pdf", "举证通知书.pdf"), done.getList("documents.fileName"));
        assertArrayEquals(summons, content(done.getString("documents[0].id")));
        assertArrayEquals(notice, content(done.getString("documents[1].id")));
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "SUCCEEDED"), outcomes(id));
        assertFalse(captchaRowExists(id), "the sealed session does not outlive the job's wait");

        given().when().get("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** The key proof: the waiting job holds no worker slot. */
    @Test
    void withOneSlotAnotherJobCompletesWhileTheFirstWaitsForItsAnswer() {
        String waitingLink = hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("slot captcha")));
        String waitingId = Jobs.submit(waitingLink);
        JsonPath parked = Jobs.awaitStatus(waitingId, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED",
                "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", parked.getString("status"), parked.prettify());
        Instant parkedAt = Instant.parse(parked.getString("captchaRequestedAt"));

        byte[] other = TestPdfs.pdf("slot zxfw");
        String otherId = Jobs.submit(SimulatorResource.sim().zxfw().addDelivery(List.of(new SimDoc("传票", "pdf", other))));
        JsonPath otherDone = Jobs.awaitStatus(otherId, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("SUCCEEDED", otherDone.getString("status"), otherDone.prettify());
        assertArrayEquals(other, content(otherDone.getString("documents[0].id")));
        assertTrue(Instant.parse(otherDone.getString("startedAt")).isAfter(parkedAt),
                "the second job ran after the first had parked");

        JsonPath still = Jobs.awaitStatus(waitingId, Duration.ofSeconds(5), "WAITING_FOR_CAPTCHA");
        assertEquals(1, still.getInt("attempts"), "the waiting job did not run meanwhile");

        answer(waitingId, hubei.answerFor(image(waitingId))).then().statusCode(202);
        JsonPath done = Jobs.awaitStatus(waitingId, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
    }

    @Test
    void aWrongAnswerAsksAgainWithANewImage() {
        byte[] pdf = TestPdfs.pdf("captcha wrong once");
        String id = Jobs.submit(hubei.addMessage(true, new SimDoc("传票", "pdf", pdf)));
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        byte[] first = image(id);

        answer(id, wrong(hubei.answerFor(first))).then().statusCode(202);
        JsonPath again = awaitWaitingAgain(id, 2);
        assertNotNull(again.getString("captchaRequestedAt"));
        byte[] second = image(id);
        assertFalse(java.util.Arrays.equals(first, second), "a new image for the new round");

        answer(id, hubei.answerFor(second)).then().statusCode(202);
        JsonPath done = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertArrayEquals(pdf, content(done.getString("documents[0].id")));
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "WAITING_FOR_CAPTCHA", "SUCCEEDED"), outcomes(id));
    }

    @Test
    void fiveWrongAnswersFailTheJobAsLoginFailed() {
        String id = Jobs.submit(hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("captcha five wrong"))));
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        for (int round = 1; round <= 5; round++) {
            answer(id, wrong(hubei.answerFor(image(id)))).then().statusCode(202);
            if (round < 5) {
                awaitWaitingAgain(id, round + 1);
            }
        }
        JsonPath failed = Jobs.awaitStatus(id, WAIT, "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");
        assertEquals("FAILED", failed.getString("status"), failed.prettify());
        assertEquals("LOGIN_FAILED", failed.getString("error.code"));
        assertEquals(6, failed.getInt("attempts"));
        assertFalse(captchaRowExists(id));
    }

    @Test
    void onlyTheJobsTenantSeesItsCaptchaAndOnlyPeopleAnswer() {
        String id = Jobs.submit(hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("captcha tenants"))));
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        String other = TestTokens.user("globex");

        given().header("Authorization", TestTokens.bearer(other)).when().get("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer(other)).contentType(ContentType.JSON)
                .body(Map.of("answer", "1234")).when().post("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer(TestTokens.service(TestTokens.DEFAULT_TENANT)))
                .contentType(ContentType.JSON).body(Map.of("answer", "1234"))
                .when().post("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("answer", "  "))
                .when().post("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", notNullValue());
        given().when().get("/api/v1/jobs/" + UUID.randomUUID() + "/captcha")
                .then().statusCode(404).contentType("application/problem+json");

        // refusals stored nothing: the job still waits on its first image
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(5), "WAITING_FOR_CAPTCHA");
        assertEquals(1, job.getInt("attempts"));

        // the tenant's admin answers too
        byte[] image = given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().get("/api/v1/jobs/" + id + "/captcha").then().statusCode(200).extract().asByteArray();
        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .contentType(ContentType.JSON).body(Map.of("answer", hubei.answerFor(image)))
                .when().post("/api/v1/jobs/" + id + "/captcha").then().statusCode(202);
        JsonPath done = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());

        // a job that is not waiting takes no answer
        answer(id, "1234").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void cancellingAWaitingJobErasesItsPortalSession() {
        String id = Jobs.submit(hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("captcha cancel"))));
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        assertTrue(captchaRowExists(id));

        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("captchaRequestedAt", equalTo(null));
        assertFalse(captchaRowExists(id));
        given().when().get("/api/v1/jobs/" + id + "/captcha").then().statusCode(404);
        answer(id, "1234").then().statusCode(409);
    }

    static JsonPath awaitWaitingAgain(String id, int attempts) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            JsonPath job = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
            if (!job.getString("status").equals("WAITING_FOR_CAPTCHA")) {
                throw new AssertionError("expected another captcha round: " + job.prettify());
            }
            if (job.getInt("attempts") == attempts) {
                return job;
            }
            sleep(200);
        }
        throw new AssertionError("job " + id + " did not wait again for attempt " + attempts);
    }

    static byte[] image(String id) {
        return given().when().get("/api/v1/jobs/" + id + "/captcha").then().statusCode(200).extract().asByteArray();
    }

    static io.restassured.response.Response answer(String id, String answer) {
        return given().contentType(ContentType.JSON).body(Map.of("answer", answer))
                .when().post("/api/v1/jobs/" + id + "/captcha");
    }

    static byte[] content(String documentId) {
        return given().when().get("/api/v1/documents/" + documentId + "/content")
                .then().statusCode(200).extract().asByteArray();
    }

    static List<String> outcomes(String id) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().get("/api/v1/jobs/" + id + "/attempts")
                .then().statusCode(200).extract().jsonPath().getList("outcome");
    }

    static boolean captchaRowExists(String id) {
        return QuarkusTransaction.requiringNew().call(() -> JobCaptchaEntity.findById(UUID.fromString(id)) != null);
    }

    /** Another four digits than the right ones. */
    static String wrong(String right) {
        return right.equals("0000") ? "1111" : "0000";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
