package law.courtdocs.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.text.TextPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every field of every endpoint, driven with generated hostile values on the real stack: no
 * answer is a 5xx, every refusal is problem+json, a value {@link TextPolicy} refuses is refused
 * with 400 naming its field, and a refused request stores nothing (jobs, SMS, remembered
 * Idempotency-Keys, audit rows of the fuzz tenant are counted before and after each one; a job
 * row is written with its queue message in one transaction, so no job also means nothing queued).
 *
 * <p>Plain JUnit with a seeded {@link Random} rather than jqwik: the property is one universal
 * rule per request with nothing to shrink (a failure prints the exact request), the edge cases
 * that matter are listed first for every field, and a fixed seed and a fixed number of tries per
 * field keep the run repeatable and bounded. {@code -Dcourtdocs.fuzz.seed} and
 * {@code -Dcourtdocs.fuzz.tries} change them.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
@TestProfile(InputFuzzTest.ApiOnly.class)
public class InputFuzzTest {

    /**
     * The api role alone, with queues of its own: the jobs that hostile but acceptable values
     * create are stored and queued (that is checked), but no worker spends the suite's slots on
     * them, and no later test's worker finds them in its queue.
     */
    public static class ApiOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String queues = "court.test" + SimulatorResource.suffix() + ".fuzz.jobs";
            return Map.of("court.role", "api", "court.queue.exchange", queues, "court.queue.jobs", queues,
                    "court.queue.dead-letter", queues + ".dead");
        }
    }

    static final long SEED = Long.getLong("courtdocs.fuzz.seed", 20261207L);
    static final int TRIES = Integer.getInteger("courtdocs.fuzz.tries", 12);
    static final String TENANT = "fuzz-模糊测试";
    static final Map<String, int[]> COUNTS = new TreeMap<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EntityManager em;

    final Random random = new Random(SEED);
    final List<String> failures = new ArrayList<>();
    String admin;
    String jobId;
    String smsId;
    int sent;

    @BeforeEach
    void aJobAndAnSmsToPointAt() {
        admin = TestTokens.bearer(TestTokens.token(TENANT, "fuzzer", TestTokens.USER, TestTokens.ADMIN));
        jobId = given().header("Authorization", admin).contentType("application/json")
                .body("{\"url\": \"https://sd.gdems.com/v3/dzsd/FuzzTarget\", \"caseRef\": \"模糊\"}")
                .post("/api/v1/jobs").then().extract().path("id");
        smsId = given().header("Authorization", admin).contentType("application/json")
                .body("{\"content\": \"【测试法院】没有链接的短信\"}")
                .post("/api/v1/sms").then().statusCode(201).extract().path("id");
    }

    @AfterAll
    static void report() throws Exception {
        // what the accepted submissions queued is nobody's work: the queues go with the run
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            String queues = "court.test" + SimulatorResource.suffix() + ".fuzz.jobs";
            channel.queueDelete(queues);
            channel.queueDelete(queues + ".dead");
        }
        COUNTS.forEach((endpoint, c) -> System.out.printf("FUZZ %s requests=%d 4xx=%d 5xx=%d%n", endpoint, c[0], c[1],
                c[2]));
    }

    @Test
    void submittingAJob() {
        String body = "{\"url\": \"https://sd.gdems.com/v3/dzsd/FuzzTarget\", \"caseRef\": \"CMS-1\", \"priority\": 3,"
                + " \"force\": false, \"credentials\": {\"phones\": [\"13800138000\"], \"code\": \"123456\","
                + " \"account\": \"4201\", \"password\": \"pw\"}}";
        Endpoint submit = new Endpoint("POST", "/api/v1/jobs", body);
        for (String field : List.of("url", "caseRef", "priority", "force", "credentials", "credentials.phones",
                "credentials.phones[0]", "credentials.code", "credentials.account", "credentials.password")) {
            fuzzBodyField(submit, field);
        }
        fuzzHeader(submit, "Idempotency-Key");
        fuzzWholeBody(submit);
        assertNoFailures();
    }

    @Test
    void listingJobs() {
        Endpoint list = new Endpoint("GET", "/api/v1/jobs", null);
        for (String param : List.of("status", "caseRef", "portal", "page", "size")) {
            fuzzQuery(list, param);
        }
        assertNoFailures();
    }

    @Test
    void readingAndActingOnAJob() {
        for (String path : List.of("/api/v1/jobs/{id}", "/api/v1/jobs/{id}/attempts", "/api/v1/jobs/{id}/documents.zip",
                "/api/v1/jobs/{id}/captcha", "/api/v1/documents/{id}/content", "/api/v1/sms/{id}")) {
            fuzzPath(new Endpoint("GET", path, null), "id");
        }
        for (String path : List.of("/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/retry")) {
            fuzzPath(new Endpoint("POST", path, null), "id");
        }
        fuzzPath(new Endpoint("GET", "/api/v1/jobs/" + jobId + "/attempts/{n}/screenshot", null), "n");
        fuzzPath(new Endpoint("GET", "/api/v1/jobs/" + jobId + "/attempts/{n}/html", null), "n");
        fuzzHeader(new Endpoint("GET", "/api/v1/jobs/" + jobId, null), "If-None-Match");
        Endpoint retry = new Endpoint("POST", "/api/v1/jobs/" + jobId + "/retry",
                "{\"credentials\": {\"phones\": [\"13800138000\"], \"code\": \"1\", \"account\": \"a\", \"password\": \"p\"}}");
        for (String field : List.of("credentials", "credentials.phones[0]", "credentials.code", "credentials.password")) {
            fuzzBodyField(retry, field);
        }
        Endpoint answer = new Endpoint("POST", "/api/v1/jobs/" + jobId + "/captcha", "{\"answer\": \"4711\"}");
        fuzzBodyField(answer, "answer");
        fuzzWholeBody(answer);
        assertNoFailures();
    }

    @Test
    void postingAnSms() {
        Endpoint sms = new Endpoint("POST", "/api/v1/sms", "{\"content\": \"【成都市武侯区人民法院】您有文书待查看。\\n请勿回复\","
                + " \"receivedAt\": \"2026-11-30T08:15:00Z\", \"caseRef\": \"CMS-1\", \"phones\": [\"13800138000\"]}");
        for (String field : List.of("content", "receivedAt", "caseRef", "phones", "phones[0]")) {
            fuzzBodyField(sms, field);
        }
        fuzzHeader(sms, "Idempotency-Key");
        fuzzWholeBody(sms);
        assertNoFailures();
    }

    @Test
    void readingTheAuditTrail() {
        Endpoint audit = new Endpoint("GET", "/api/v1/audit", null);
        fuzzQuery(audit, "page");
        fuzzQuery(audit, "size");
        assertNoFailures();
    }

    @Test
    void readingEvents() {
        Endpoint events = new Endpoint("GET", "/api/v1/events", null);
        for (String param : List.of("after", "limit", "jobId", "caseRef", "types")) {
            fuzzQuery(events, param);
        }
        assertNoFailures();
    }

    @Test
    void subscribingWebhooks() {
        Endpoint create = new Endpoint("POST", "/api/v1/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\","
                + " \"events\": [\"document.stored\", \"job.succeeded\"], \"description\": \"案件系统\"}");
        for (String field : List.of("url", "events", "events[0]", "description")) {
            fuzzBodyField(create, field);
        }
        fuzzWholeBody(create);
        for (String path : List.of("/api/v1/webhooks/{id}", "/api/v1/webhooks/{id}/deliveries")) {
            fuzzPath(new Endpoint("GET", path, null), "id");
        }
        fuzzPath(new Endpoint("DELETE", "/api/v1/webhooks/{id}", null), "id");
        fuzzPath(new Endpoint("POST", "/api/v1/webhooks/{id}/deliveries/" + java.util.UUID.randomUUID() + "/redeliver",
                null), "id");
        fuzzQuery(new Endpoint("GET", "/api/v1/webhooks/" + java.util.UUID.randomUUID() + "/deliveries", null), "limit");
        // the variants that were accepted are subscriptions to a closed port: later suites' senders would retry them
        List<String> made = given().header("Authorization", admin).get("/api/v1/webhooks").then().statusCode(200)
                .extract().path("items.id");
        for (String id : made) {
            given().header("Authorization", admin).delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
        assertNoFailures();
    }

    @Test
    void makingNotificationChannels() {
        Endpoint feishu = new Endpoint("POST", "/api/v1/notification-channels", "{\"kind\": \"feishu\","
                + " \"webhookUrl\": \"http://open.feishu.cn/open-apis/bot/v2/hook/fuzz-0000-robot\", \"secret\": \"s\","
                + " \"events\": [\"document.stored\"], \"caseRef\": \"（2026）粤0106民初1234号\", \"description\": \"诉讼部\"}");
        for (String field : List.of("kind", "webhookUrl", "secret", "events", "events[0]", "caseRef", "description")) {
            fuzzBodyField(feishu, field);
        }
        fuzzWholeBody(feishu);
        Endpoint telegram = new Endpoint("POST", "/api/v1/notification-channels", "{\"kind\": \"telegram\","
                + " \"botToken\": \"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\", \"chatId\": \"-1001234567890\","
                + " \"events\": [\"job.failed\"]}");
        for (String field : List.of("botToken", "chatId")) {
            fuzzBodyField(telegram, field);
        }
        for (String path : List.of("/api/v1/notification-channels/{id}", "/api/v1/notification-channels/{id}/deliveries")) {
            fuzzPath(new Endpoint("GET", path, null), "id");
        }
        fuzzPath(new Endpoint("DELETE", "/api/v1/notification-channels/{id}", null), "id");
        // accepted variants name robots no simulator knows: later suites' senders would retry them
        List<String> made = given().header("Authorization", admin).get("/api/v1/notification-channels").then()
                .statusCode(200).extract().path("items.id");
        for (String id : made) {
            given().header("Authorization", admin).delete("/api/v1/notification-channels/" + id).then().statusCode(204);
        }
        assertNoFailures();
    }

    /** Line breaks are legitimate in an SMS as received, and kept. */
    @Test
    void anSmsKeepsItsLineBreaksWhileOtherFieldsRefuseThem() {
        given().header("Authorization", admin).contentType("application/json")
                .body("{\"content\": \"【测试法院】第一行\\r\\n第二行\\t完\"}")
                .post("/api/v1/sms").then().statusCode(201);
        given().header("Authorization", admin).contentType("application/json")
                .body("{\"content\": \"【测试法院】短信\", \"caseRef\": \"a\\nb\"}")
                .post("/api/v1/sms").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("caseRef"));
    }

    /** The case that started the issue: NUL in a caseRef, in a body and in a list filter. */
    @Test
    void nulInACaseRefIsA400NamingTheFieldNotA500() {
        given().header("Authorization", admin).contentType("application/json")
                .body("{\"url\": \"https://sd.gdems.com/v3/dzsd/Nul\", \"caseRef\": \"a\\u0000b\"}")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("caseRef"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("U+0000"));
        given().header("Authorization", admin).urlEncodingEnabled(false)
                .get("/api/v1/jobs?caseRef=a%00b").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("caseRef"));
    }

    // ---- the generators --------------------------------------------------------------------

    /** A string that matters for storage or display, first the fixed edge cases, then random ones. */
    List<String> hostileStrings() {
        List<String> s = new ArrayList<>(List.of("a\u0000b", "\u0000", "\ud800", "x\udc00", "\udc00\ud800", "tab\tx",
                "line\nbreak", "\r\n", "\u0085", "\u007f", "\u009b[31m", "\uffff", "\ufffe", "\ufdd0", "\u202e逆",
                "😀", "（2026）粤0106民初1234号", "", " ", "中".repeat(5000), "x".repeat(70_000), "%00", "' or 1=1 --",
                "<img src=x onerror=alert(1)>", "../../etc/passwd", "null"));
        for (int i = 0; i < TRIES; i++) {
            s.add(randomString());
        }
        return s;
    }

    /** Code points from the whole range, with lone surrogates and controls mixed in. */
    String randomString() {
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 20);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0x20));
                case 1 -> b.append((char) (0xD800 + random.nextInt(0x800)));
                case 2 -> b.append((char) (0x4E00 + random.nextInt(0x5000)));
                case 3 -> b.appendCodePoint(random.nextInt(0x110000 - 0xE000) + (random.nextBoolean() ? 0xE000 : 0));
                default -> b.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return b.toString();
    }

    /** JSON values of every type and size for one field, as JSON text. */
    List<Hostile> hostileJsonValues() {
        List<Hostile> values = new ArrayList<>();
        for (String s : hostileStrings()) {
            values.add(new Hostile(Json.string(s), s));
        }
        for (String raw : List.of("0", "-1", "1", "10", "11", "2147483647", "2147483648", "-2147483649",
                "9223372036854775808", "1e400", "-1e400", "1.5", "-0.0", "1E2", "true", "false", "null", "[]", "{}",
                "[\"a\", 1, null]", "{\"a\": {\"b\": {\"c\": []}}}", "[".repeat(2000) + "]".repeat(2000),
                "{\"x\":".repeat(1500) + "1" + "}".repeat(1500), "[" + "\"13800138000\",".repeat(500) + "\"1\"]")) {
            values.add(new Hostile(raw, null));
        }
        for (int i = 0; i < TRIES; i++) {
            values.add(new Hostile(Long.toString(random.nextLong() >> random.nextInt(64)), null));
        }
        return values;
    }

    /** What goes into a URL: the string's UTF-8 bytes percent-encoded, lone surrogates as CESU bytes, and bad bytes. */
    List<Hostile> hostileUrlValues() {
        List<Hostile> values = new ArrayList<>();
        for (String s : hostileStrings()) {
            if (s.length() <= 1500) {
                values.add(new Hostile(Json.percentEncode(s), s));
            }
        }
        for (String raw : List.of("%FF", "%C0%80", "%ED%A0%80", "%E4%B8")) {
            values.add(new Hostile(raw, "\ud800")); // no UTF-8: refused like a lone surrogate
        }
        for (String raw : List.of("-1", "99999999999999999999",
                "2147483647", "1e3", "0x10", "%2F..%2F", "+", "%20%20")) {
            values.add(new Hostile(raw, null));
        }
        return values;
    }

    // ---- the drivers -----------------------------------------------------------------------

    void fuzzBodyField(Endpoint endpoint, String field) {
        for (Hostile value : hostileJsonValues()) {
            String body = Json.replace(endpoint.body(), field, value.json());
            boolean mustRefuse = value.text() != null && !TextPolicy.acceptable(value.text(), multiLine(endpoint, field));
            send(endpoint, endpoint.path(), body.getBytes(StandardCharsets.UTF_8), Map.of(),
                    mustRefuse ? field : null, field + "=" + abbreviate(value.json()));
        }
        // the same key twice: which one counts would be a guess
        String twice = endpoint.body().replaceFirst("\\{", "{" + Json.string(topLevel(field)) + ": 1, ");
        send(endpoint, endpoint.path(), twice.getBytes(StandardCharsets.UTF_8), Map.of(), null, field + " twice");
    }

    void fuzzWholeBody(Endpoint endpoint) {
        List<byte[]> bodies = new ArrayList<>(List.of(new byte[0], "null".getBytes(), "[]".getBytes(), "\"x\"".getBytes(),
                "{".getBytes(), "{}".getBytes(), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
                "{\"\\u0000\": 1}".getBytes(), "{\"a\": \"\\ud800\"}".getBytes()));
        for (int i = 0; i < TRIES; i++) {
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            bodies.add(junk);
        }
        for (byte[] body : bodies) {
            send(endpoint, endpoint.path(), body, Map.of(), null, "body=" + abbreviate(new String(body, StandardCharsets.ISO_8859_1)));
        }
    }

    void fuzzQuery(Endpoint endpoint, String param) {
        for (Hostile value : hostileUrlValues()) {
            boolean mustRefuse = value.text() != null && !TextPolicy.acceptable(value.text(), TextPolicy.Lines.SINGLE);
            send(endpoint, endpoint.path() + "?" + param + "=" + value.json(), null, Map.of(), mustRefuse ? param : null,
                    param + "=" + abbreviate(value.json()));
        }
    }

    void fuzzPath(Endpoint endpoint, String param) {
        for (Hostile value : hostileUrlValues()) {
            if (value.json().isEmpty() || value.json().length() > 3000) {
                continue; // an empty segment is another route; a longer one is refused by the HTTP layer (414)
            }
            boolean mustRefuse = value.text() != null && !TextPolicy.acceptable(value.text(), TextPolicy.Lines.SINGLE);
            String path = endpoint.path().replace("{" + param + "}", value.json());
            send(endpoint, path, endpoint.body() == null ? null : endpoint.body().getBytes(StandardCharsets.UTF_8),
                    Map.of(), mustRefuse ? param : null, param + "=" + abbreviate(value.json()));
        }
    }

    /**
     * Header values travel as ISO-8859-1 bytes: printable ASCII and the obs-text bytes 0x80-0xFF,
     * which arrive as U+0080-U+00FF, the C1 controls among them. NUL, CR and LF in a header are
     * refused by the HTTP layer before any endpoint (and the client will not send them).
     */
    void fuzzHeader(Endpoint endpoint, String header) {
        List<String> values = new ArrayList<>(List.of("\u0085", "a\u009bb", "\u00ff", "x".repeat(300), "x".repeat(6000),
                " ", "\u0080\u0081"));
        for (int i = 0; i < TRIES; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int j = 0; j < n; j++) {
                b.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5F) : 0x80 + random.nextInt(0x80)));
            }
            values.add(b.toString());
        }
        for (String v : values) {
            boolean latin1 = v.chars().allMatch(c -> c <= 0xFF);
            boolean mustRefuse = latin1 && !TextPolicy.acceptable(v, TextPolicy.Lines.SINGLE);
            send(endpoint, endpoint.path(), endpoint.body() == null ? null : endpoint.body().getBytes(StandardCharsets.UTF_8),
                    Map.of(header, v), mustRefuse ? header : null, header + "=" + abbreviate(v));
        }
    }

    /**
     * One request and the rules every answer keeps. Sent with the JDK's client, which writes the
     * URL and the bytes as given (rest-assured re-encodes both), header values as ISO-8859-1.
     */
    void send(Endpoint endpoint, String path, byte[] body, Map<String, String> headers, String mustName, String what) {
        long[] before = stored();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                // a subject of its own per request: the submit rate limit counts per caller
                .header("Authorization", TestTokens.bearer(TestTokens.token(TENANT, "fuzzer-" + sent++, TestTokens.USER,
                        TestTokens.ADMIN)))
                .method(endpoint.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException | InterruptedException e) {
            failures.add(endpoint.method() + " " + path + " with " + what + ": no answer (" + e + ")");
            return;
        }
        int status = answer.statusCode();
        int[] count = COUNTS.computeIfAbsent(endpoint.method() + " " + endpoint.template(), k -> new int[3]);
        count[0]++;
        String where = endpoint.method() + " " + endpoint.template() + " with " + what + " → " + status;
        if (status >= 500) {
            count[2]++;
            failures.add(where + ": a server error " + abbreviate(answer.body()));
            return;
        }
        if (status < 400) {
            if (mustName != null) {
                failures.add(where + ": accepted text that " + mustName + " may not hold");
            }
            return;
        }
        count[1]++;
        String type = answer.headers().firstValue("Content-Type").orElse(null);
        if (type == null || !type.startsWith("application/problem+json")) {
            failures.add(where + ": a refusal that is not problem+json (" + type + ")");
            return;
        }
        if (mustName != null) {
            List<String> fields = JsonPath.from(answer.body()).getList("errors.field");
            if (status != 400 || fields == null || fields.stream().noneMatch(f -> f.startsWith(mustName))) {
                failures.add(where + ": should be 400 naming " + mustName + ", named " + fields);
            }
        }
        long[] after = stored();
        if (!java.util.Arrays.equals(before, after)) {
            failures.add(where + ": refused, but stored something: " + java.util.Arrays.toString(before) + " → "
                    + java.util.Arrays.toString(after));
        }
    }

    /** Jobs, SMS, remembered Idempotency-Keys and audit rows of the fuzz tenant. */
    long[] stored() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("""
                    select (select count(*) from jobs where tenant = :t), (select count(*) from sms_messages where tenant = :t),
                           (select count(*) from idempotency_keys where tenant = :t),
                           (select count(*) from audit_events where tenant = :t)""")
                    .setParameter("t", TENANT).getSingleResult();
            long[] counts = new long[row.length];
            for (int i = 0; i < row.length; i++) {
                counts[i] = ((Number) row[i]).longValue();
            }
            return counts;
        });
    }

    void assertNoFailures() {
        assertTrue(COUNTS.values().stream().mapToInt(c -> c[0]).sum() > 0, "requests were sent");
        assertEquals(List.of(), failures.stream().limit(20).toList(), failures.size() + " failure(s)");
    }

    static TextPolicy.Lines multiLine(Endpoint endpoint, String field) {
        return endpoint.path().equals("/api/v1/sms") && field.equals("content") ? TextPolicy.Lines.MULTI
                : TextPolicy.Lines.SINGLE;
    }

    static String topLevel(String field) {
        return field.split("[.\\[]")[0];
    }

    static String abbreviate(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + ")" : s;
        return Json.string(shown);
    }

    record Endpoint(String method, String path, String body) {
        String template() {
            return path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
        }
    }

    /** A value as JSON text (or URL text) and, when it is a string, the string itself. */
    record Hostile(String json, String text) {}

    /** Just enough JSON writing to put any value, lone surrogates included, into a body as ASCII. */
    static final class Json {
        static String string(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7E) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }

        /** UTF-8 percent-encoding; a lone surrogate becomes its three CESU-8 bytes, which no decoder should take. */
        static String percentEncode(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)))) {
                    b.append(String.format("%%%02X%%%02X%%%02X", 0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F),
                            0x80 | (c & 0x3F)));
                    continue;
                }
                int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    if ((x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '-' || x == '_') {
                        b.append((char) x);
                    } else {
                        b.append(String.format("%%%02X", x & 0xFF));
                    }
                }
                i = end - 1;
            }
            return b.toString();
        }

        /**
         * {@code template} with the value at {@code field} ({@code a}, {@code a.b}, {@code a.b[0]})
         * replaced by the raw JSON text {@code value}; parsed and written back with a tiny model.
         */
        static String replace(String template, String field, String value) {
            Object root = Parser.parse(template);
            String[] steps = field.split("\\.");
            Object node = root;
            for (int i = 0; i < steps.length; i++) {
                String step = steps[i];
                int bracket = step.indexOf('[');
                String key = bracket < 0 ? step : step.substring(0, bracket);
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) node;
                boolean last = i == steps.length - 1;
                if (bracket < 0) {
                    if (last) {
                        object.put(key, new Raw(value));
                    } else {
                        node = object.get(key);
                    }
                } else {
                    int index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) object.get(key);
                    if (last) {
                        list.set(index, new Raw(value));
                    } else {
                        node = list.get(index);
                    }
                }
            }
            return write(root);
        }

        record Raw(String json) {}

        static String write(Object o) {
            if (o instanceof Raw r) {
                return r.json();
            }
            if (o instanceof String s) {
                return string(s);
            }
            if (o instanceof Map<?, ?> m) {
                StringBuilder b = new StringBuilder("{");
                m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(string((String) k)).append(": ").append(write(v)));
                return b.append('}').toString();
            }
            if (o instanceof List<?> l) {
                StringBuilder b = new StringBuilder("[");
                l.forEach(v -> b.append(b.length() > 1 ? ", " : "").append(write(v)));
                return b.append(']').toString();
            }
            return String.valueOf(o);
        }

        /** Reads the templates above (objects, arrays, strings, numbers, booleans). */
        static final class Parser {
            private final String s;
            private int i;

            private Parser(String s) {
                this.s = s;
            }

            static Object parse(String s) {
                return new Parser(s).value();
            }

            private Object value() {
                skip();
                char c = s.charAt(i);
                if (c == '{') {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    skip();
                    while (s.charAt(i) != '}') {
                        String k = (String) value();
                        skip();
                        i++; // :
                        m.put(k, value());
                        skip();
                        if (s.charAt(i) == ',') {
                            i++;
                            skip();
                        }
                    }
                    i++;
                    return m;
                }
                if (c == '[') {
                    List<Object> l = new ArrayList<>();
                    i++;
                    skip();
                    while (s.charAt(i) != ']') {
                        l.add(value());
                        skip();
                        if (s.charAt(i) == ',') {
                            i++;
                            skip();
                        }
                    }
                    i++;
                    return l;
                }
                if (c == '"') {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (s.charAt(i) != '"') {
                        char x = s.charAt(i++);
                        if (x == '\\') {
                            char e = s.charAt(i++);
                            b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                        } else {
                            b.append(x);
                        }
                    }
                    i++;
                    return b.toString();
                }
                int start = i;
                while (i < s.length() && ",}] \n".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                return new Raw(s.substring(start, i));
            }

            private void skip() {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
            }
        }
    }
}
