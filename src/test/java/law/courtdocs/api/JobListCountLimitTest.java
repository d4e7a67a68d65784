package law.courtdocs.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.Test;

/**
 * A list's total is exact up to {@code court.api.list-count-limit}; beyond it the answer says so
 * and gives the limit, while the page itself is unaffected.
 */
@QuarkusTest
@TestProfile(JobListCountLimitTest.CountUpToThree.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class JobListCountLimitTest {

    public static class CountUpToThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("court.api.list-count-limit", "3");
        }
    }

    private static final String TENANT = "count-limit-律所";
    private static final String CASE = "（2026）粤0106民初4242号";

    @Test
    void totalIsExactUpToTheLimitAndSaysSoBeyondIt() {
        String token = TestTokens.bearer(TestTokens.user(TENANT));
        for (int i = 0; i < 5; i++) {
            // not-ready deliveries: the jobs stay in this tenant's list whatever the worker does
            String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传 " + i);
            given().header("Authorization", token).contentType(ContentType.JSON)
                    .body(Map.of("url", link, "caseRef", i < 3 ? CASE : "other-" + i))
                    .when().post("/api/v1/jobs").then().statusCode(201);
        }

        given().header("Authorization", token).when().get("/api/v1/jobs?size=2")
                .then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("total", equalTo(3))
                .body("totalExact", equalTo(false));
        given().header("Authorization", token).when().get("/api/v1/jobs?caseRef=" + CASE)
                .then().statusCode(200)
                .body("items.size()", equalTo(3))
                .body("total", equalTo(3))
                .body("totalExact", equalTo(true));
        given().header("Authorization", token).when().get("/api/v1/jobs?caseRef=other-4&portal=gdems")
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("totalExact", equalTo(true));
        given().header("Authorization", token).when().get("/api/v1/jobs?status=SUCCEEDED")
                .then().statusCode(200)
                .body("total", equalTo(0))
                .body("totalExact", equalTo(true));
    }
}
