package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's service metrics, scraped from {@code /q/metrics} on the management port around an
 * e2e run: a zxfw job with two documents and a daolv job parked for its captcha. Counters are
 * compared before and after (other test classes share the process); the gauges are refreshed by
 * the api role every second in %test.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class MetricsTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "court.worker.slots")
    int slots;

    @Test
    void anE2eRunShowsUpInEveryServiceMetric() throws Exception {
        String tenant = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.admin(tenant);
        Map<String, Double> before = scrape();

        byte[] judgment = TestPdfs.pdf("metrics judgment");
        byte[] notice = TestPdfs.pdf("metrics notice, a little longer");
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("民事判决书", "pdf", judgment), new SimDoc("举证通知书", "pdf", notice)));
        String zxfw = Jobs.submitAs(admin, Map.of("url", link));
        Jobs.awaitStatusAs(admin, zxfw, Duration.ofSeconds(90), "SUCCEEDED");

        DaolvSimulator daolv = SimulatorResource.sim().daolv();
        String account = DaolvAccountDownloadTest.account("420106");
        String daolvLink = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "Mx#2026");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, DaolvSimulator.Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("metrics daolv")));
        String parked = Jobs.submitAs(admin, Map.of("url", daolvLink,
                "credentials", Map.of("account", account, "password", "Mx#2026")));
        JsonPath waiting = Jobs.awaitStatusAs(admin, parked, Duration.ofSeconds(90), "WAITING_FOR_CAPTCHA");
        try {
            Map<String, Double> after = awaitGauge("court_jobs{status=\"WAITING_FOR_CAPTCHA\"}",
                    v -> v >= 1, Duration.ofSeconds(15));

            assertEquals(1, delta(before, after, "court_attempt_seconds_count{outcome=\"SUCCEEDED\",portal=\"zxfw\"}"));
            assertEquals(1, delta(before, after, "court_attempt_seconds_count{outcome=\"CAPTCHA\",portal=\"daolv\"}"));
            assertTrue(after.containsKey("court_attempt_seconds_bucket{outcome=\"SUCCEEDED\",portal=\"zxfw\",le=\"0.25\"}"),
                    "a histogram with buckets: " + keys(after, "court_attempt_seconds_bucket").toString());
            assertTrue(delta(before, after, "court_attempt_seconds_sum{outcome=\"SUCCEEDED\",portal=\"zxfw\"}") > 0);
            assertEquals(2, delta(before, after, "court_documents_stored_total{portal=\"zxfw\"}"));
            assertEquals(judgment.length + notice.length,
                    delta(before, after, "court_documents_stored_bytes_total{portal=\"zxfw\"}"));
            assertEquals(1, delta(before, after, "court_captcha_waits_total{portal=\"daolv\"}"));
            assertTrue(after.get("court_jobs{status=\"SUCCEEDED\"}") >= 1);
            assertTrue(after.containsKey("court_jobs{status=\"FAILED\"}"), "every status is a series: " + keys(after, "court_jobs"));
            assertTrue(after.get("court_queue_messages{queue=\"" + queue() + "\"}") >= 0, keys(after, "court_queue").toString());
            assertTrue(after.get("court_queue_oldest_age_seconds") >= 0);
            assertTrue(after.get("court_outbox_backlog") >= 0);
            assertTrue(after.get("court_webhook_pending") >= 0);
            assertTrue(after.get("court_webhook_lag_events") >= 0);
            assertEquals(slots, after.get("court_worker_slots"));
            assertTrue(after.get("court_worker_slots_busy") >= 0 && after.get("court_worker_slots_busy") <= slots);
            assertTrue(after.get("court_browser_recycles_total") >= 0);
            assertTrue(after.get("court_browser_crashes_total") >= 0);
            assertTrue(waiting.getString("captchaRequestedAt") != null);
        } finally {
            given().header("Authorization", TestTokens.bearer(admin)).post("/api/v1/jobs/" + parked + "/cancel");
        }
    }

    private static String queue() {
        return "court.test" + SimulatorResource.suffix() + ".jobs";
    }

    private Map<String, Double> awaitGauge(String key, java.util.function.DoublePredicate ok, Duration within)
            throws InterruptedException {
        Instant until = Instant.now().plus(within);
        Map<String, Double> now = scrape();
        while (!(now.containsKey(key) && ok.test(now.get(key))) && Instant.now().isBefore(until)) {
            Thread.sleep(300);
            now = scrape();
        }
        assertTrue(now.containsKey(key) && ok.test(now.get(key)), key + " = " + now.get(key));
        return now;
    }

    /** A sample line, maybe with an exemplar ({@code # {trace_id=…} value}: with tracing, Micrometer links buckets to traces). */
    private static final Pattern LINE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)(?: # \\{.*)?$");

    /** Prometheus text format: series (with labels, sorted as exposed) → value; comments skipped. */
    private Map<String, Double> scrape() {
        String text = given().header(TestTokens.NO_TOKEN).get(metrics).then().statusCode(200).extract().asString();
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                values.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        assertTrue(after.containsKey(key), key + " is exposed: " + keys(after, key.replaceAll("\\{.*", "")));
        return after.get(key) - before.getOrDefault(key, 0.0);
    }

    private static List<String> keys(Map<String, Double> values, String prefix) {
        return values.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }
}
