package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.job.JobCredentials;
import law.courtdocs.job.JobEntity;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.secrets.JobSecrets;
import law.courtdocs.sim.JysdSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sms.SmsMessageEntity;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/sms} end to end: a court's SMS text in, its delivery link a job carrying the
 * code (and the phones the caller named), the documents downloaded from the simulator through
 * the real worker; the message kept sealed, codes and passwords never answered nor logged.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class SmsIntakeTest {

    static final String CODE = "8K3m2Q";

    @Inject
    JobSecrets secrets;

    @Test
    void anSfdwSmsBecomesAJobWithItsCodeAndTheDocumentsAreDownloaded() {
        List<SimDoc> docs = List.of(new SimDoc("民事起诉状副本", "pdf", TestPdfs.pdf("sms sfdw complaint")),
                new SimDoc("（2026）川0107民初5678号传票", "pdf", TestPdfs.pdf("sms sfdw summons")));
        String link = SimulatorResource.sim().sfdw().addDelivery(docs, CODE);
        String text = "【成都市武侯区人民法院】张三律师您好：（2026）川0107民初5678号案件的起诉状副本、传票等文书已向您送达，请点击"
                + link + "，验证码：" + CODE + "，查看并下载。如非本人操作请忽略。";

        try (AppLog log = AppLog.start()) {
            String answer = given().contentType(ContentType.JSON)
                    .body(Map.of("content", text, "receivedAt", "2026-11-30T08:15:00Z"))
                    .when().post("/api/v1/sms")
                    .then().statusCode(201).contentType(ContentType.JSON)
                    .body("parsed.links.size()", equalTo(1))
                    .body("parsed.links[0].portal", equalTo("sfdw"))
                    .body("parsed.links[0].outcome", equalTo("JOB_CREATED"))
                    .body("parsed.caseNumbers", hasItem("（2026）川0107民初5678号"))
                    .body("parsed.court", equalTo("成都市武侯区人民法院"))
                    .body("parsed.hasCode", equalTo(true))
                    .body("parsed.hasPassword", equalTo(false))
                    .body("jobs.size()", equalTo(1))
                    .body("jobs[0].portal", equalTo("sfdw"))
                    .body("jobs[0].caseRef", equalTo("（2026）川0107民初5678号"))
                    .body("jobs[0].hasCredentials", equalTo(true))
                    .extract().asString();
            assertFalse(answer.contains(CODE), "the code is not echoed");
            JsonPath sms = JsonPath.from(answer);
            String smsId = sms.getString("id");
            String jobId = sms.getString("jobs[0].id");
            assertEquals(jobId, sms.getString("parsed.links[0].jobId"));

            JsonPath job = Jobs.awaitStatus(jobId, Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
            assertEquals(List.of(CODE), SimulatorResource.sim().sfdw().codesTried(link));
            List<Map<String, Object>> stored = job.getList("documents");
            assertEquals(2, stored.size());
            for (int i = 0; i < docs.size(); i++) {
                SimDoc expected = docs.get(i);
                Map<String, Object> doc = stored.stream()
                        .filter(d -> (expected.title() + ".pdf").equals(d.get("fileName"))).findFirst()
                        .orElseThrow(() -> new AssertionError("no document " + expected.title()));
                byte[] bytes = given().when().get("/api/v1/documents/" + doc.get("id") + "/content")
                        .then().statusCode(200).extract().asByteArray();
                assertArrayEquals(expected.bytes(), bytes, expected.title());
            }
            assertFalse(job.getBoolean("hasCredentials"), "erased when the job succeeded");

            // GET answers the same shape, the job now finished
            String again = given().when().get("/api/v1/sms/" + smsId)
                    .then().statusCode(200)
                    .body("id", equalTo(smsId))
                    .body("receivedAt", equalTo("2026-11-30T08:15:00Z"))
                    .body("parsed.links[0].jobId", equalTo(jobId))
                    .body("jobs[0].status", equalTo("SUCCEEDED"))
                    .body("jobs[0].documents.size()", equalTo(2))
                    .extract().asString();
            assertFalse(again.contains(CODE));

            // another tenant's caller sees nothing
            given().header("Authorization", TestTokens.bearer(TestTokens.user("other-firm")))
                    .when().get("/api/v1/sms/" + smsId).then().statusCode(404).contentType("application/problem+json");
            given().when().get("/api/v1/sms/not-a-uuid").then().statusCode(404);

            // kept sealed: neither the stored text nor the stored view holds the code
            SmsMessageEntity row = QuarkusTransaction.requiringNew()
                    .call(() -> SmsMessageEntity.<SmsMessageEntity>findById(UUID.fromString(smsId)));
            assertFalse(new String(row.content, StandardCharsets.ISO_8859_1).contains(CODE));
            assertFalse(row.parsed.contains(CODE));
            assertEquals(text, new String(secrets.open(row.content, row.id), StandardCharsets.UTF_8));
            assertTrue(log.all().contains("sms " + smsId), "the capture sees the service's log");
            log.assertFree(CODE, link.substring(link.lastIndexOf('/') + 1));
        }
    }

    @Test
    void aJysdSmsWithTheReceivingPhonesLogsInWithTheRightOneAndDownloads() {
        String wrong = "13900005678";
        String right = "13812341234";
        List<SimDoc> docs = List.of(new SimDoc("应诉通知书", "pdf", TestPdfs.pdf("sms jysd notice")));
        String link = SimulatorResource.sim().jysd().addDelivery(docs, right);
        String text = "【浙江省杭州市西湖区人民法院】您有一份（2026）浙0106民初1234号案件的诉讼文书，请点击" + link
                + "查看，请勿转发。";

        String jobId = given().header("Authorization", TestTokens.bearer(TestTokens.service(TestTokens.DEFAULT_TENANT)))
                .contentType(ContentType.JSON)
                .body(Map.of("content", text, "caseRef", "CMS-77", "phones", List.of(wrong, right)))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.phones", equalTo(2))
                .body("parsed.hasCode", equalTo(false))
                .body("jobs[0].portal", equalTo("jysd"))
                .body("jobs[0].caseRef", equalTo("CMS-77"))
                .extract().path("jobs[0].id");
        JsonPath job = Jobs.awaitStatus(jobId, Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals(List.of(wrong, right), SimulatorResource.sim().jysd().loginPhones(link));
        assertEquals("应诉通知书.pdf", job.getString("documents[0].fileName"));
        assertEquals(JysdSimulator.COURT, job.getString("documents[0].court"));
    }

    @Test
    void aDaolvSmsCarriesAccountAndPasswordToItsJobWithoutShowingThem() {
        String account = "420106202611300042";
        String password = "Hb#2026ab";
        String link = SimulatorResource.sim().daolv().addAccount("dzsd.hbfy.gov.cn", account, password);
        String text = "【武汉市江岸区人民法院】（2026）鄂0102民初88号案件文书已送达，请登录" + link + "，账号：" + account
                + "，默认密码：" + password + "，请及时查收。";
        String answer = given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.hasAccount", equalTo(true))
                .body("parsed.hasPassword", equalTo(true))
                .body("jobs[0].portal", equalTo("daolv"))
                .extract().asString();
        assertFalse(answer.contains(account) || answer.contains(password), "account and password are not echoed");
        UUID jobId = UUID.fromString(JsonPath.from(answer).getString("jobs[0].id"));
        // the job's own sealed copy, as long as it is not finished yet; else it was erased as it should be
        JobEntity row = QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(jobId));
        if (row.credentials != null) {
            PortalCredentials c = JobCredentials.open(secrets, row.credentials, jobId);
            assertEquals(account, c.account());
            assertEquals(password, c.password());
        } else {
            assertTrue(row.status().isFinal());
        }
    }

    @Test
    void aFilingNoticeIsKeptWithoutJobsAndTheSameIdempotencyKeyGetsTheSameAnswer() {
        String text = "【广州市天河区人民法院】您好，您提交的起诉材料已立案，案号（2026）粤0106民初9999号，请留意后续通知。";
        String key = "sms-" + UUID.randomUUID();
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.filingNotice", equalTo(true))
                .body("parsed.links.size()", equalTo(0))
                .body("jobs.size()", equalTo(0))
                .extract().path("id");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201).body("id", equalTo(id));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("content", text + "。"))
                .when().post("/api/v1/sms")
                .then().statusCode(422).contentType("application/problem+json");
        given().when().get("/api/v1/sms/" + id).then().statusCode(200).body("parsed.filingNotice", equalTo(true));
    }

    @Test
    void theSameDeliveryInTwoSmsIsOneJob() {
        String link = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        String text = "【广州市天河区人民法院】李四：（2026）粤0106民初1234号案件的传票已送达，请点击" + link + "查看。";
        String first = given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201).body("parsed.links[0].outcome", equalTo("JOB_CREATED"))
                .extract().path("jobs[0].id");
        given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.links[0].outcome", equalTo("EXISTING_JOB"))
                .body("jobs[0].id", equalTo(first));
    }

    @Test
    void badSmsRequestsAreRefusedAndNothingIsStored() {
        long before = QuarkusTransaction.requiringNew().call(() -> SmsMessageEntity.count());
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of(), Map.of("content", "  "), Map.of("content", "x".repeat(10_001)),
                Map.of("content", "短信", "phones", List.of("abc")),
                Map.of("content", "短信", "receivedAt", "yesterday"),
                Map.of("content", "短信", "caseRef", "c".repeat(129)))) {
            given().contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/sms")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().header(TestTokens.NO_TOKEN).contentType(ContentType.JSON).body(Map.of("content", "短信"))
                .when().post("/api/v1/sms").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer(TestTokens.token("acme", "nobody@acme", "someone-else")))
                .contentType(ContentType.JSON).body(Map.of("content", "短信"))
                .when().post("/api/v1/sms").then().statusCode(403);
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> SmsMessageEntity.count()));
    }
}
