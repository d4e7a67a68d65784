package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.ChinesePdfs;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * Document metadata from PDF text and the job's documents as one ZIP, through a gdems delivery on
 * the real stack.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class DocumentsZipTest {

    private static final String CASE = "（2026）粤0106民初1234号";

    @Test
    void metadataFromPdfTextAndAZipWithUniqueChineseNames() throws IOException {
        byte[] judgment = ChinesePdfs.builder()
                .line("广东省广州市天河区人民法院")
                .spacedTitle("民事判决书")
                .line(CASE)
                .line("原告：张三。被告：广州某某有限公司。")
                .bytes();
        byte[] summonsA = TestPdfs.pdf("zip summons a");
        byte[] summonsB = ChinesePdfs.page("广州市天河区人民法院", "传票", "（2026）粤0106民初5678号");
        Map<String, byte[]> files = Map.of(
                "20260315_001.pdf", judgment,
                CASE + "/传票.pdf", summonsA,
                "（2026）粤0106民初5678号/传票.pdf", summonsB);
        String link = SimulatorResource.sim().gdems().addDelivery(SimDocs.zip(files), "送达材料.zip");

        String id = Jobs.submit(Map.of("url", link, "caseRef", CASE));
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());

        List<Map<String, Object>> docs = job.getList("documents");
        assertEquals(3, docs.size(), job.prettify());
        Map<String, Object> fromText = docs.stream().filter(d -> "20260315_001.pdf".equals(d.get("fileName")))
                .findFirst().orElseThrow(() -> new AssertionError(job.prettify()));
        // gdems titles a document by its file name; "20260315_001" names no kind, the page does
        assertEquals("民事判决书", fromText.get("title"));
        assertEquals("广东省广州市天河区人民法院", fromText.get("court"));
        assertEquals(CASE, fromText.get("caseNumber"));
        for (Map<String, Object> d : docs) {
            assertTrue(d.containsKey("caseNumber"), "caseNumber is always in the document JSON: " + d);
            if ("传票.pdf".equals(d.get("fileName"))) {
                assertEquals("传票", d.get("title"), "a file-name title that names the kind stays");
            }
        }
        Map<String, Object> chineseSummons = docs.stream().filter(d -> "（2026）粤0106民初5678号".equals(d.get("caseNumber")))
                .findFirst().orElseThrow(() -> new AssertionError("summons B's case number: " + job.prettify()));
        assertEquals("广州市天河区人民法院", chineseSummons.get("court"));
        Map<String, Object> asciiSummons = docs.stream()
                .filter(d -> "传票.pdf".equals(d.get("fileName")) && d != chineseSummons).findFirst().orElseThrow();
        assertNull(asciiSummons.get("caseNumber"));
        assertNull(asciiSummons.get("court"));

        Response zip = given().when().get("/api/v1/jobs/" + id + "/documents.zip");
        assertEquals(200, zip.statusCode(), zip.asString());
        assertEquals("application/zip", zip.contentType());
        String disposition = zip.header("Content-Disposition");
        assertTrue(disposition.startsWith("attachment;") && disposition.contains("filename*=UTF-8''"
                + URLEncoder.encode(CASE + ".zip", StandardCharsets.UTF_8).replace("+", "%20")), disposition);
        byte[] bytes = zip.asByteArray();

        // In the job's document order, the second 传票.pdf becomes 传票_2.pdf; bytes are the stored ones.
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (Map<String, Object> d : docs) {
            String name = (String) d.get("fileName");
            byte[] original = d == fromText ? judgment : d == chineseSummons ? summonsB : summonsA;
            expected.put(expected.containsKey(name) ? name.replace(".pdf", "_2.pdf") : name, original);
        }
        Map<String, byte[]> entries = unzip(bytes);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(entries.keySet()));
        assertTrue(entries.containsKey("传票_2.pdf"), entries.keySet().toString());
        expected.forEach((name, content) -> assertArrayEquals(content, entries.get(name), name));
        assertEquals(List.of(true, true, true), utf8Flags(bytes), "EFS flag: names are UTF-8");

        // three resource classes share /api/v1/jobs
        // (attempts and cancel are for the tenant's admins)
        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().get("/api/v1/jobs/" + id + "/attempts").then().statusCode(200);
        given().when().get("/api/v1/jobs/" + id).then().statusCode(200);
    }

    @Test
    void unknownJobsAndJobsWithoutDocumentsAreProblems() {
        given().when().get("/api/v1/jobs/" + UUID.randomUUID() + "/documents.zip")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/jobs/not-a-uuid/documents.zip")
                .then().statusCode(404).contentType("application/problem+json");

        String id = Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("尚未上传"));
        Jobs.awaitStatus(id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
        String detail = given().when().get("/api/v1/jobs/" + id + "/documents.zip")
                .then().statusCode(404).contentType("application/problem+json")
                .extract().path("detail");
        assertEquals("job " + id + " has no documents yet", detail);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                assertNull(entries.put(e.getName(), in.readAllBytes()), "duplicate entry " + e.getName());
            }
        }
        return entries;
    }

    /** Bit 11 (language encoding, EFS) of each central-directory record's general-purpose flags. */
    private static List<Boolean> utf8Flags(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = zip.length - 22;
        assertEquals(0x06054b50, b.getInt(eocd), "end of central directory without a comment");
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        int at = b.getInt(eocd + 16);
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertEquals(0x02014b50, b.getInt(at), "central directory record " + i);
            flags.add((b.getShort(at + 8) & 0x0800) != 0);
            at += 46 + Short.toUnsignedInt(b.getShort(at + 28)) + Short.toUnsignedInt(b.getShort(at + 30))
                    + Short.toUnsignedInt(b.getShort(at + 32));
        }
        assertNotNull(flags);
        return flags;
    }
}
