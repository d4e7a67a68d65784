package law.courtdocs.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.job.JobEntity;
import law.courtdocs.queue.OutboxEntry;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx problem+json and changes nothing. */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class JobApiValidationTest {

    private static long[] counts() {
        return QuarkusTransaction.requiringNew().call(() -> new long[] {JobEntity.count(), OutboxEntry.count()});
    }

    private void assertNothingStored(long[] before) {
        long[] after = counts();
        assertEquals(before[0], after[0], "jobs stored");
        assertEquals(before[1], after[1], "outbox rows written");
    }

    @Test
    void aHostOffTheAllowlistIsRefusedWith422AndNothingIsStored() {
        long[] before = counts();
        given().contentType(ContentType.JSON).body(Map.of("url", "https://evil.example.com/zxfw/#/x?sdbh=1"))
                .when().post("/api/v1/jobs")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", containsString("evil.example.com"))
                .body("errors.field", hasItem("url"));
        assertNothingStored(before);
    }

    @Test
    void missingUrlWrongPriorityAndLongCaseRefNameTheirFields() {
        long[] before = counts();
        given().contentType(ContentType.JSON).body(Map.of("priority", 11, "caseRef", "x".repeat(129)))
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("url"))
                .body("errors.field", hasItem("priority"))
                .body("errors.field", hasItem("caseRef"));
        assertNothingStored(before);
    }

    @Test
    void malformedJsonAndWrongTypesAre400ProblemsWithoutStackTraces() {
        long[] before = counts();
        given().contentType(ContentType.JSON).body("{\"url\": ")
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"))
                .body(not(containsString("at com.")));
        given().contentType(ContentType.JSON).body("{\"url\": \"http://sd.gdems.com/v3/dzsd/abc123\", \"priority\": \"high\"}")
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("priority"));
        given().contentType(ContentType.JSON)
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json");
        assertNothingStored(before);
    }

    @Test
    void otherSchemesAndUserInfoAreRefused() {
        for (String url : new String[] {"ftp://sd.gdems.com/v3/dzsd/abc123", "http://user:pw@sd.gdems.com/v3/dzsd/abc123",
                "file:///etc/passwd", "not a url at all"}) {
            given().contentType(ContentType.JSON).body(Map.of("url", url))
                    .when().post("/api/v1/jobs")
                    .then().statusCode(422)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void unknownIdsAre404Problems() {
        given().when().get("/api/v1/jobs/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/jobs/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/documents/" + UUID.randomUUID() + "/content")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listParametersAreChecked() {
        given().when().get("/api/v1/jobs?status=DONE")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("status"));
        given().when().get("/api/v1/jobs?size=1000")
                .then().statusCode(400).body("errors.field", hasItem("size"));
        given().when().get("/api/v1/jobs?page=-1")
                .then().statusCode(400).body("errors.field", hasItem("page"));
    }

    @Test
    void acceptedSubmissionAnswers201WithLocationAndTheJobJson() {
        String caseRef = "（2026）粤0106民初1234号";
        given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://sd.gdems.com/v3/dzsd/Zz9Q1x", "caseRef", caseRef, "priority", 2))
                .when().post("/api/v1/jobs")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/jobs/"))
                .body("status", equalTo("QUEUED"))
                .body("portal", equalTo("gdems"))
                .body("priority", equalTo(2))
                .body("caseRef", equalTo(caseRef))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(5))
                .body("documents.size()", equalTo(0))
                .body("error", equalTo(null));
        given().when().get("/api/v1/jobs?caseRef=" + caseRef)
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].caseRef", equalTo(caseRef));
    }

    @Test
    void anOversizeBodyIs413ProblemAndStoresNothing() {
        long[] before = counts();
        String huge = "{\"url\": \"http://sd.gdems.com/v3/dzsd/abc123\", \"caseRef\": \"" + "x".repeat(100_000) + "\"}";
        given().contentType(ContentType.JSON).body(huge)
                .when().post("/api/v1/jobs")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
        assertNothingStored(before);
    }

    @Test
    void openApiDocumentIsServed() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/jobs"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/sms"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/jobs/{id}/retry"))
                .body("openapi", startsWith("3"));
    }
}
