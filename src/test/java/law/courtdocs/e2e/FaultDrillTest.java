package law.courtdocs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.sim.GdemsSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sim.ZxfwSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault drills on the real stack (PostgreSQL, RabbitMQ, Chromium, the portal simulators): each
 * drill submits a fixed set of jobs, injects one kind of fault while they run, waits until every
 * job is final and then checks, over all of the drill's jobs, that none was lost, none has a
 * document twice and none is stuck (see {@link DrillLedger}). Each prints one {@code DRILL ...}
 * line with its figures.
 *
 * <p>Faults hit only this test's own resources, because other builds run on the same machine:
 * database sessions are picked by this JVM's {@code ApplicationName}, RabbitMQ connections by
 * this JVM's connection name ({@code court.queue.client-name}), Chromium processes by being
 * descendants of this JVM.
 */
@QuarkusTest
@TestProfile(FaultDrillTest.Drills.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillTest {

    /** This JVM's name on its database sessions and RabbitMQ connections. */
    static final String NAME = "court-drill" + SimulatorResource.suffix() + "-" + ProcessHandle.current().pid();

    static final int MAX_ATTEMPTS = 4;

    /**
     * Short delays so a drill takes seconds: retries after about a second, a lease that runs out
     * six seconds after its worker stops beating, a reaper every second, and a navigation timeout
     * short enough for the hanging-portal drill to use up all attempts quickly.
     */
    public static class Drills implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=courtdocs_test"
                    + SimulatorResource.suffix() + "&ApplicationName=" + NAME;
            Map<String, String> c = new HashMap<>();
            c.put("quarkus.datasource.jdbc.url", url);
            c.put("%test.quarkus.datasource.jdbc.url", url);
            c.put("court.queue.client-name", NAME);
            c.put("court.retry.max-attempts", String.valueOf(MAX_ATTEMPTS));
            c.put("court.retry.initial-delay", "1s");
            c.put("court.retry.multiplier", "1.0");
            c.put("court.retry.max-delay", "2s");
            c.put("court.worker.lease", "6s");
            c.put("court.worker.heartbeat", "1s");
            c.put("court.worker.reaper-interval", "1s");
            c.put("court.browser.navigation-timeout", "6s");
            c.put("%test.court.browser.navigation-timeout", "6s");
            return c;
        }
    }

    ZxfwSimulator zxfw = SimulatorResource.sim().zxfw();
    GdemsSimulator gdems = SimulatorResource.sim().gdems();

    @AfterEach
    void resetSimulator() {
        zxfw.delayStorage(Duration.ZERO);
    }

    // ---- drills ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void poisonMessagesAreDeadLetteredWithAReasonAndRealJobsStillRun() throws Exception {
        DrillLedger drill = new DrillLedger("poison");
        String nonce = UUID.randomUUID().toString();
        Map<String, String> poison = Map.of(
                "garbage", "{not json at all " + nonce,
                "unknown-job", "{\"v\":1,\"jobId\":\"" + UUID.randomUUID() + "\",\"priority\":3,\"nonce\":\"" + nonce + "\"}",
                "no-job-id", "{\"v\":1,\"nonce\":\"" + nonce + "\"}");
        publishToJobsQueue(poison.values());
        drill.faults(poison.size());
        for (int i = 0; i < 5; i++) {
            drill.expect(Jobs.submit(zxfw.addDelivery(docs("poison " + i, 2))), DrillLedger.Expect.succeeded(2));
        }

        DrillLedger.Result result = drill.settle(Duration.ofSeconds(90));
        Map<String, String> reasons = awaitDeadLettered(nonce, poison.size(), Duration.ofSeconds(30));

        report(result);
        assertEquals(poison.size(), reasons.size(), "every poison message is in the dead-letter queue: " + reasons);
        assertTrue(reasons.values().stream().allMatch(r -> r != null && !r.isBlank()), "each with its reason: " + reasons);
        assertTrue(reasons.values().stream().anyMatch(r -> r.startsWith("unknown job")), reasons.toString());
        assertTrue(reasons.values().stream().anyMatch(r -> r.startsWith("unreadable job message")), reasons.toString());
        assertEquals(0, jobsQueueDepth(), "nothing goes round the jobs queue again");
        assertClean(result);
    }

    @Test
    @Order(2)
    void rabbitMqConnectionsClosedDuringABurstOfFiftySubmits() throws Exception {
        DrillLedger drill = new DrillLedger("rabbitmq-connections-closed");
        zxfw.delayStorage(Duration.ofMillis(100));
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> submits = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                List<SimDoc> docs = docs("burst " + i, 3);
                submits.add(submitters.submit(() -> drill.expect(Jobs.submit(zxfw.addDelivery(docs)),
                        DrillLedger.Expect.succeeded(3))));
                if (i == 15) {
                    // mid-burst: some jobs published, some running, most still to come
                    awaitTrue(Duration.ofSeconds(30), () -> count(drill, "SUCCEEDED") + count(drill, "RUNNING") > 0);
                    drill.faults(closeOurRabbitConnections());
                }
            }
            for (Future<?> f : submits) {
                f.get();
            }
        } finally {
            submitters.shutdown();
        }
        // and once more with the queue full of work
        awaitTrue(Duration.ofSeconds(60), () -> count(drill, "SUCCEEDED") >= 20);
        drill.faults(closeOurRabbitConnections());

        DrillLedger.Result result = drill.settle(Duration.ofSeconds(150));
        report(result);
        assertTrue(result.faults() >= 2, "the drill closed this service's connections: " + result.faults());
        assertClean(result);
    }

    @Test
    @Order(3)
    void postgresConnectionsTerminatedWhileJobsRun() throws Exception {
        DrillLedger drill = new DrillLedger("postgres-connections-terminated");
        // documents come slowly, so jobs are between their short transactions when the cut comes
        zxfw.delayStorage(Duration.ofMillis(300));
        for (int i = 0; i < 20; i++) {
            drill.expect(Jobs.submit(zxfw.addDelivery(docs("pg " + i, 3))), DrillLedger.Expect.succeeded(3));
        }
        for (int cut = 0; cut < 3; cut++) {
            awaitTrue(Duration.ofSeconds(60), () -> count(drill, "RUNNING") > 0);
            drill.faults(terminateOurDatabaseSessions());
            Thread.sleep(1500);
        }

        DrillLedger.Result result = drill.settle(Duration.ofSeconds(120));
        report(result);
        System.out.println("DRILL postgres-connections-terminated attempt errors: " + drill.attemptErrorCodes());
        assertTrue(result.faults() > 0, "the drill terminated this service's sessions");
        assertClean(result);
        // the pool recovered: the API reads and a fresh job runs end to end
        String after = Jobs.submit(zxfw.addDelivery(docs("pg after", 1)));
        Jobs.awaitStatus(after, Duration.ofSeconds(60), "SUCCEEDED");
    }

    @Test
    @Order(4)
    void chromiumKilledMidJobIsRetriedAndTheSlotRecovers() throws Exception {
        DrillLedger drill = new DrillLedger("chromium-killed");
        for (int i = 0; i < 4; i++) {
            // every page of these deliveries answers after 2 s: the browser is mid-job for a while
            drill.expect(Jobs.submit(gdems.slowLink(Duration.ofSeconds(2))), DrillLedger.Expect.succeeded(3));
        }
        for (int kill = 0; kill < 2; kill++) {
            awaitTrue(Duration.ofSeconds(60), () -> count(drill, "RUNNING") > 0 && !ourChromium().isEmpty());
            Thread.sleep(1000); // into the page load
            drill.faults(killOurChromium());
        }

        DrillLedger.Result result = drill.settle(Duration.ofSeconds(120));
        List<String> codes = drill.attemptErrorCodes();
        report(result);
        System.out.println("DRILL chromium-killed attempt errors: " + codes);
        assertTrue(result.faults() >= 2, "Chromium processes of this JVM were killed");
        assertTrue(codes.contains("BROWSER_CRASHED"), "a kill hit a running attempt and was classified: " + codes);
        assertTrue(Set.of("BROWSER_CRASHED", "NETWORK_ERROR", "TIMEOUT").containsAll(codes),
                "a dead browser is a transient browser fault, never INTERNAL: " + codes);
        assertClean(result);
    }

    @Test
    @Order(5)
    void aHangingPortalTimesOutIsRetriedAndFailsWithTimeoutWhileOthersSucceed() throws Exception {
        DrillLedger drill = new DrillLedger("portal-hangs");
        List<String> hanging = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // answers only after 15 s, far past the 6 s navigation timeout
            hanging.add(Jobs.submit(gdems.slowLink(Duration.ofSeconds(15))));
            drill.expect(hanging.get(i), DrillLedger.Expect.failed("TIMEOUT"));
            drill.faults(1);
        }
        for (int i = 0; i < 2; i++) {
            drill.expect(Jobs.submit(gdems.addDelivery(SimDocs.sampleZip(), "送达材料.zip")),
                    DrillLedger.Expect.succeeded(3));
        }

        DrillLedger.Result result = drill.settle(Duration.ofSeconds(150));
        report(result);
        assertClean(result);
        for (String id : hanging) {
            // retried as a transient fault until the series was used up, not failed at once
            var job = Jobs.awaitStatus(id, Duration.ofSeconds(5), "FAILED");
            assertEquals(MAX_ATTEMPTS, job.getInt("attempts"), job.prettify());
            // evidence is kept even though the page was still waiting for the portal
            List<Boolean> screenshots = io.restassured.RestAssured.given()
                    .header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                    .when().get("/api/v1/jobs/" + id + "/attempts").then().statusCode(200)
                    .extract().jsonPath().getList("hasScreenshot", Boolean.class);
            assertEquals(MAX_ATTEMPTS, screenshots.stream().filter(Boolean::booleanValue).count(), screenshots.toString());
        }
    }

    // ---- fault injection, limited to this JVM's own resources ----------------------------------

    /** Closes this JVM's RabbitMQ connections (consumer and outbox publisher) on the broker. */
    static int closeOurRabbitConnections() throws Exception {
        String marker = "\"connection_name\",\"" + NAME + " ";
        int closed = 0;
        for (String line : run("rabbitmqctl", "-s", "list_connections", "pid", "client_properties")) {
            if (line.contains(marker)) {
                String pid = line.substring(0, line.indexOf('\t'));
                run("rabbitmqctl", "close_connection", pid, "fault drill");
                closed++;
            }
        }
        System.out.println("DRILL fault: closed " + closed + " RabbitMQ connection(s) named " + NAME);
        return closed;
    }

    /** Terminates this JVM's database sessions: only those carrying our ApplicationName. */
    static int terminateOurDatabaseSessions() throws Exception {
        int terminated = 0;
        try (Connection db = DrillLedger.observer();
                PreparedStatement q = db.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where application_name = ? and pid <> pg_backend_pid()")) {
            q.setString(1, NAME);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        terminated++;
                    }
                }
            }
        }
        System.out.println("DRILL fault: terminated " + terminated + " PostgreSQL session(s) named " + NAME);
        return terminated;
    }

    /** Chromium browsers started by this JVM: Chromium processes whose parent is not Chromium. */
    static List<ProcessHandle> ourChromium() {
        return ProcessHandle.current().descendants()
                .filter(BrowserLauncher::isChromium)
                .filter(p -> p.parent().map(parent -> !BrowserLauncher.isChromium(parent)).orElse(true))
                .toList();
    }

    /** SIGKILLs every Chromium process under this JVM; counts the browsers among them. */
    static int killOurChromium() {
        List<ProcessHandle> browsers = ourChromium();
        List<ProcessHandle> all = ProcessHandle.current().descendants().filter(BrowserLauncher::isChromium).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        System.out.println("DRILL fault: SIGKILLed " + browsers.size() + " Chromium browser(s) of this JVM ("
                + all.size() + " processes)");
        return browsers.size();
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void report(DrillLedger.Result result) {
        System.out.println(result.line());
        result.problems().forEach(p -> System.out.println("DRILL " + result.drill() + " problem: " + p));
    }

    static void assertClean(DrillLedger.Result result) {
        String why = result.line() + " " + result.problems();
        assertEquals(0, result.lost(), why);
        assertEquals(0, result.duplicated(), why);
        assertEquals(0, result.stuck(), why);
    }

    /** {@code n} small PDFs with unique bytes, titled after the drill and the job. */
    static List<SimDoc> docs(String job, int n) {
        List<SimDoc> docs = new ArrayList<>();
        String[] titles = {"民事判决书", "传票", "举证通知书", "应诉通知书"};
        for (int i = 0; i < n; i++) {
            docs.add(new SimDoc(titles[i % titles.length], "pdf", TestPdfs.pdf(job + " " + i + " " + UUID.randomUUID())));
        }
        return docs;
    }

    static long count(DrillLedger drill, String status) {
        try {
            return drill.count(status);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    static String exchange() {
        return "court.test" + SimulatorResource.suffix() + ".jobs";
    }

    static ConnectionFactory broker() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        return f;
    }

    /** Publishes raw bodies to the jobs queue, as a buggy or hostile producer would. */
    static void publishToJobsQueue(Iterable<String> bodies) throws Exception {
        try (var c = broker().newConnection("court-drill-poison-producer"); var ch = c.createChannel()) {
            ch.confirmSelect();
            for (String body : bodies) {
                ch.basicPublish(exchange(), "jobs", true,
                        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                        body.getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(5000);
        }
    }

    /** Takes this drill's messages (those containing {@code nonce}) off the dead-letter queue: body → reason. */
    static Map<String, String> awaitDeadLettered(String nonce, int expected, Duration timeout) throws Exception {
        Map<String, String> found = new HashMap<>();
        long end = System.nanoTime() + timeout.toNanos();
        try (var c = broker().newConnection("court-drill-dlq-reader"); var ch = c.createChannel()) {
            while (found.size() < expected && System.nanoTime() < end) {
                GetResponse r = ch.basicGet(exchange() + ".dead", true);
                if (r == null) {
                    Thread.sleep(200);
                    continue;
                }
                String body = new String(r.getBody(), StandardCharsets.UTF_8);
                if (body.contains(nonce)) {
                    Object reason = r.getProps().getHeaders() == null ? null
                            : r.getProps().getHeaders().get("x-court-reason");
                    found.put(body, reason == null ? null : reason.toString());
                }
            }
        }
        return found;
    }

    static long jobsQueueDepth() throws Exception {
        try (var c = broker().newConnection("court-drill-queue-depth"); var ch = c.createChannel()) {
            return ch.messageCount(exchange());
        }
    }

    static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + lines);
        }
        return lines;
    }
}
