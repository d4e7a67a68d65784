package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/** REST submit → outbox → RabbitMQ → worker → simulator → PostgreSQL → REST download. */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class DirectDownloadTest {

    @Test
    void aPlainPdfLinkIsDownloadedAndReadBackByteForByte() throws Exception {
        byte[] pdf = TestPdfs.pdf("direct e2e");
        String link = SimulatorResource.sim().direct().addPdf(pdf);

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("direct", job.getString("portal"));
        assertEquals(1, job.getInt("attempts"));
        assertNull(job.get("error"));
        assertEquals(1, job.getList("documents").size());
        String docId = job.getString("documents[0].id");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
        assertEquals(sha, job.getString("documents[0].sha256"));
        assertEquals(pdf.length, job.getLong("documents[0].sizeBytes"));

        byte[] body = given().when().get("/api/v1/documents/" + docId + "/content")
                .then().statusCode(200)
                .header("Content-Type", equalTo("application/pdf"))
                .header("ETag", equalTo("\"" + sha + "\""))
                .header("Content-Disposition", containsString("attachment"))
                .extract().asByteArray();
        assertArrayEquals(pdf, body);

        given().header("If-None-Match", "\"" + sha + "\"")
                .when().get("/api/v1/documents/" + docId + "/content")
                .then().statusCode(304);
    }

    @Test
    void aLinkThatAnswers404FailsWithoutRetry() {
        String id = Jobs.submit("http://sfpt.cdfy12368.gov.cn/files/no-such-file.pdf");
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(60), "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");
        assertEquals("FAILED", job.getString("status"));
        assertEquals("PORTAL_REJECTED", job.getString("error.code"));
        assertEquals(1, job.getInt("attempts"));
        assertEquals(0, job.getList("documents").size());
    }
}
