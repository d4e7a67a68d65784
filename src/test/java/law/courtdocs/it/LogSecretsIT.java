package law.courtdocs.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.auth.DefaultToken;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: no secret and no delivery-link token reaches a log line, over a whole run of the
 * packaged jar as two processes (an api and a worker): jobs with phones (jysd) and a code (sfdw,
 * taken in from an SMS), a zxfw link, a webhook's signing secret, a Feishu robot's token and
 * secret, the bearer token. Both processes' complete logs are searched afterwards.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = ApiRoleResource.class, restrictToAnnotatedClass = true)
class LogSecretsIT {

    static final Path API_LOG = Path.of("target/quarkus.log");
    static final SecureRandom RANDOM = new SecureRandom();

    static WorkerProcess worker;

    @BeforeAll
    static void startWorker() throws Exception {
        DefaultToken.install();
        worker = WorkerProcess.start();
    }

    @AfterAll
    static void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void noSecretOrLinkTokenReachesEitherProcesssLog() throws Exception {
        String tenant = "logs-it-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.admin(tenant);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("bearer token", admin);

        String chatSecret = "feishu-" + UUID.randomUUID();
        String robot = SimulatorResource.sim().chat().feishuRobot(chatSecret);
        secrets.put("feishu secret", chatSecret);
        secrets.put("feishu robot token", robot.substring(robot.lastIndexOf('/') + 1));
        given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON)
                .body(Map.of("kind", "feishu", "webhookUrl", robot, "secret", chatSecret,
                        "events", List.of("job.succeeded")))
                .post("/api/v1/notification-channels").then().statusCode(201);
        String webhookSecret = given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/never-listening", "events", List.of("job.queued")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("secret");
        secrets.put("webhook secret", webhookSecret);

        String phone = "139" + digits(8);
        String jysd = SimulatorResource.sim().jysd().addDelivery(
                List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("logs it jysd"))), phone);
        secrets.put("phone", phone);
        secrets.put("jysd link key", jysd.substring(jysd.indexOf("key=") + 4));

        String code = digits(6);
        String sfdw = SimulatorResource.sim().sfdw().addDelivery(
                List.of(new SimDoc("举证通知书", "pdf", TestPdfs.pdf("logs it sfdw"))), code);
        secrets.put("sfdw code", code);
        secrets.put("sfdw link token", sfdw.substring(sfdw.lastIndexOf('/') + 1));
        String sms = "【成都市武侯区人民法院】张三律师您好：（2026）川0107民初5678号案件的传票已向您送达，请点击" + sfdw
                + "，验证码：" + code + "，查看并下载。";

        String zxfw = SimulatorResource.sim().zxfw().addDelivery(
                List.of(new SimDoc("民事判决书", "pdf", TestPdfs.pdf("logs it zxfw"))));
        secrets.put("zxfw sdsin", zxfw.substring(zxfw.indexOf("sdsin=") + 6));

        List<String> jobs = new ArrayList<>();
        jobs.add(Jobs.submitAs(admin, Map.of("url", jysd, "credentials", Map.of("phones", List.of(phone)))));
        jobs.add(Jobs.submitAs(admin, Map.of("url", zxfw)));
        jobs.add(given().header("Authorization", TestTokens.bearer(admin)).contentType(ContentType.JSON)
                .body(Map.of("content", sms)).post("/api/v1/sms").then().statusCode(201)
                .extract().path("jobs[0].id"));
        for (String id : jobs) {
            Jobs.awaitStatusAs(admin, id, Duration.ofSeconds(120), "SUCCEEDED");
        }
        Instant until = Instant.now().plusSeconds(30);
        while (SimulatorResource.sim().chat().messages(robot).size() < 3 && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        assertEquals(3, SimulatorResource.sim().chat().messages(robot).size(), "the robot was called with its secret");
        Thread.sleep(1_000); // the webhook's refused retries log meanwhile, with its secret in hand

        String apiLog = Files.readString(API_LOG);
        String workerLog = worker.logText();
        assertTrue(workerLog.contains("SUCCEEDED") && apiLog.contains("sms"), "the logs were captured: api "
                + apiLog.length() + " chars, worker " + workerLog.length());
        List<String> leaked = new ArrayList<>();
        secrets.forEach((what, value) -> {
            if (apiLog.contains(value)) {
                leaked.add(what + " in the api log");
            }
            if (workerLog.contains(value)) {
                leaked.add(what + " in the worker log");
            }
        });
        // names only: printing the values would put them in the build log
        assertEquals(List.of(), leaked);
    }

    private static String digits(int n) {
        StringBuilder s = new StringBuilder();
        s.append(1 + RANDOM.nextInt(9));
        while (s.length() < n) {
            s.append(RANDOM.nextInt(10));
        }
        return s.toString();
    }
}
