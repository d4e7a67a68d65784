package law.courtdocs.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's retention on the real stack: documents, attempt evidence and SMS texts older than
 * their court.retention.* period go; a document under legal hold stays until it is released; a
 * pass waits for no other pod: when one holds the purge lock, the other purges nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void oldThingsArePurgedButAHeldDocumentStaysUntilReleased() throws Exception {
        String tenant = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.admin(tenant);
        byte[] kept = TestPdfs.pdf("retention: under hold");
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("民事判决书", "pdf", kept), new SimDoc("传票", "pdf", TestPdfs.pdf("retention: purged"))));
        String jobId = Jobs.submitAs(admin, Map.of("url", link, "caseRef", "（2026）粤0106民初1234号"));
        JsonPath job = Jobs.awaitStatusAs(admin, jobId, Duration.ofSeconds(90), "SUCCEEDED");
        String held = job.getString("documents.find { it.title == '民事判决书' }.id");
        String purged = job.getString("documents.find { it.title == '传票' }.id");
        String smsId = given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON)
                .body(Map.of("content", "【广州市天河区人民法院】您有一份文书，请查收。"))
                .post("/api/v1/sms").then().statusCode(201).extract().path("id");

        // bad holds change nothing
        given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/documents/" + held + "/hold").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("reason"));
        given().header("Authorization", TestTokens.bearer(TestTokens.user(tenant))).contentType(ContentType.JSON)
                .body(Map.of("reason", "x")).post("/api/v1/documents/" + held + "/hold").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin("retention-other"))).contentType(ContentType.JSON)
                .body(Map.of("reason", "x")).post("/api/v1/documents/" + held + "/hold").then().statusCode(404);

        given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON)
                .body(Map.of("reason", "上诉期内保全（2026）粤0106民初1234号"))
                .post("/api/v1/documents/" + held + "/hold").then().statusCode(200)
                .body("legalHold", equalTo(true)).body("reason", equalTo("上诉期内保全（2026）粤0106民初1234号"));
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/audit").then().statusCode(200)
                .body("items.action", hasItem("DOCUMENT_HOLD"));

        // everything of this tenant is made old enough to go
        Instant old = Instant.now().minus(Duration.ofDays(400));
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update documents set created_at = :t where tenant = :tenant")
                    .setParameter("t", old).setParameter("tenant", tenant).executeUpdate();
            em.createNativeQuery("update job_attempts set finished_at = :t, screenshot = decode('89504e47', 'hex'),"
                    + " page_html = '<html>失败页</html>' where job_id = :job")
                    .setParameter("t", old).setParameter("job", UUID.fromString(jobId)).executeUpdate();
            em.createNativeQuery("update sms_messages set created_at = :t where id = :id")
                    .setParameter("t", old).setParameter("id", UUID.fromString(smsId)).executeUpdate();
        });

        // another pod holds the purge lock: this pass purges nothing
        try (Connection other = dataSource.getConnection(); Statement st = other.createStatement()) {
            st.execute("select pg_advisory_lock(" + Retention.LOCK + ")");
            assertEquals(new Retention.Purged(0, 0, 0), retention.purge(Instant.now()));
            st.execute("select pg_advisory_unlock(" + Retention.LOCK + ")");
        }
        assertEquals(2, count("select count(*) from documents where tenant = '" + tenant + "'"));

        Retention.Purged first = retention.purge(Instant.now());
        assertEquals(1, count("select count(*) from documents where tenant = '" + tenant + "'"), "the held one stays");
        assertEquals(0, count("select count(*) from document_chunks where document_id = '" + purged + "'"), "bytes too");
        assertEquals(0, count("select count(*) from job_attempts where job_id = '" + jobId
                + "' and (screenshot is not null or page_html is not null)"));
        assertEquals(0, count("select octet_length(content) from sms_messages where id = '" + smsId + "'"));
        assertEquals(true, first.documents() >= 1 && first.evidence() >= 1 && first.smsTexts() >= 1, first.toString());
        byte[] body = given().header("Authorization", TestTokens.bearer(admin))
                .get("/api/v1/documents/" + held + "/content").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(kept, body, "the held document's bytes, unchanged");
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/documents/" + purged + "/content")
                .then().statusCode(404);
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .body("documents.id", equalTo(List.of(held))).body("documents[0].legalHold", equalTo(true));

        // released, it goes with the next pass
        given().header("Authorization", TestTokens.bearer(admin)).delete("/api/v1/documents/" + held + "/hold")
                .then().statusCode(200).body("legalHold", equalTo(false));
        retention.purge(Instant.now());
        assertEquals(0, count("select count(*) from documents where tenant = '" + tenant + "'"));
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/audit").then().statusCode(200)
                .body("items.action", hasItem("DOCUMENT_RELEASE"));
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
