package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.ChatSimulator;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * Chat-group notifications of issue 15 on the real stack: the worker's sender posts to the four
 * vendors' robot APIs, simulated under their real host names behind the outbound proxy, and the
 * simulators check each vendor's signature as the vendor does.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class ChatChannelTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String BASE = "https://court-docs.example-lawfirm.cn"; // %test court.notifications.public-base-url

    ChatSimulator chat = SimulatorResource.sim().chat();

    @Test
    void aDaolvJobWaitingForItsCaptchaTellsTheFeishuGroupWithALinkToIt() {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String caseRef = "（2026）鄂0106民初77号-" + tenant;
        String secret = "feishu-" + UUID.randomUUID();
        String robot = chat.feishuRobot(secret);
        String channelId = create(admin, Map.of("kind", "feishu", "webhookUrl", robot, "secret", secret,
                "events", List.of("job.waiting_for_captcha"), "caseRef", caseRef, "description", "诉讼部群"))
                .statusCode(201)
                .body("kind", equalTo("feishu"))
                .body("target", equalTo("http://open.feishu.cn/open-apis/bot/v2/hook/…"))
                .body("caseRef", equalTo(caseRef))
                .body("secret", nullValue())
                .extract().path("id");
        String jobId = null;
        try {
            DaolvSimulator daolv = SimulatorResource.sim().daolv();
            String account = DaolvAccountDownloadTest.account("420106");
            String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "Hb#2026");
            daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, DaolvSimulator.Listing.TODO, "传票",
                    new SimDoc("传票", "pdf", TestPdfs.pdf("chat daolv summons")));
            jobId = Jobs.submitAs(admin, Map.of("url", link, "caseRef", caseRef,
                    "credentials", Map.of("account", account, "password", "Hb#2026")));
            Jobs.awaitStatusAs(admin, jobId, WAIT, "WAITING_FOR_CAPTCHA");

            List<ChatSimulator.Message> got = await(() -> chat.messages(robot), 1);
            String text = got.get(0).text();
            assertTrue(text.contains("需要人工输入验证码"), text);
            assertTrue(text.contains("案件：" + caseRef), text);
            assertTrue(text.contains("门户：daolv"), text);
            assertTrue(text.contains("输入验证码：" + BASE + "/api/v1/jobs/" + jobId + "/captcha"), text);
            deliveries(admin, channelId)
                    .body("items.type", equalTo(List.of("job.waiting_for_captcha")))
                    .body("items.status", equalTo(List.of("DELIVERED")))
                    .body("items.lastHttpStatus", equalTo(List.of(200)));
        } finally {
            if (jobId != null) {
                given().header("Authorization", TestTokens.bearer(admin)).post("/api/v1/jobs/" + jobId + "/cancel");
            }
            delete(admin, channelId);
        }
    }

    @Test
    void aZxfwDownloadReachesDingtalkWecomAndTelegramGroupsInChineseAndAnotherCasesGroupHearsNothing() {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String caseRef = "张三诉李四买卖合同纠纷-" + tenant;
        List<String> events = List.of("document.stored", "job.succeeded");
        String dingSecret = "SEC" + UUID.randomUUID().toString().replace("-", "");
        String ding = chat.dingtalkRobot(dingSecret);
        String wecom = chat.wecomRobot();
        String chatId = "-100" + (1_000_000 + (int) (Math.random() * 8_000_000));
        String bot = chat.telegramBot(chatId);
        String otherSecret = "other-" + UUID.randomUUID();
        String otherCase = chat.feishuRobot(otherSecret);
        List<String> channels = List.of(
                created(admin, Map.of("kind", "dingtalk", "webhookUrl", ding, "secret", dingSecret, "events", events)),
                created(admin, Map.of("kind", "wecom", "webhookUrl", wecom, "events", events)),
                created(admin, Map.of("kind", "telegram", "botToken", bot, "chatId", chatId, "events", events)),
                created(admin, Map.of("kind", "feishu", "webhookUrl", otherCase, "secret", otherSecret,
                        "events", events, "caseRef", "另一案件")));
        try {
            String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                    new SimDoc("民事判决书", "pdf", TestPdfs.pdf("chat judgment")),
                    new SimDoc("举证通知书", "pdf", TestPdfs.pdf("chat notice"))));
            String jobId = Jobs.submitAs(admin, Map.of("url", link, "caseRef", caseRef));
            JsonPath job = Jobs.awaitStatusAs(admin, jobId, WAIT, "SUCCEEDED");
            List<String> docIds = job.getList("documents.id");
            assertEquals(2, docIds.size());

            for (String robot : List.of(ding, wecom, bot)) {
                List<ChatSimulator.Message> got = await(() -> chat.messages(robot), 3);
                assertEquals(3, got.size(), robot + ": two documents and the job: " + got);
                String first = got.get(0).text() + got.get(1).text();
                assertTrue(first.contains("收到新文书"), first);
                assertTrue(first.contains("法院：广州市天河区人民法院"), first);
                assertTrue(first.contains("文书：民事判决书") && first.contains("文书：举证通知书"), first);
                assertTrue(first.contains("案件：" + caseRef), first);
                String done = got.get(2).text();
                assertTrue(done.startsWith("【法院文书】文书下载完成，共 2 份"), done);
                for (String doc : docIds) {
                    assertTrue(done.contains(BASE + "/api/v1/documents/" + doc + "/content"), done);
                }
                assertTrue(done.contains(BASE + "/api/v1/jobs/" + jobId), done);
            }
            assertTrue(chat.messages(otherCase).isEmpty(), "a channel for another case hears nothing");
            deliveries(admin, channels.get(3)).body("items", equalTo(List.of()));
        } finally {
            channels.forEach(id -> delete(admin, id));
        }
    }

    @Test
    void aWrongSecretIsRefusedByTheVendorAndRetriedWhileARateLimitedRobotGetsItsMessageOnce() {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String robot = chat.feishuRobot("the-robots-secret");
        String wrong = created(admin, Map.of("kind", "feishu", "webhookUrl", robot, "secret", "not-the-secret",
                "events", List.of("job.queued")));
        String dingSecret = "SEC" + UUID.randomUUID().toString().replace("-", "");
        String ding = chat.dingtalkRobot(dingSecret);
        chat.rateLimitNext(ding, 2);
        String limited = created(admin, Map.of("kind", "dingtalk", "webhookUrl", ding, "secret", dingSecret,
                "events", List.of("job.queued")));
        try {
            String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                    new SimDoc("传票", "pdf", TestPdfs.pdf("chat retry summons"))));
            Jobs.submitAs(admin, Map.of("url", link));

            await(() -> chat.messages(ding), 1);
            JsonPath d = deliveries(admin, limited).extract().jsonPath();
            assertEquals("DELIVERED", d.getString("items[0].status"));
            assertEquals(3, d.getInt("items[0].attempts"), "two rate-limited answers (HTTP 200, errcode 130101), then ok");
            sleep(1_500);
            assertEquals(1, chat.messages(ding).size(), "delivered once");

            Instant until = Instant.now().plusSeconds(20);
            JsonPath w;
            do {
                sleep(300);
                w = deliveries(admin, wrong).extract().jsonPath();
            } while (w.getInt("items[0].attempts") < 2 && Instant.now().isBefore(until));
            assertEquals("PENDING", w.getString("items[0].status"));
            assertTrue(w.getInt("items[0].attempts") >= 2, w.prettify());
            assertTrue(w.getString("items[0].lastError").contains("code 19021"), w.getString("items[0].lastError"));
            assertTrue(chat.messages(robot).isEmpty(), "the simulated Feishu refused every wrongly signed call");
            assertTrue(chat.refusals().stream().anyMatch(r -> r.contains("19021")));
        } finally {
            delete(admin, wrong);
            delete(admin, limited);
        }
    }

    @Test
    void badInputIs422NamingTheFieldStoresNothingAndTokensAreNeverShown() {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String feishu = chat.feishuRobot("s3cret");
        List<String> events = List.of("document.stored");
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("kind", Map.of("kind", "slack", "webhookUrl", feishu, "events", events));
        bad.put("secret", Map.of("kind", "feishu", "webhookUrl", feishu, "events", events));
        bad.put("webhookUrl", Map.of("kind", "dingtalk", "webhookUrl", "http://169.254.169.254/robot/send?access_token=abcdefabcdefabcdef",
                "secret", "SECx", "events", events));
        bad.put("events", Map.of("kind", "wecom", "webhookUrl", chat.wecomRobot(), "events", List.of("job.exploded")));
        bad.put("chatId", Map.of("kind", "telegram", "botToken", chat.telegramBot("-1001"), "events", events));
        bad.put("botToken", Map.of("kind", "telegram", "botToken", "nope", "chatId", "-1001", "events", events));
        Map<String, Object> wecomWithSecret = new HashMap<>(Map.of("kind", "wecom", "webhookUrl", chat.wecomRobot(),
                "events", events, "secret", "x"));
        for (var e : bad.entrySet()) {
            create(admin, e.getValue()).statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem(e.getKey()));
        }
        create(admin, wecomWithSecret).statusCode(422).body("errors.field", hasItem("secret"));
        create(admin, Map.of("kind", "feishu", "webhookUrl", "http://open.feishu.cn.evil.example/open-apis/bot/v2/hook/abcdefgh",
                "secret", "s", "events", events)).statusCode(422).body("errors.field", hasItem("webhookUrl"));
        create(admin, Map.of("kind", "feishu", "webhookUrl", feishu, "secret", "s", "events", events,
                "caseRef", "x".repeat(129))).statusCode(422).body("errors.field", hasItem("caseRef"));
        list(admin).body("items", equalTo(List.of()));

        // a court-user may not; another tenant does not see it; the webhooks list does not mix it in
        given().header("Authorization", TestTokens.bearer(TestTokens.user(tenant))).contentType(ContentType.JSON)
                .body(Map.of("kind", "feishu", "webhookUrl", feishu, "secret", "s3cret", "events", events))
                .post("/api/v1/notification-channels").then().statusCode(403);
        String id = created(admin, Map.of("kind", "feishu", "webhookUrl", feishu, "secret", "s3cret", "events", events));
        try {
            String token = feishu.substring(feishu.lastIndexOf('/') + 1);
            String shown = list(admin).body("items.id", hasItem(id)).extract().asString();
            assertFalse(shown.contains(token) || shown.contains("s3cret"), shown);
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/notification-channels/" + id)
                    .then().statusCode(200).body(not(containsString(token)));
            given().header("Authorization", TestTokens.bearer(TestTokens.admin(tenant()))).get("/api/v1/notification-channels/" + id)
                    .then().statusCode(404).contentType("application/problem+json");
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks/" + id).then().statusCode(404);
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks")
                    .then().statusCode(200).body("items", equalTo(List.of()));
        } finally {
            delete(admin, id);
        }
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/notification-channels/" + id)
                .then().statusCode(404);
    }

    private static String tenant() {
        return "chat-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse create(String admin, Object body) {
        return given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/notification-channels").then();
    }

    private static String created(String admin, Object body) {
        return create(admin, body).statusCode(201).extract().path("id");
    }

    private static ValidatableResponse list(String admin) {
        return given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/notification-channels")
                .then().statusCode(200);
    }

    private static ValidatableResponse deliveries(String admin, String id) {
        return given().header("Authorization", TestTokens.bearer(admin))
                .get("/api/v1/notification-channels/" + id + "/deliveries").then().statusCode(200);
    }

    private static void delete(String admin, String id) {
        given().header("Authorization", TestTokens.bearer(admin)).delete("/api/v1/notification-channels/" + id)
                .then().statusCode(204);
    }

    private static List<ChatSimulator.Message> await(Supplier<List<ChatSimulator.Message>> messages, int atLeast) {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (messages.get().size() < atLeast && Instant.now().isBefore(until)) {
            sleep(200);
        }
        List<ChatSimulator.Message> got = messages.get();
        assertTrue(got.size() >= atLeast, "expected " + atLeast + " messages, got " + got);
        return got;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
