package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import law.courtdocs.job.JobEntity;
import law.courtdocs.sms.SmsMessageEntity;
import org.junit.jupiter.api.Test;

/** Without {@code court.secrets.key} nothing secret is accepted: 503, nothing stored; plain links still work. */
@QuarkusTest
@TestProfile(NoSecretsKeyTest.NoKey.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class NoSecretsKeyTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("court.secrets.key", "");
        }
    }

    @Test
    void credentialsAndSmsAreRefusedWith503AndNothingIsStored() {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        long smsBefore = QuarkusTransaction.requiringNew().call(() -> SmsMessageEntity.count());
        given().contentType(ContentType.JSON)
                .body(Map.of("url", link, "credentials", Map.of("phones", List.of("13800001111"))))
                .when().post("/api/v1/jobs")
                .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "【杭州市西湖区人民法院】请点击 " + link + " 查看。验证码：1234"))
                .when().post("/api/v1/sms")
                .then().statusCode(503).contentType("application/problem+json");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> JobEntity.count("url", link)));
        assertEquals(smsBefore, QuarkusTransaction.requiringNew().call(() -> SmsMessageEntity.count()));

        // an empty credentials object is no credentials: accepted
        given().contentType(ContentType.JSON).body(Map.of("url", link, "credentials", Map.of()))
                .when().post("/api/v1/jobs")
                .then().statusCode(201).body("hasCredentials", equalTo(false));
    }
}
