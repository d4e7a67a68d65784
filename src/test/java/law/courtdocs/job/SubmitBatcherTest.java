package law.courtdocs.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain submissions share transactions (group commit). A test makes the batches it needs: it holds
 * the advisory lock of one delivery, so the writer blocks on the batch holding that delivery while
 * the next submissions queue up behind it and then go as one batch.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class SubmitBatcherTest {

    @Inject
    SubmitBatcher batcher;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** A caller of its own: these tests submit in bursts, not to be cut by the per-caller rate limit. */
    private static final String TOKEN = TestTokens.token(TestTokens.DEFAULT_TENANT, "batcher@acme", TestTokens.USER);

    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    /**
     * The relay deletes an outbox row once the broker has it, often before a test looks: a trigger
     * keeps a copy of every row written while a test runs, so the tests see what the batch wrote.
     */
    @BeforeEach
    void recordOutboxRows() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists submit_batcher_test_outbox (job_id uuid, payload text)");
            s.execute("create or replace function submit_batcher_test_outbox() returns trigger language plpgsql as $$"
                    + " begin insert into submit_batcher_test_outbox values (new.job_id, new.payload);"
                    + " return new; end $$");
            s.execute("create or replace trigger submit_batcher_test_outbox after insert on outbox"
                    + " for each row execute function submit_batcher_test_outbox()");
        }
    }

    @AfterEach
    void stopClients() throws Exception {
        clients.shutdownNow();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop trigger if exists submit_batcher_test_outbox on outbox");
            s.execute("drop function if exists submit_batcher_test_outbox()");
            s.execute("drop table if exists submit_batcher_test_outbox");
        }
    }

    @Test
    void submissionsQueuedBehindACommitGoAsOneBatchAndAgreeOnOneJobPerDelivery() throws Exception {
        String blocker = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        List<String> links = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            links.add(SimulatorResource.sim().gdems().notReadyLink("尚未送达 " + i));
        }
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        Future<ExtractableResponse<Response>> blocked;
        try (Connection holder = holdDeliveryLock(blocker)) {
            blocked = clients.submit(() -> post(blocker, "（2026）粤0304民初1号"));
            awaitTrue(this::writerWaitsForALock, "the writer waits for the held lock");
            for (String link : links) {
                answers.add(clients.submit(() -> post(link, "（2026）粤0304民初2号")));
            }
            // the same delivery twice more in that batch: both must find the one job
            answers.add(clients.submit(() -> post(links.get(0), "（2026）粤0304民初2号")));
            answers.add(clients.submit(() -> post(links.get(0), "（2026）粤0304民初2号")));
            awaitTrue(() -> batcher.waiting() == 12, "12 submissions queued behind the blocked batch");
            holder.commit();
        }
        assertEquals(201, blocked.get(30, TimeUnit.SECONDS).statusCode());

        Map<String, Set<String>> idsByLink = new HashMap<>();
        int created = 0;
        int found = 0;
        for (int i = 0; i < answers.size(); i++) {
            ExtractableResponse<Response> answer = answers.get(i).get(30, TimeUnit.SECONDS);
            String link = i < links.size() ? links.get(i) : links.get(0);
            if (answer.statusCode() == 201) {
                assertEquals("QUEUED", answer.path("status"));
                created++;
            } else {
                // found after the batch committed: the worker may have taken the job already
                assertEquals(200, answer.statusCode(), answer.body().asString());
                found++;
            }
            assertEquals("（2026）粤0304民初2号", answer.path("caseRef"));
            idsByLink.computeIfAbsent(link, k -> new HashSet<>()).add(answer.path("id"));
        }
        assertTrue(batcher.largestBatch() >= 12, "largest batch " + batcher.largestBatch());
        assertEquals(10, created);
        assertEquals(2, found);
        idsByLink.forEach((link, ids) -> assertEquals(1, ids.size(), link + " got " + ids));
        Set<UUID> all = new HashSet<>();
        idsByLink.values().forEach(ids -> ids.forEach(id -> all.add(UUID.fromString(id))));
        assertEquals(10, all.size());
        // each created job has exactly one queue message, naming it
        for (UUID id : all) {
            List<String> payloads = outboxPayloads(id);
            assertEquals(1, payloads.size(), "outbox rows of " + id);
            assertEquals(id.toString(), json.readTree(payloads.get(0)).get("jobId").asText());
        }
    }

    @Test
    void aBatchCreatedJobIsTheRowTheOneByOnePathWrites() throws Exception {
        String batched = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        String oneByOne = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        String caseRef = "（2026）京0105民初12345号";
        long batchesBefore = batcher.batches();
        String a = as().contentType(ContentType.JSON).body(Map.of("url", batched, "caseRef", caseRef, "priority", 3))
                .when().post("/api/v1/jobs").then().statusCode(201)
                .body("caseRef", equalTo(caseRef)).body("priority", equalTo(3)).body("status", equalTo("QUEUED"))
                .extract().path("id");
        assertEquals(batchesBefore + 1, batcher.batches());
        // an Idempotency-Key takes JobService.submit (ORM)
        String b = as().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("url", oneByOne, "caseRef", caseRef, "priority", 3))
                .when().post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        assertEquals(batchesBefore + 1, batcher.batches());

        Map<String, Object> rowA = jobRow(UUID.fromString(a));
        Map<String, Object> rowB = jobRow(UUID.fromString(b));
        assertEquals(DeliveryKey.of(URI.create(batched), "gdems"), rowA.remove("dedup_key"));
        assertEquals(DeliveryKey.of(URI.create(oneByOne), "gdems"), rowB.remove("dedup_key"));
        for (String differs : List.of("id", "url", "created_at", "started_at", "finished_at", "next_attempt_at",
                "lease_until", "worker", "error_code", "error_message", "version", "attempts")) {
            // the worker may have tried them already (not ready: RETRY_SCHEDULED); compare what submit wrote
            rowA.remove(differs);
            rowB.remove(differs);
        }
        rowA.remove("status");
        rowB.remove("status");
        assertEquals(rowB, rowA);
        assertEquals(caseRef, rowA.get("case_ref"));
        assertEquals(1, outboxPayloads(UUID.fromString(a)).size());

        as().when().get("/api/v1/jobs/" + a).then().statusCode(200)
                .body("caseRef", equalTo(caseRef)).body("portal", equalTo("gdems")).body("url", equalTo(batched));
    }

    @Test
    void whenABatchFailsItsSubmissionsGoOneByOneAndOnlyTheBadOneFails() throws Exception {
        String blocker = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        String bad = "boom-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create or replace function submit_batcher_test_boom() returns trigger language plpgsql as $$"
                    + " begin if new.case_ref = '" + bad + "' then raise exception 'refused by test'; end if;"
                    + " return new; end $$");
            s.execute("create trigger submit_batcher_test_boom before insert on jobs"
                    + " for each row execute function submit_batcher_test_boom()");
        }
        try {
            List<Future<ExtractableResponse<Response>>> good = new ArrayList<>();
            Future<ExtractableResponse<Response>> refused;
            try (Connection holder = holdDeliveryLock(blocker)) {
                clients.submit(() -> post(blocker, null));
                awaitTrue(this::writerWaitsForALock, "the writer waits for the held lock");
                for (int i = 0; i < 3; i++) {
                    String link = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
                    good.add(clients.submit(() -> post(link, "（2026）粤0304民初9号")));
                }
                String link = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
                refused = clients.submit(() -> post(link, bad));
                awaitTrue(() -> batcher.waiting() == 4, "4 submissions queued behind the blocked batch");
                holder.commit();
            }
            for (Future<ExtractableResponse<Response>> answer : good) {
                ExtractableResponse<Response> r = answer.get(30, TimeUnit.SECONDS);
                assertEquals(201, r.statusCode(), r.body().asString());
                assertEquals(1, outboxPayloads(UUID.fromString(r.path("id"))).size());
            }
            ExtractableResponse<Response> r = refused.get(30, TimeUnit.SECONDS);
            assertEquals(500, r.statusCode());
            assertEquals("application/problem+json", r.contentType());
            assertTrue(!r.body().asString().contains("refused by test"), r.body().asString());
            assertEquals(0, countJobsWithCaseRef(bad));
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop trigger submit_batcher_test_boom on jobs");
                s.execute("drop function submit_batcher_test_boom()");
            }
        }
    }

    private static RequestSpecification as() {
        return given().header("Authorization", TestTokens.bearer(TOKEN));
    }

    private static ExtractableResponse<Response> post(String link, String caseRef) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", link);
        if (caseRef != null) {
            body.put("caseRef", caseRef);
        }
        return as().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs").then().extract();
    }

    @Test
    void aBatchOnALostConnectionGoesOneByOneAndTheNextBatchTakesANewConnection() throws Exception {
        // find the writer's own connection: the backend waiting for a lock this test holds
        String blocker = SimulatorResource.sim().gdems().notReadyLink("尚未送达");
        int writerPid;
        try (Connection holder = holdDeliveryLock(blocker)) {
            Future<ExtractableResponse<Response>> blocked = clients.submit(() -> post(blocker, "（2026）粤0304民初7号"));
            awaitTrue(this::writerWaitsForALock, "the writer waits for the held lock");
            writerPid = backendWaitingForALock();
            holder.commit();
            assertEquals(201, blocked.get(30, TimeUnit.SECONDS).statusCode());
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(?)")) {
            kill.setInt(1, writerPid);
            try (ResultSet rs = kill.executeQuery()) {
                assertTrue(rs.next() && rs.getBoolean(1), "terminated the writer's backend " + writerPid);
            }
        }
        long batchesBefore = batcher.batches();
        // case numbers of this run only (the test schema keeps earlier runs' jobs)
        long n = System.currentTimeMillis() % 1_000_000_000L;
        String lostCase = "（2026）粤0304民初" + n + "号";
        String nextCase = "（2026）粤0304民初" + (n + 1) + "号";

        ExtractableResponse<Response> lost = post(SimulatorResource.sim().gdems().notReadyLink("尚未送达"),
                lostCase);
        assertEquals(201, lost.statusCode(), lost.body().asString());
        assertEquals(batchesBefore, batcher.batches(), "the batch on the terminated connection failed");

        ExtractableResponse<Response> next = post(SimulatorResource.sim().gdems().notReadyLink("尚未送达"),
                nextCase);
        assertEquals(201, next.statusCode(), next.body().asString());
        assertEquals(batchesBefore + 1, batcher.batches(), "the next batch commits on a new connection");
        assertEquals(1, countJobsWithCaseRef(lostCase));
        assertEquals(1, countJobsWithCaseRef(nextCase));
    }

    private int backendWaitingForALock() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pid from pg_locks where locktype = 'advisory' and not granted")) {
            assertTrue(rs.next(), "a backend waits for an advisory lock");
            return rs.getInt(1);
        }
    }

    /** An open transaction holding the delivery's advisory lock; commit (or close) releases it. */
    private Connection holdDeliveryLock(String link) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        String lock = JobService.deliveryLock(TestTokens.DEFAULT_TENANT, DeliveryKey.of(URI.create(link), "gdems"));
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            s.setString(1, lock);
            s.executeQuery().close();
        }
        return c;
    }

    private boolean writerWaitsForALock() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_locks where locktype = 'advisory' and not granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Payloads of the outbox rows written for the job during this test, relayed or not. */
    private List<String> outboxPayloads(UUID jobId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select payload from submit_batcher_test_outbox where job_id = ?")) {
            s.setObject(1, jobId);
            List<String> payloads = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    payloads.add(rs.getString(1));
                }
            }
            return payloads;
        }
    }

    private Map<String, Object> jobRow(UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select * from jobs where id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "job " + id);
                ResultSetMetaData meta = rs.getMetaData();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    private long countJobsWithCaseRef(String caseRef) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from jobs where case_ref = ?")) {
            s.setString(1, caseRef);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
