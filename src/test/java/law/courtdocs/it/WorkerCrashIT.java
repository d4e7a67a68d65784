package law.courtdocs.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import law.courtdocs.auth.DefaultToken;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.DrillLedger;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Worker processes dying, on the packaged jar: the jar under test runs as {@code api} (it also
 * runs the lease reaper), and worker processes of the same jar are started and stopped here.
 * A worker killed with SIGKILL mid-job leaves its job RUNNING until the lease runs out; the
 * reaper queues it again and another worker finishes it. A worker stopped with SIGTERM mid-job
 * takes no more work, waits {@code court.worker.shutdown-grace}, hands the job back and exits:
 * nothing is left RUNNING. Leases, heartbeats and the reaper are shortened to seconds here.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = WorkerCrashIT.ApiWithFastReaper.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCrashIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    static final Duration LEASE = Duration.ofSeconds(5);
    static final Duration GRACE = Duration.ofSeconds(4);

    /** The api process with the worker's lease settings and a reaper that looks every second. */
    public static class ApiWithFastReaper implements QuarkusTestResourceLifecycleManager {
        private final ApiRoleResource api = new ApiRoleResource();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(api.start());
            config.put("court.worker.lease", LEASE.toSeconds() + "s");
            config.put("court.worker.reaper-interval", "1s");
            config.put("court.retry.poll-interval", "1s");
            return config;
        }

        @Override
        public void stop() {
            api.stop();
        }
    }

    /** A worker process of the jar under test, with its log. */
    record Worker(String name, Process process, Path log) {
        String logText() {
            try {
                return Files.readString(log);
            } catch (Exception e) {
                return "(no log: " + e + ")";
            }
        }
    }

    static final List<Worker> started = new ArrayList<>();
    /** The worker left running by the SIGKILL drill, stopped by the SIGTERM drill. */
    static Worker survivor;

    @BeforeAll
    static void tokens() {
        DefaultToken.install();
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        for (Worker w : started) {
            kill(w);
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledMidJobIsReplacedByTheReaperAndAnotherWorkerFinishesTheJob() throws Exception {
        DrillLedger drill = new DrillLedger("worker-sigkill");
        Worker a = startWorker("crash-a");
        // every page of this delivery answers after 3 s: the job runs for about ten seconds
        String id = Jobs.submit(SimulatorResource.sim().gdems().slowLink(Duration.ofSeconds(3)));
        drill.expect(id, DrillLedger.Expect.succeeded(3));
        awaitRunningOn(id, a);
        Thread.sleep(1000);
        kill(a);
        drill.faults(1);

        survivor = startWorker("crash-b");
        DrillLedger.Result result = drill.settle(Duration.ofSeconds(120));
        System.out.println(result.line());
        JsonPath attempts = attempts(id);
        assertClean(result, a, survivor, attempts);
        assertEquals("crash-a", attempts.getString("[0].worker"));
        assertEquals("LOST", attempts.getString("[0].outcome"), attempts.prettify());
        assertEquals("WORKER_LOST", attempts.getString("[0].error.code"), attempts.prettify());
        int last = attempts.getList("$").size() - 1;
        assertEquals("crash-b", attempts.getString("[" + last + "].worker"), attempts.prettify());
        assertEquals("SUCCEEDED", attempts.getString("[" + last + "].outcome"), attempts.prettify());
    }

    @Test
    @Order(2)
    void aWorkerStoppedMidJobDrainsWithinItsGraceAndHandsTheJobBack() throws Exception {
        DrillLedger drill = new DrillLedger("worker-sigterm");
        Worker b = survivor != null ? survivor : startWorker("crash-b");
        // about fifteen seconds of work: longer than the shutdown grace
        String id = Jobs.submit(SimulatorResource.sim().gdems().slowLink(Duration.ofSeconds(5)));
        drill.expect(id, DrillLedger.Expect.succeeded(3));
        awaitRunningOn(id, b);
        Thread.sleep(1000);
        b.process().destroy(); // SIGTERM
        drill.faults(1);
        // a bound against hanging forever, not a speed test: grace plus a slow machine's shutdown
        assertTrue(b.process().waitFor(GRACE.toSeconds() + 60, TimeUnit.SECONDS), "worker did not stop:\n" + b.logText());
        killLeftovers(b);
        assertTrue(b.logText().contains("stopping: waiting up to"), "the worker drained:\n" + b.logText());
        assertEquals("QUEUED", status(id), "handed back, not left RUNNING:\n" + b.logText());
        JsonPath handedBack = attempts(id);
        assertEquals("INTERRUPTED", handedBack.getString("[0].outcome"), handedBack.prettify());

        Worker c = startWorker("crash-c");
        DrillLedger.Result result = drill.settle(Duration.ofSeconds(120));
        System.out.println(result.line());
        JsonPath attempts = attempts(id);
        assertClean(result, b, c, attempts);
        int last = attempts.getList("$").size() - 1;
        assertEquals("crash-c", attempts.getString("[" + last + "].worker"), attempts.prettify());
    }

    // ---- helpers -------------------------------------------------------------------------------

    static Worker startWorker(String name) throws Exception {
        Path log = Files.createTempFile("worker-" + name + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Dquarkus.profile=test",
                // the api process already cleaned and migrated the schema: never clean it again
                "-Dquarkus.flyway.clean-at-start=false",
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dcourtdocs.test-suffix=" + SimulatorResource.suffix(), "-jar", JAR.toString());
        Map<String, String> env = pb.environment();
        env.put("COURT_ROLE", "worker");
        env.put("COURT_HTTP_PROXY", SimulatorResource.sim().proxyUrl());
        env.put("COURT_WORKER_NAME", name);
        env.put("COURT_WORKER_SLOTS", "1");
        env.put("COURT_WORKER_LEASE", LEASE.toSeconds() + "s");
        env.put("COURT_WORKER_HEARTBEAT", "1s");
        env.put("COURT_WORKER_REAPER_INTERVAL", "1s");
        env.put("COURT_WORKER_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Worker w = new Worker(name, pb.start(), log);
        started.add(w);
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!w.logText().contains(" started in ")) {
            if (!w.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("worker " + name + " did not start:\n" + w.logText());
            }
            Thread.sleep(200);
        }
        return w;
    }

    /** SIGKILL, then whatever it had started (Playwright's driver and Chromium outlive the JVM). */
    static void kill(Worker w) throws InterruptedException {
        List<ProcessHandle> family = w.process().toHandle().descendants().toList();
        w.process().destroyForcibly();
        w.process().waitFor(30, TimeUnit.SECONDS);
        family.forEach(ProcessHandle::destroyForcibly);
    }

    static void killLeftovers(Worker w) {
        w.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    static void awaitRunningOn(String id, Worker w) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            JsonPath attempts = attempts(id);
            List<Object> all = attempts.getList("$");
            if ("RUNNING".equals(status(id)) && !all.isEmpty()
                    && w.name().equals(attempts.getString("[" + (all.size() - 1) + "].worker"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " never ran on " + w.name() + ":\n" + w.logText());
    }

    static String status(String id) {
        return given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().path("status");
    }

    static JsonPath attempts(String id) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().get("/api/v1/jobs/" + id + "/attempts").then().statusCode(200).extract().jsonPath();
    }

    static void assertClean(DrillLedger.Result result, Worker before, Worker after, JsonPath attempts) {
        String why = result.line() + " " + result.problems() + "\nattempts: " + attempts.prettify()
                + "\n" + before.name() + " log:\n" + before.logText() + "\n" + after.name() + " log:\n" + after.logText();
        assertEquals(0, result.lost(), why);
        assertEquals(0, result.duplicated(), why);
        assertEquals(0, result.stuck(), why);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
