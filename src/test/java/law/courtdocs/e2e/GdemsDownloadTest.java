package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class GdemsDownloadTest {

    @Test
    void zipWithSubFoldersBecomesOneDocumentPerFileWithChineseNamesIntact() {
        Map<String, byte[]> files = Map.of(
                "（2026）粤0106民初1234号/起诉状副本.pdf", TestPdfs.pdf("gd complaint"),
                "（2026）粤0106民初1234号/证据/举证通知书.pdf", TestPdfs.pdf("gd evidence"),
                "传票.pdf", TestPdfs.pdf("gd summons"));
        String link = SimulatorResource.sim().gdems().addDelivery(SimDocs.zip(files), "送达材料.zip");

        String id = Jobs.submit(Map.of("url", link, "caseRef", "（2026）粤0106民初1234号"));
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("gdems", job.getString("portal"));
        List<Map<String, Object>> docs = job.getList("documents");
        assertEquals(3, docs.size());
        Map<String, byte[]> byName = new HashMap<>();
        files.forEach((path, bytes) -> byName.put(path.substring(path.lastIndexOf('/') + 1), bytes));
        for (Map<String, Object> doc : docs) {
            String fileName = (String) doc.get("fileName");
            byte[] expected = byName.get(fileName);
            assertNotNull(expected, "unexpected document name " + fileName);
            assertEquals("application/pdf", doc.get("contentType"));
            Response content = given().when().get("/api/v1/documents/" + doc.get("id") + "/content");
            assertEquals(200, content.statusCode());
            assertArrayEquals(expected, content.asByteArray(), fileName);
            String disposition = content.header("Content-Disposition");
            assertTrue(disposition.contains("filename*=UTF-8''"
                    + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20")), disposition);
        }
    }

    @Test
    void documentsNotUploadedYetIsRetriedLaterWithTheCourtsNotice() {
        String notice = "法院尚未上传送达文书，请稍后再试";
        String link = SimulatorResource.sim().gdems().notReadyLink(notice);

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "RETRY_SCHEDULED", "FAILED", "SUCCEEDED");

        assertEquals("RETRY_SCHEDULED", job.getString("status"));
        assertEquals("DOCUMENTS_NOT_READY", job.getString("error.code"));
        assertTrue(job.getString("error.message").contains(notice), job.getString("error.message"));
        assertEquals(1, job.getInt("attempts"));
        Instant next = Instant.parse(job.getString("nextAttemptAt"));
        assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(90))), "not-ready retries wait hours: " + next);
        assertEquals(0, job.getList("documents").size());
    }
}
