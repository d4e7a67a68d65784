package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import law.courtdocs.sim.SimDoc;

/** Assertions on a finished job's documents, fetched through the REST API. */
final class Documents {

    private Documents() {}

    /**
     * The job holds exactly {@code expected}, each named {@code title.format} (Chinese names byte
     * for byte), served with its bytes unchanged and an RFC 5987 {@code filename*}.
     */
    static void assertExactly(JsonPath job, List<SimDoc> expected) {
        List<Map<String, Object>> docs = job.getList("documents");
        assertEquals(expected.size(), docs.size(), job.prettify());
        for (SimDoc want : expected) {
            String name = want.title() + "." + want.format();
            Map<String, Object> doc = docs.stream().filter(d -> name.equals(d.get("fileName"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no document named " + name + " in " + job.prettify()));
            assertArrayEquals(name.getBytes(StandardCharsets.UTF_8),
                    ((String) doc.get("fileName")).getBytes(StandardCharsets.UTF_8));
            Response content = given().when().get("/api/v1/documents/" + doc.get("id") + "/content");
            assertEquals(200, content.statusCode());
            assertArrayEquals(want.bytes(), content.asByteArray(), name);
            String disposition = content.header("Content-Disposition");
            assertTrue(disposition.contains("filename*=UTF-8''"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")), disposition);
        }
    }

    /** FAILED on the first attempt with {@code code}, not scheduled again, credentials gone. */
    static void assertFailedAtOnce(JsonPath job, String code) {
        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals(code, job.getString("error.code"), job.prettify());
        assertEquals(1, job.getInt("attempts"), "a permanent failure is not retried");
        assertEquals(null, job.getString("nextAttemptAt"));
        assertEquals(false, job.getBoolean("hasCredentials"), "erased when the job failed");
        assertEquals(0, job.getList("documents").size());
    }
}
