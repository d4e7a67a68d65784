package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import law.courtdocs.auth.TestTokens;

/**
 * REST helpers for tests: submit a link, wait for a job to reach a status. Without a token
 * argument they call as the default user of tenant {@value TestTokens#DEFAULT_TENANT}
 * ({@link law.courtdocs.auth.DefaultToken}); the {@code ...As} variants call with the given token.
 */
public final class Jobs {

    private Jobs() {}

    public static String submit(String url) {
        return submit(Map.of("url", url));
    }

    public static String submit(Map<String, Object> body) {
        return submitAs(null, body);
    }

    public static String submitAs(String token, Map<String, Object> body) {
        return as(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/jobs")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** Polls the job until its status is one of {@code statuses}; fails after {@code timeout}. */
    public static JsonPath awaitStatus(String id, Duration timeout, String... statuses) {
        return awaitStatusAs(null, id, timeout, statuses);
    }

    public static JsonPath awaitStatusAs(String token, String id, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        long end = System.nanoTime() + timeout.toNanos();
        JsonPath job;
        do {
            job = as(token).when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            if (wanted.contains(job.getString("status"))) {
                return job;
            }
            sleep(200);
        } while (System.nanoTime() < end);
        throw new AssertionError("job " + id + " still " + job.getString("status") + " after " + timeout
                + ", wanted " + wanted + ": " + job.prettify());
    }

    /** {@code given()} with {@code token} as bearer, or with the default token when null. */
    private static RequestSpecification as(String token) {
        return token == null ? given() : given().header("Authorization", TestTokens.bearer(token));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
