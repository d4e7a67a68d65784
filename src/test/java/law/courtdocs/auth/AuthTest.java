package law.courtdocs.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.job.AttemptEntity;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobStatus;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.storage.DocumentEntity;
import law.courtdocs.storage.DocumentStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 on the real stack: tokens, roles, tenant isolation, CORS, audit and the submit limit.
 * Each test uses tenants of its own, so tests do not see each other's data.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class AuthTest {

    static final String PROBLEM = "application/problem+json";
    static final String ALLOWED_ORIGIN = "https://cms.example-lawfirm.cn";

    @Inject
    DocumentStore store;

    @Inject
    CourtConfig config;

    @Inject
    io.smallrye.jwt.auth.principal.JWTParser jwtParser;

    // ------------------------------------------------------------------ 401

    @Test
    void everyEndpointWantsAToken() {
        String someId = UUID.randomUUID().toString();
        for (String path : List.of("/api/v1/jobs", "/api/v1/jobs/" + someId, "/api/v1/documents/" + someId + "/content",
                "/api/v1/audit")) {
            given().header(TestTokens.NO_TOKEN)
                    .when().get(path)
                    .then().statusCode(401)
                    .contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401))
                    .body("instance", equalTo(path));
        }
        given().header(TestTokens.NO_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://sd.gdems.com/v3/dzsd/abc123"))
                .when().post("/api/v1/jobs")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void everyKindOfBadTokenIs401ProblemJson() {
        Map<String, String> bad = Map.of(
                "expired", TestTokens.expired(),
                "wrong key", TestTokens.wrongKey(),
                "wrong issuer", TestTokens.wrongIssuer(),
                "garbage", "not-a-jwt",
                "three garbage parts", "a.b.c");
        bad.forEach((kind, token) -> given().header("Authorization", TestTokens.bearer(token))
                .when().get("/api/v1/jobs")
                .then().statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("status", equalTo(401))
                .body("detail", not(containsString(token))));
        // Other schemes are no bearer token at all.
        given().header("Authorization", "Basic dXNlcjpwYXNz")
                .when().get("/api/v1/jobs")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aRememberedTokenStillRefusesItsTamperedCopies() {
        assertTrue(jwtParser instanceof CachingJwtParser, jwtParser.getClass().getName());
        String token = TestTokens.token(TestTokens.DEFAULT_TENANT, "cache@acme", TestTokens.USER);
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", TestTokens.bearer(token)).when().get("/api/v1/jobs").then().statusCode(200);
        }
        int dot = token.lastIndexOf('.');
        // a character inside the signature: the last one also carries unused padding bits
        int at = dot + 10;
        String otherSignature = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        String otherTenant = token.substring(0, dot).replace(token.split("\\.")[1],
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                        java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                        java.nio.charset.StandardCharsets.UTF_8).replace("\"acme\"", "\"other\"")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))) + token.substring(dot);
        for (String tampered : List.of(otherSignature, otherTenant)) {
            given().header("Authorization", TestTokens.bearer(tampered)).when().get("/api/v1/jobs")
                    .then().statusCode(401).contentType(PROBLEM);
        }
    }

    @Test
    void tokensBecomeOurPrincipalsWhichReadTheTenantLikeSmallRyeDoes() throws Exception {
        String tenant = "金杜律师事务所";
        String token = TestTokens.token(tenant, "principal@jindu", TestTokens.USER);
        org.eclipse.microprofile.jwt.JsonWebToken jwt = jwtParser.parse(token);
        assertTrue(jwt instanceof CourtPrincipalFactory.CourtPrincipal, jwt.getClass().getName());
        assertEquals(tenant, jwt.getClaim("tenant"));
        assertEquals("principal@jindu", jwt.getSubject());
        assertEquals(java.util.Set.of(TestTokens.USER), jwt.getGroups());

        // the whole stack: the Chinese tenant read from the token finds the tenant's job
        Stored own = storeJobWithDocument(tenant, "（2026）京0105民初7号", TestPdfs.pdf("jindu"));
        given().header("Authorization", TestTokens.bearer(token))
                .when().get("/api/v1/jobs/" + own.job)
                .then().statusCode(200).body("caseRef", equalTo("（2026）京0105民初7号"));
    }

    @Test
    void theDocumentedOpensslRecipeMakesATokenTheServiceAccepts() throws Exception {
        Process p = new ProcessBuilder("bash", "docs/dev-token.sh", "acme", "court-user,court-admin")
                .redirectErrorStream(true).start();
        String token = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        assertEquals(0, p.waitFor(), token);
        given().header("Authorization", TestTokens.bearer(token))
                .when().get("/api/v1/audit")
                .then().statusCode(200);
    }

    // ------------------------------------------------------------------ 403

    @Test
    void wrongRoleOrNoTenantIs403ProblemJson() {
        for (String token : List.of(TestTokens.user("acme"), TestTokens.service("acme"))) {
            given().header("Authorization", TestTokens.bearer(token))
                    .when().get("/api/v1/audit")
                    .then().statusCode(403).contentType(PROBLEM).body("status", equalTo(403));
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.token("acme", "intruder", "some-other-app")))
                .when().get("/api/v1/jobs")
                .then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", TestTokens.bearer(TestTokens.withoutTenant()))
                .when().get("/api/v1/jobs")
                .then().statusCode(403).contentType(PROBLEM).body("detail", containsString("tenant"));

        // ...while the roles that may read do read.
        for (String token : List.of(TestTokens.user("acme"), TestTokens.service("acme"), TestTokens.admin("acme"))) {
            given().header("Authorization", TestTokens.bearer(token))
                    .when().get("/api/v1/jobs")
                    .then().statusCode(200);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.admin("acme")))
                .when().get("/api/v1/audit")
                .then().statusCode(200);
    }

    // ------------------------------------------------------------------ tenants

    @Test
    void anotherTenantsJobAndDocumentAnswer404ExactlyLikeUnknownIds() {
        byte[] pdf = TestPdfs.pdf("globex judgment");
        Stored b = storeJobWithDocument("globex", "（2026）京0105民初1号", pdf);
        String acme = TestTokens.user("acme");
        String globex = TestTokens.user("globex");

        // B sees its own job and document: the 404s below are about the tenant, not broken ids.
        given().header("Authorization", TestTokens.bearer(globex))
                .when().get("/api/v1/jobs/" + b.job)
                .then().statusCode(200).body("documents[0].id", equalTo(b.document.toString()));
        byte[] bytes = given().header("Authorization", TestTokens.bearer(globex))
                .when().get("/api/v1/documents/" + b.document + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(pdf, bytes);

        assertSameAsUnknown(acme, "/api/v1/jobs/", b.job);
        assertSameAsUnknown(acme, "/api/v1/documents/", b.document, "/content");
        assertSameAsUnknown(acme, "/api/v1/jobs/", b.job, "/documents.zip");

        // A's list never contains B's job, filtered or not.
        JsonPath all = given().header("Authorization", TestTokens.bearer(acme))
                .when().get("/api/v1/jobs?size=100").then().statusCode(200).extract().jsonPath();
        assertFalse(all.getList("items.id").contains(b.job.toString()), "acme's list shows globex's job");
        given().header("Authorization", TestTokens.bearer(acme))
                .when().get("/api/v1/jobs?caseRef=（2026）京0105民初1号")
                .then().statusCode(200).body("total", equalTo(0));
        given().header("Authorization", TestTokens.bearer(globex))
                .when().get("/api/v1/jobs?caseRef=（2026）京0105民初1号")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(b.job.toString()));
    }

    @Test
    void theWorkerGivesDocumentsTheTenantOfTheirJob() {
        byte[] pdf = TestPdfs.pdf("initech e2e");
        String link = SimulatorResource.sim().direct().addPdf(pdf);
        String initech = TestTokens.service("initech");

        String id = Jobs.submitAs(initech, Map.of("url", link));
        JsonPath job = Jobs.awaitStatusAs(initech, id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        UUID docId = UUID.fromString(job.getString("documents[0].id"));

        String[] tenants = QuarkusTransaction.requiringNew().call(() -> new String[] {
                JobEntity.<JobEntity>findById(UUID.fromString(id)).tenant,
                DocumentEntity.<DocumentEntity>findById(docId).tenant});
        assertArrayEquals(new String[] {"initech", "initech"}, tenants);
        assertSameAsUnknown(TestTokens.user("acme"), "/api/v1/jobs/", UUID.fromString(id));
        assertSameAsUnknown(TestTokens.user("acme"), "/api/v1/documents/", docId, "/content");
    }

    /** The other tenant's id answers what a random id answers, apart from the id itself. */
    private static void assertSameAsUnknown(String token, String prefix, UUID theirs, String... suffix) {
        assertSameAsUnknown("GET", token, prefix, theirs, suffix);
    }

    private static void assertSameAsUnknown(String method, String token, String prefix, UUID theirs, String... suffix) {
        String tail = suffix.length == 0 ? "" : suffix[0];
        UUID unknown = UUID.randomUUID();
        Response forTheirs = given().header("Authorization", TestTokens.bearer(token)).when()
                .request(method, prefix + theirs + tail);
        Response forUnknown = given().header("Authorization", TestTokens.bearer(token)).when()
                .request(method, prefix + unknown + tail);
        assertEquals(404, forTheirs.statusCode(), forTheirs.asString());
        assertEquals(404, forUnknown.statusCode());
        assertEquals(forUnknown.contentType(), forTheirs.contentType());
        assertEquals(forUnknown.asString().replace(unknown.toString(), "ID"),
                forTheirs.asString().replace(theirs.toString(), "ID"));
    }

    @Test
    void cancelRetryAndAttemptsAreForTheTenantsAdminsOnlyAndAudited() {
        UUID failed = storeJob("hooli", "http://sfpt.cdfy12368.gov.cn/sfsdw//r/notapdf", "direct",
                JobStatus.RUNNING, JobStatus.FAILED);
        UUID queued = storeJob("hooli", "http://sfpt.cdfy12368.gov.cn/sfsdw//r/notapdf", "direct");
        QuarkusTransaction.requiringNew().run(() -> {
            AttemptEntity a = new AttemptEntity();
            a.key = new AttemptEntity.Key(failed, 1);
            a.worker = "test";
            a.startedAt = Instant.now();
            a.finishedAt = Instant.now();
            a.outcome = "FAILED";
            a.screenshot = new byte[] {(byte) 0x89, 'P', 'N', 'G'};
            a.pageHtml = "<html>hooli</html>";
            a.persist();
        });
        String hooliAdmin = TestTokens.admin("hooli");
        String hooliUser = TestTokens.user("hooli");
        String acmeAdmin = TestTokens.admin("acme");

        // Another tenant's admin: every action and attempt read is a 404, as for unknown ids.
        assertSameAsUnknown("POST", acmeAdmin, "/api/v1/jobs/", queued, "/cancel");
        assertSameAsUnknown("POST", acmeAdmin, "/api/v1/jobs/", failed, "/retry");
        assertSameAsUnknown(acmeAdmin, "/api/v1/jobs/", failed, "/attempts");
        assertSameAsUnknown(acmeAdmin, "/api/v1/jobs/", failed, "/attempts/1/screenshot");
        assertSameAsUnknown(acmeAdmin, "/api/v1/jobs/", failed, "/attempts/1/html");

        // The tenant's users and services read jobs but do not act on them or read attempts.
        for (String token : List.of(hooliUser, TestTokens.service("hooli"))) {
            given().header("Authorization", TestTokens.bearer(token)).when().post("/api/v1/jobs/" + queued + "/cancel")
                    .then().statusCode(403).contentType(PROBLEM);
            given().header("Authorization", TestTokens.bearer(token)).when().post("/api/v1/jobs/" + failed + "/retry")
                    .then().statusCode(403).contentType(PROBLEM);
            given().header("Authorization", TestTokens.bearer(token)).when().get("/api/v1/jobs/" + failed + "/attempts")
                    .then().statusCode(403).contentType(PROBLEM);
        }
        assertEquals("FAILED", QuarkusTransaction.requiringNew().call(
                () -> JobEntity.<JobEntity>findById(failed).status().name()), "nothing changed so far");

        // The tenant's admin does, and each action leaves one audit row.
        given().header("Authorization", TestTokens.bearer(hooliAdmin)).when().get("/api/v1/jobs/" + failed + "/attempts")
                .then().statusCode(200).body("size()", equalTo(1));
        given().header("Authorization", TestTokens.bearer(hooliAdmin))
                .when().get("/api/v1/jobs/" + failed + "/attempts/1/html")
                .then().statusCode(200).body(containsString("hooli"));
        given().header("Authorization", TestTokens.bearer(hooliAdmin)).when().post("/api/v1/jobs/" + queued + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().header("Authorization", TestTokens.bearer(hooliAdmin)).when().post("/api/v1/jobs/" + failed + "/retry")
                .then().statusCode(200).body("status", equalTo("QUEUED"));
        JsonPath trail = audit(hooliAdmin, "");
        assertEquals(2, trail.getInt("total"), trail.prettify());
        assertEquals(List.of("JOB_RETRY", "JOB_CANCEL"), trail.getList("items.action"));
        assertEquals(List.of(failed.toString(), queued.toString()), trail.getList("items.targetId"));
        assertEquals(List.of("admin@hooli", "admin@hooli"), trail.getList("items.subject"));
    }

    // ------------------------------------------------------------------ audit

    @Test
    void eachDownloadLeavesOneAuditRowVisibleOnlyToItsTenantsAdmins() {
        Stored doc = storeJobWithDocument("umbrella", null, TestPdfs.pdf("umbrella audit"));
        String user = TestTokens.user("umbrella");
        String admin = TestTokens.admin("umbrella");

        // X-Forwarded-For is not trusted by default: the audit keeps the socket's address.
        String etag = given().header("Authorization", TestTokens.bearer(user)).header("X-Forwarded-For", "203.0.113.9")
                .when().get("/api/v1/documents/" + doc.document + "/content")
                .then().statusCode(200).extract().header("ETag");
        JsonPath one = audit(admin, "");
        assertEquals(1, one.getInt("total"), one.prettify());
        assertEquals("DOCUMENT_DOWNLOAD", one.getString("items[0].action"));
        assertEquals(doc.document.toString(), one.getString("items[0].targetId"));
        assertEquals("user@umbrella", one.getString("items[0].subject"));
        assertEquals("127.0.0.1", one.getString("items[0].clientAddress"));
        assertTrue(Instant.parse(one.getString("items[0].at")).isAfter(Instant.now().minusSeconds(60)));

        // A re-validation that serves no bytes is not a download; a second download is.
        given().header("Authorization", TestTokens.bearer(user)).header("If-None-Match", etag)
                .when().get("/api/v1/documents/" + doc.document + "/content")
                .then().statusCode(304);
        assertEquals(1, audit(admin, "").getInt("total"));
        given().header("Authorization", TestTokens.bearer(admin))
                .when().get("/api/v1/documents/" + doc.document + "/content")
                .then().statusCode(200);
        JsonPath two = audit(admin, "?size=1");
        assertEquals(2, two.getInt("total"));
        assertEquals(1, two.getList("items").size());
        assertEquals("admin@umbrella", two.getString("items[0].subject"), "newest first");

        // Another tenant's admin sees none of it; a failed lookup records nothing.
        given().header("Authorization", TestTokens.bearer(TestTokens.user("acme")))
                .when().get("/api/v1/documents/" + doc.document + "/content").then().statusCode(404);
        assertEquals(2, audit(admin, "").getInt("total"));
        assertFalse(audit(TestTokens.admin("acme"), "?size=100").getList("items.targetId")
                .contains(doc.document.toString()));
    }

    @Test
    void auditParametersAreChecked() {
        String admin = TestTokens.bearer(TestTokens.admin("acme"));
        for (String q : List.of("?page=-1", "?size=0", "?size=101", "?page=x")) {
            given().header("Authorization", admin)
                    .when().get("/api/v1/audit" + q)
                    .then().statusCode(400).contentType(PROBLEM).body("errors.size()", equalTo(1));
        }
    }

    private static JsonPath audit(String adminToken, String query) {
        return given().header("Authorization", TestTokens.bearer(adminToken))
                .when().get("/api/v1/audit" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    // ------------------------------------------------------------------ CORS

    @Test
    void corsPreflightIsAllowedForTheConfiguredOriginOnly() {
        given().header(TestTokens.NO_TOKEN)
                .header("Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,idempotency-key,content-type")
                .when().options("/api/v1/jobs")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED_ORIGIN))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Idempotency-Key"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Content-Type"));

        given().header(TestTokens.NO_TOKEN)
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .when().options("/api/v1/jobs")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());

        // The real request from the frontend may read the headers it needs.
        given().header("Origin", ALLOWED_ORIGIN)
                .when().get("/api/v1/jobs")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED_ORIGIN))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Location"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Content-Disposition"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Retry-After"));
    }

    private static org.hamcrest.Matcher<String> containsStringIgnoringCase(String s) {
        return org.hamcrest.Matchers.containsStringIgnoringCase(s);
    }

    // ------------------------------------------------------------------ abuse limits

    @Test
    void submitsBeyondTheLimitGet429WithRetryAfter() {
        int limit = config.auth().submitRatePerMinute();
        double refillPerSecond = limit / 60.0;
        String burst = TestTokens.bearer(TestTokens.token("ratelimit", "burst@ratelimit", TestTokens.SERVICE));
        // Off-allowlist links: each one counts against the limit and stores nothing.
        Map<String, Object> rejected = Map.of("url", "https://evil.example.com/x");

        long t0 = System.nanoTime();
        int accepted = 0;
        Response limited = null;
        while (accepted <= 2 * limit) {
            Response r = given().header("Authorization", burst).contentType(ContentType.JSON).body(rejected)
                    .when().post("/api/v1/jobs");
            if (r.statusCode() == 429) {
                limited = r;
                break;
            }
            assertEquals(422, r.statusCode(), r.asString());
            accepted++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(limited != null, "no 429 after " + accepted + " submissions");
        assertTrue(accepted >= limit, "limited after only " + accepted + " of " + limit);
        assertTrue(accepted <= limit + Math.ceil(seconds * refillPerSecond) + 1,
                accepted + " accepted in " + seconds + " s with a limit of " + limit + "/min");
        assertEquals(PROBLEM, limited.contentType());
        assertEquals(429, limited.jsonPath().getInt("status"));
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1, limited.header("Retry-After"));

        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> JobEntity.count("tenant", "ratelimit")));
        // The limit is per caller: another subject of the same tenant is not limited.
        // (The bucket arithmetic itself is pinned down with a fake clock in SubmitRateLimiterTest.)
        given().header("Authorization", TestTokens.bearer(TestTokens.service("ratelimit")))
                .contentType(ContentType.JSON).body(rejected)
                .when().post("/api/v1/jobs")
                .then().statusCode(422);
    }

    // ------------------------------------------------------------------ helpers

    record Stored(UUID job, UUID document) {}

    /**
     * A job of {@code tenant} written straight to the database, moved along {@code path} from
     * QUEUED. It has no outbox row, so no worker ever picks it up.
     */
    private static UUID storeJob(String tenant, String url, String portal, JobStatus... path) {
        return storeJob(tenant, url, portal, null, path);
    }

    private static UUID storeJob(String tenant, String url, String portal, String caseRef, JobStatus... path) {
        return QuarkusTransaction.requiringNew().call(() -> {
            JobEntity job = JobEntity.newQueued(UUID.randomUUID(), tenant, url, portal, 5, caseRef, 5, Instant.now());
            for (JobStatus next : path) {
                job.moveTo(next);
            }
            job.attempts = path.length == 0 ? 0 : 1;
            // a fixture put straight into the table: it writes none of the events a real run would
            job.takeMove();
            job.persist();
            return job.id;
        });
    }

    /** A finished job of {@code tenant} with one stored document, written straight to the database. */
    private Stored storeJobWithDocument(String tenant, String caseRef, byte[] content) {
        UUID jobId = storeJob(tenant, "http://sd.gdems.com/v3/dzsd/" + tenant, "gdems", caseRef,
                JobStatus.RUNNING, JobStatus.SUCCEEDED);
        return QuarkusTransaction.requiringNew().call(() -> {
            DocumentEntity doc = new DocumentEntity();
            doc.id = UUID.randomUUID();
            doc.jobId = jobId;
            doc.tenant = tenant;
            doc.fileName = "判决书.pdf";
            doc.contentType = "application/pdf";
            doc.sizeBytes = content.length;
            doc.sha256 = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(content));
            doc.sourceId = "test:" + doc.id;
            doc.createdAt = Instant.now();
            doc.persistAndFlush();
            store.write(doc.id, new ByteArrayInputStream(content));
            return new Stored(jobId, doc.id);
        });
    }
}
