package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks of issue 15 on the real stack: the worker role's sender posts signed events to a
 * receiver on loopback (listed in %test's court.webhooks.allowed-destinations).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class WebhookTest {

    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aZxfwDownloadDeliversSignedDocumentStoredThenJobSucceeded() throws Exception {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String path = "/hook/" + tenant;
        JsonPath hook = subscribe(admin, Map.of("url", receiver.url(path),
                "events", List.of("document.stored", "job.succeeded"), "description", "案件系统 webhook"))
                .statusCode(201)
                .header("Location", startsWith("http"))
                .body("secret", startsWith("whsec_"))
                .body("events", equalTo(List.of("document.stored", "job.succeeded")))
                .body("description", equalTo("案件系统 webhook"))
                .extract().jsonPath();
        String hookId = hook.getString("id");
        String secret = hook.getString("secret");
        try {
            String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                    new SimDoc("民事判决书", "pdf", TestPdfs.pdf("webhook judgment"))));
            String jobId = Jobs.submitAs(admin, Map.of("url", link, "caseRef", "（2026）粤0106民初1234号"));
            Jobs.awaitStatusAs(admin, jobId, Duration.ofSeconds(90), "SUCCEEDED");

            List<WebhookReceiver.Delivery> got = receiver.await(path, Duration.ofSeconds(30), l -> l.size() >= 2);
            Thread.sleep(1_000); // anything extra would arrive by now
            got = receiver.at(path);
            assertEquals(2, got.size(), "only the subscribed types: " + got);
            JsonPath stored = JsonPath.from(got.get(0).body());
            JsonPath succeeded = JsonPath.from(got.get(1).body());
            assertEquals("document.stored", stored.getString("type"));
            assertEquals("job.succeeded", succeeded.getString("type"));
            assertTrue(stored.getLong("seq") < succeeded.getLong("seq"));
            assertEquals("民事判决书", stored.getString("data.title"));
            assertEquals("（2026）粤0106民初1234号", stored.getString("caseRef"));
            assertEquals(jobId, succeeded.getString("jobId"));
            assertEquals(tenant, succeeded.getString("tenant"));
            for (WebhookReceiver.Delivery d : got) {
                assertTrue(WebhookReceiver.signatureValid(secret, d), "signature checks out: " + d);
                assertEquals(JsonPath.from(d.body()).getString("id"), d.webhookId(), "webhook-id is the event id");
            }
            assertTrue(!WebhookReceiver.signatureValid(WebhookSignerSecrets.other(), got.get(0)),
                    "another secret does not verify");

            // the subscription never shows its secret again; the deliveries say how they went
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks/" + hookId)
                    .then().statusCode(200).body("secret", nullValue()).body("url", equalTo(receiver.url(path)));
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks")
                    .then().statusCode(200).body("items.id", hasItem(hookId)).body("items.secret", everyItem(nullValue()));
            deliveries(admin, hookId)
                    .body("items.type", equalTo(List.of("job.succeeded", "document.stored")))
                    .body("items.status", equalTo(List.of("DELIVERED", "DELIVERED")))
                    .body("items.attempts", equalTo(List.of(1, 1)))
                    .body("items.lastHttpStatus", equalTo(List.of(204, 204)));

            // redeliver: the same event again, under the same webhook-id
            String deliveryId = deliveries(admin, hookId).extract().jsonPath().getString("items[1].id");
            given().header("Authorization", TestTokens.bearer(admin))
                    .post("/api/v1/webhooks/" + hookId + "/deliveries/" + deliveryId + "/redeliver")
                    .then().statusCode(202).body("status", equalTo("PENDING"));
            List<WebhookReceiver.Delivery> again = receiver.await(path, Duration.ofSeconds(20), l -> l.size() == 3);
            assertEquals(got.get(0).webhookId(), again.get(2).webhookId());
            assertTrue(WebhookReceiver.signatureValid(secret, again.get(2)));
        } finally {
            delete(admin, hookId);
        }
    }

    @Test
    void aReceiverThatIsDownGetsEveryEventLaterInSeqOrderAndNoneTwiceAndOtherTenantsSeeNothing() throws Exception {
        String tenantA = tenant();
        String tenantB = tenant();
        String adminA = TestTokens.admin(tenantA);
        String adminB = TestTokens.admin(tenantB);
        String pathA = "/down/" + tenantA;
        String pathB = "/down/" + tenantB;
        List<String> all = List.of("job.queued", "job.running", "job.waiting_for_captcha", "job.retry_scheduled",
                "job.succeeded", "job.failed", "job.cancelled", "document.stored", "sms.received");
        String hookA = subscribe(adminA, Map.of("url", receiver.url(pathA), "events", all)).statusCode(201)
                .extract().path("id");
        String hookB = subscribe(adminB, Map.of("url", receiver.url(pathB), "events", all)).statusCode(201)
                .extract().path("id");
        receiver.answer.set(503);
        try {
            for (int i = 0; i < 2; i++) {
                String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                        new SimDoc("传票" + i, "pdf", TestPdfs.pdf("webhook down " + i))));
                String id = Jobs.submitAs(adminA, Map.of("url", link));
                Jobs.awaitStatusAs(adminA, id, Duration.ofSeconds(90), "SUCCEEDED");
            }
            // the first delivery has been tried and refused a few times, the rest wait behind it
            Thread.sleep(2_000);
            // (a claim hands the sender a run of deliveries; those behind the failing one stay untried)
            JsonPath failing = deliveries(adminA, hookA).extract().jsonPath();
            List<String> statuses = failing.getList("items.status");
            List<Integer> attempts = failing.getList("items.attempts");
            int oldest = statuses.size() - 1; // newest first
            assertTrue(statuses.stream().allMatch("PENDING"::equals), failing.prettify());
            assertTrue(attempts.get(oldest) >= 2, failing.prettify());
            assertTrue(attempts.subList(0, oldest).stream().allMatch(a -> a == 0), "only the first event is tried, in order: "
                    + attempts);
            assertEquals(503, failing.getInt("items[" + oldest + "].lastHttpStatus"));
            assertEquals("receiver answered HTTP 503", failing.getString("items[" + oldest + "].lastError"));
            assertTrue(failing.getString("items[" + oldest + "].nextAttemptAt") != null);

            receiver.answer.set(204);
            List<WebhookReceiver.Delivery> got = receiver.await(pathA, Duration.ofSeconds(30), l -> l.size() >= 8);
            Thread.sleep(1_000);
            got = receiver.at(pathA);
            assertEquals(8, got.size(), "queued, running, stored, succeeded for each of the two jobs: " + got);
            Set<String> ids = new HashSet<>();
            long last = 0;
            for (WebhookReceiver.Delivery d : got) {
                assertTrue(ids.add(d.webhookId()), "no webhook-id twice: " + d.webhookId());
                long seq = JsonPath.from(d.body()).getLong("seq");
                assertTrue(seq > last, "in seq order: " + seq + " after " + last);
                last = seq;
                assertEquals(tenantA, JsonPath.from(d.body()).getString("tenant"));
            }
            assertEquals(List.of(), receiver.at(pathB), "tenant B's subscription got none of tenant A's events");
            deliveries(adminB, hookB).body("items.size()", equalTo(0));
            deliveries(adminA, hookA).body("items.status", equalTo(List.of(
                    "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED")));
        } finally {
            receiver.answer.set(204);
            delete(adminA, hookA);
            delete(adminB, hookB);
        }
    }

    @Test
    void badSubscriptionsAre422NamingTheFieldAndNothingIsStored() {
        String admin = TestTokens.admin(tenant());
        Object[][] cases = {
                {Map.of("url", receiver.url("/x"), "events", List.of("job.exploded")), "events"},
                {Map.of("url", receiver.url("/x"), "events", List.of()), "events"},
                {Map.of("url", receiver.url("/x")), "events"},
                {Map.of("url", "ftp://127.0.0.1/x", "events", List.of("job.succeeded")), "url"},
                {Map.of("url", "not a url", "events", List.of("job.succeeded")), "url"},
                {Map.of("url", "http://169.254.169.254/latest/meta-data/", "events", List.of("job.succeeded")), "url"},
                {Map.of("url", "http://10.1.2.3/hook", "events", List.of("job.succeeded")), "url"},
                {Map.of("url", "http://[::1]:8080/hook", "events", List.of("job.succeeded")), "url"},
                {Map.of("events", List.of("job.succeeded")), "url"},
                {Map.of("url", receiver.url("/x"), "events", List.of("job.succeeded"), "description", "长".repeat(501)),
                        "description"},
        };
        for (Object[] c : cases) {
            subscribe(admin, c[0]).statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem(c[1]));
        }
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks")
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void onlyTheTenantsAdminSeesItsSubscriptions() {
        String tenant = tenant();
        String admin = TestTokens.admin(tenant);
        String hookId = subscribe(admin, Map.of("url", receiver.url("/own"), "events", List.of("job.failed")))
                .statusCode(201).extract().path("id");
        try {
            subscribe(TestTokens.user(tenant), Map.of("url", receiver.url("/own"), "events", List.of("job.failed")))
                    .statusCode(403);
            String stranger = TestTokens.admin(tenant());
            for (String path : List.of("/api/v1/webhooks/" + hookId, "/api/v1/webhooks/" + hookId + "/deliveries")) {
                given().header("Authorization", TestTokens.bearer(stranger)).get(path).then().statusCode(404)
                        .contentType("application/problem+json");
            }
            given().header("Authorization", TestTokens.bearer(stranger)).delete("/api/v1/webhooks/" + hookId)
                    .then().statusCode(404);
            given().header("Authorization", TestTokens.bearer(stranger))
                    .post("/api/v1/webhooks/" + hookId + "/deliveries/" + UUID.randomUUID() + "/redeliver")
                    .then().statusCode(404);
            given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks/not-a-uuid")
                    .then().statusCode(404);
        } finally {
            delete(admin, hookId);
        }
        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/webhooks/" + hookId)
                .then().statusCode(404);
    }

    private static String tenant() {
        return "wh-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse subscribe(String admin, Object body) {
        return given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/webhooks").then();
    }

    private static ValidatableResponse deliveries(String admin, String hookId) {
        return given().header("Authorization", TestTokens.bearer(admin))
                .get("/api/v1/webhooks/" + hookId + "/deliveries").then().statusCode(200);
    }

    private static void delete(String admin, String hookId) {
        given().header("Authorization", TestTokens.bearer(admin)).delete("/api/v1/webhooks/" + hookId)
                .then().statusCode(204);
    }

    /** Secrets for negative checks. */
    static final class WebhookSignerSecrets {
        static String other() {
            return "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        }
    }
}
