package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class ZxfwDownloadTest {

    @Test
    void severalDocumentsWithChineseTitlesComeBackByteForByte() {
        List<SimDoc> docs = List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("zx judgment")),
                new SimDoc("传票", "pdf", TestPdfs.pdf("zx summons")),
                new SimDoc("举证通知书", "pdf", TestPdfs.pdf("zx evidence")));
        String link = SimulatorResource.sim().zxfw().addDelivery(docs);

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("zxfw", job.getString("portal"));
        assertEquals(3, job.getList("documents").size());
        for (SimDoc doc : docs) {
            String path = "documents.find { it.title == '" + doc.title() + "' }";
            assertEquals(doc.title() + ".pdf", job.getString(path + ".fileName"));
            assertEquals("广州市天河区人民法院", job.getString(path + ".court"));
            byte[] body = given().when().get("/api/v1/documents/" + job.getString(path + ".id") + "/content")
                    .then().statusCode(200).extract().asByteArray();
            assertArrayEquals(doc.bytes(), body, doc.title());
        }
    }

    /**
     * What a portal says is cleaned, never a failed job: a title (and so the file name) holding NUL,
     * a C1 control and lone surrogates is stored without the controls, each lone surrogate marked
     * U+FFFD, and the bytes are the portal's.
     */
    @Test
    void aTitleWithNulAndLoneSurrogatesIsCleanedAndTheJobSucceeds() {
        SimDoc hostile = new SimDoc("民事\u0000判决书\ud800\u0085（\udc00）", "pdf", TestPdfs.pdf("zx hostile title"));
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(hostile));

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("民事判决书\uFFFD（\uFFFD）", job.getString("documents[0].title"));
        assertEquals("民事判决书\uFFFD（\uFFFD）.pdf", job.getString("documents[0].fileName"));
        byte[] body = given().when().get("/api/v1/documents/" + job.getString("documents[0].id") + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(hostile.bytes(), body);
    }

    /**
     * The worker stores a document while it fetches the next: an HTML page served as the first
     * document fails the job when the second is handed over, and the second is not stored.
     */
    @Test
    void aDocumentThatIsNotADocumentFailsTheJobAndNothingAfterItIsStored() {
        byte[] errorPage = "<!DOCTYPE html><html><body>系统繁忙，请稍后再试</body></html>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("起诉状副本", "pdf", errorPage),
                new SimDoc("应诉通知书", "pdf", TestPdfs.pdf("zx notice"))));

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");

        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals("UNSAFE_CONTENT", job.getString("error.code"));
        assertTrue(job.getString("error.message").contains("起诉状副本"), job.getString("error.message"));
        assertEquals(List.of(), job.getList("documents"));
    }

    @Test
    void anExpiredLinkFailsAfterOneAttemptAndIsNotRetried() throws Exception {
        String id = Jobs.submit(SimulatorResource.sim().zxfw().expiredLink());
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");

        assertEquals("FAILED", job.getString("status"));
        assertEquals("LINK_EXPIRED", job.getString("error.code"));
        assertEquals(1, job.getInt("attempts"));
        assertNull(job.get("nextAttemptAt"));
        // still FAILED with one attempt a few retry-scheduler rounds later
        Thread.sleep(2500);
        JsonPath again = Jobs.awaitStatus(id, Duration.ofSeconds(5), "FAILED");
        assertEquals(1, again.getInt("attempts"));
    }
}
