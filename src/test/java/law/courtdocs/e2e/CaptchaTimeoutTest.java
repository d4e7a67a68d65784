package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/** Nobody answers: the job fails with CAPTCHA_TIMEOUT, and its parked portal session is erased. */
@QuarkusTest
@TestProfile(CaptchaTimeoutTest.ShortCaptchaTimeout.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class CaptchaTimeoutTest {

    public static class ShortCaptchaTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("court.captcha.timeout", "3s", "court.captcha.poll-interval", "1s");
        }
    }

    @Test
    void anUnansweredCaptchaFailsTheJobAfterTheTimeout() {
        String link = SimulatorResource.sim().hubeiSms().addMessage(true,
                new SimDoc("传票", "pdf", TestPdfs.pdf("captcha timeout")));
        String id = Jobs.submit(link);
        JsonPath waiting = Jobs.awaitStatus(id, Duration.ofSeconds(90), "WAITING_FOR_CAPTCHA", "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED");
        // the wait may already be over when a loaded machine polls late; then it must be the timeout
        if (!waiting.getString("status").equals("FAILED")) {
            assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        }

        JsonPath failed = Jobs.awaitStatus(id, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "QUEUED", "RUNNING");
        assertEquals("FAILED", failed.getString("status"), failed.prettify());
        assertEquals("CAPTCHA_TIMEOUT", failed.getString("error.code"));
        assertEquals(1, failed.getInt("attempts"));
        assertNull(failed.get("captchaRequestedAt"));
        assertFalse(CaptchaTest.captchaRowExists(id), "the sealed session is erased at the final status");

        given().when().get("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(404).contentType("application/problem+json");
        CaptchaTest.answer(id, "1234").then().statusCode(409).contentType("application/problem+json");
        assertEquals(List.of("WAITING_FOR_CAPTCHA"), CaptchaTest.outcomes(id));
    }

    /** daolv parks before its login: an unanswered wait ends the job, and its account and password with it. */
    @Test
    void aDaolvJobNobodyAnswersFailsWithCaptchaTimeoutAndItsCredentialsAreErased() {
        DaolvSimulator daolv = SimulatorResource.sim().daolv();
        String account = "360102202612010077";
        String link = daolv.addAccount(DaolvSimulator.JIANGXI_HOST, account, "Jx#timeout");
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("account", account, "password", "Jx#timeout")));

        JsonPath failed = Jobs.awaitStatus(id, Duration.ofSeconds(90), "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");
        assertEquals("FAILED", failed.getString("status"), failed.prettify());
        assertEquals("CAPTCHA_TIMEOUT", failed.getString("error.code"));
        assertEquals(List.of("WAITING_FOR_CAPTCHA"), CaptchaTest.outcomes(id), "it had parked for its captcha");
        assertFalse(failed.getBoolean("hasCredentials"));
        assertNull(JobCredentialsTest.row(id).credentials, "erased by the timeout's move to FAILED");
        assertFalse(CaptchaTest.captchaRowExists(id));
        assertEquals(0, daolv.loginAttempts(DaolvSimulator.JIANGXI_HOST, account));
    }
}
