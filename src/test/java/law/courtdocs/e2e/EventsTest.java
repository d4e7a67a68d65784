package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * The events of issue 15 on the real stack: what a job's life writes, in what order, for whom;
 * read as JSON pages and as a live stream that resumes where it left off.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class EventsTest {

    @TestHTTPResource
    URL base;

    @Test
    void aDownloadWritesQueuedRunningStoredSucceededInSeqOrderForItsTenantOnly() {
        String tenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String user = TestTokens.user(tenant);
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("events judgment"))));
        String id = Jobs.submitAs(user, Map.of("url", link, "caseRef", "（2026）京0105民初1234号"));
        Jobs.awaitStatusAs(user, id, Duration.ofSeconds(90), "SUCCEEDED");

        JsonPath page = events(user, "after=0").extract().jsonPath();
        assertEquals(List.of("job.queued", "job.running", "document.stored", "job.succeeded"), page.getList("items.type"));
        assertEquals(List.of(1, 2, 3, 4), page.getList("items.seq"), "seq is dense and increases per tenant");
        assertEquals(4, page.getInt("nextAfter"));
        for (int i = 0; i < 4; i++) {
            assertEquals(tenant, page.getString("items[" + i + "].tenant"));
            assertEquals(id, page.getString("items[" + i + "].jobId"));
            assertEquals("（2026）京0105民初1234号", page.getString("items[" + i + "].caseRef"));
            assertNotNull(page.getString("items[" + i + "].occurredAt"));
            assertNotNull(UUID.fromString(page.getString("items[" + i + "].id")));
        }
        assertEquals("QUEUED", page.getString("items[0].data.status"));
        assertEquals(null, page.getString("items[0].data.previousStatus"));
        assertEquals("RUNNING", page.getString("items[1].data.status"));
        assertEquals("QUEUED", page.getString("items[1].data.previousStatus"));
        assertEquals(1, page.getInt("items[1].data.attempt"));
        assertEquals("民事判决书", page.getString("items[2].data.title"));
        String documentId = page.getString("items[2].data.documentId");
        assertEquals("/api/v1/documents/" + documentId + "/content", page.getString("items[2].data.contentUrl"));
        assertEquals(64, page.getString("items[2].data.sha256").length());
        assertEquals("SUCCEEDED", page.getString("items[3].data.status"));
        assertEquals(1, page.getInt("items[3].data.documents"));

        // the cursor and the filters
        events(user, "after=2").body("items.seq", equalTo(List.of(3, 4)));
        events(user, "after=0&types=job.succeeded,document.stored").body("items.type",
                equalTo(List.of("document.stored", "job.succeeded")));
        events(user, "after=0&types=job.queued&types=job.running").body("items.seq", equalTo(List.of(1, 2)));
        events(user, "after=0&jobId=" + UUID.randomUUID()).body("items.size()", equalTo(0));
        events(user, "after=0&caseRef=" + "（2026）京0105民初1234号").body("items.size()", equalTo(4));
        events(user, "after=0&limit=1").body("items.seq", equalTo(List.of(1))).body("nextAfter", equalTo(1));
        events(user, "after=4").body("items.size()", equalTo(0)).body("nextAfter", equalTo(4));

        // another tenant sees none of it
        String other = TestTokens.user("events-other-" + UUID.randomUUID().toString().substring(0, 8));
        events(other, "after=0").body("items.size()", equalTo(0));
        events(other, "after=0&jobId=" + id).body("items.size()", equalTo(0));
    }

    @Test
    void aFailureSaysWhyAndWhenTheNextTryIsAndACancelIsAnEventToo() {
        String tenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.admin(tenant);
        String id = Jobs.submitAs(admin, Map.of("url", SimulatorResource.sim().gdems().notReadyLink("尚未上传")));
        Jobs.awaitStatusAs(admin, id, Duration.ofSeconds(60), "RETRY_SCHEDULED");
        given().header("Authorization", TestTokens.bearer(admin)).when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200);

        JsonPath page = events(admin, "after=0&jobId=" + id).extract().jsonPath();
        assertEquals(List.of("job.queued", "job.running", "job.retry_scheduled", "job.cancelled"),
                page.getList("items.type"));
        assertNotNull(page.getString("items[2].data.errorCode"));
        assertNotNull(page.getString("items[2].data.nextAttemptAt"));
        assertEquals("RETRY_SCHEDULED", page.getString("items[3].data.previousStatus"));
    }

    @Test
    void theStreamDeliversLiveEventsAndResumesFromLastEventIdWithoutLosingAny() throws Exception {
        String tenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String user = TestTokens.user(tenant);
        HttpClient http = HttpClient.newHttpClient();
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (SseReader live = SseReader.open(http, base, user, null, "")) {
            String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                    new SimDoc("传票", "pdf", TestPdfs.pdf("events stream"))));
            String id = Jobs.submitAs(user, Map.of("url", link));
            while (!types.contains("job.succeeded")) {
                SseReader.Event e = live.next(Duration.ofSeconds(90));
                if (e.id() != null) {
                    types.add(e.type());
                    ids.add(e.id());
                    assertTrue(e.data().contains("\"jobId\":\"" + id + "\""), e.data());
                }
            }
        }
        assertEquals(List.of("job.queued", "job.running", "document.stored", "job.succeeded"), types);

        // a second job while nobody listens; the reconnect names the last event it saw
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("举证通知书", "pdf", TestPdfs.pdf("events stream 2"))));
        String second = Jobs.submitAs(user, Map.of("url", link));
        Jobs.awaitStatusAs(user, second, Duration.ofSeconds(90), "SUCCEEDED");
        try (SseReader resumed = SseReader.open(http, base, user, ids.get(1), "")) {
            List<String> seqs = new ArrayList<>();
            while (seqs.size() < 6) {
                SseReader.Event e = resumed.next(Duration.ofSeconds(30));
                if (e.id() != null) {
                    seqs.add(e.id());
                }
            }
            assertEquals(List.of("3", "4", "5", "6", "7", "8"), seqs, "everything after seq 2, in order, once");
            // idle now: a heartbeat comment comes (court.events.heartbeat is short in the test profile)
            SseReader.Event idle = resumed.next(Duration.ofSeconds(20));
            assertEquals("heartbeat", idle.comment());
        }
    }

    @Test
    void anSmsTakenInIsAnEventThatNamesTheJobsItMadeButNotTheLink() {
        String tenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String service = TestTokens.service(tenant);
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("应诉通知书", "pdf", TestPdfs.pdf("events sms"))));
        String text = "【北京市朝阳区人民法院】您好，（2026）京0105民初7788号案件文书已送达，请点击 " + link + " 查看。";
        given().header("Authorization", TestTokens.bearer(service)).contentType(ContentType.JSON)
                .body(Map.of("content", text)).when().post("/api/v1/sms").then().statusCode(201);

        JsonPath page = events(service, "after=0&types=sms.received").extract().jsonPath();
        assertEquals(1, page.getList("items").size());
        assertEquals("（2026）京0105民初7788号", page.getString("items[0].caseRef"));
        assertEquals("北京市朝阳区人民法院", page.getString("items[0].data.court"));
        assertEquals("JOB_CREATED", page.getString("items[0].data.links[0].outcome"));
        assertNotNull(page.getString("items[0].data.links[0].jobId"));
        String body = events(service, "after=0&types=sms.received").extract().asString();
        assertTrue(!body.contains(link), "the link's token does not travel in events");
    }

    @Test
    void aStreamOpensFromAfterOrFromNowAsWellAsFromLastEventId() throws Exception {
        String user = TestTokens.user("events-open");
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("after=0", "", "types=job.failed&caseRef=CMS-1")) {
            try (SseReader stream = SseReader.open(http, base, user, null, query)) {
                assertEquals("heartbeat", stream.next(Duration.ofSeconds(20)).comment(), query);
            }
        }
    }

    @Test
    void badCursorsTypesAndIdsAreRefusedNamingTheField() {
        String user = TestTokens.user("events-bad");
        problem(user, "after=-1", "after");
        problem(user, "after=x", "after");
        problem(user, "limit=0", "limit");
        problem(user, "types=job.nope", "types");
        problem(user, "jobId=not-a-uuid", "jobId");
        given().header("Authorization", TestTokens.bearer(user)).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "seven")
                .when().get("/api/v1/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("Last-Event-ID"));
        given().header("Accept", "application/json").header(TestTokens.NO_TOKEN).when().get("/api/v1/events")
                .then().statusCode(401);
    }

    private static io.restassured.response.ValidatableResponse events(String token, String query) {
        return given().header("Authorization", TestTokens.bearer(token)).accept(ContentType.JSON)
                .when().get("/api/v1/events?" + query)
                .then().statusCode(200).contentType(ContentType.JSON);
    }

    private static void problem(String token, String query, String field) {
        given().header("Authorization", TestTokens.bearer(token)).accept(ContentType.JSON)
                .when().get("/api/v1/events?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }
}
