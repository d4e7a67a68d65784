package law.courtdocs.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.Test;

/** Health and metrics on the management port without a token; the main port serves API and OpenAPI only. */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class ManagementInterfaceTest {

    /** Relative to the management root path, /q. */
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void healthAndMetricsAnswerOnTheManagementPortWithoutAToken() {
        assertEquals("/q/health/ready", ready.getPath());
        assertNotEquals(RestAssured.port, ready.getPort(), "management shares the main port: " + ready);
        given().header(TestTokens.NO_TOKEN)
                .when().get(ready)
                .then().statusCode(200)
                .body("status", equalTo("UP"));
        given().header(TestTokens.NO_TOKEN)
                .when().get(metrics)
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theMainPortHasNoHealthOrMetricsButTheOpenApiDocument() {
        given().header(TestTokens.NO_TOKEN).when().get("/q/health/ready").then().statusCode(404);
        given().header(TestTokens.NO_TOKEN).when().get("/q/metrics").then().statusCode(404);
        given().header(TestTokens.NO_TOKEN)
                .when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("paths", hasKey("/api/v1/audit"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
    }
}
