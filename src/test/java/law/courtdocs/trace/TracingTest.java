package law.courtdocs.trace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: one trace per job, from the submit through the outbox and RabbitMQ (the traceparent
 * in the message's headers) to the worker's attempt and its portal step; the attempt record
 * names the trace.
 */
@QuarkusTest
@TestProfile(TracingTest.Sampled.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class TracingTest {

    /** As with an OTLP endpoint set: every trace is kept. */
    public static class Sampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1.0");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theWorkersAttemptSpanIsAChildOfTheSubmitSpan() throws Exception {
        spans.reset();
        List<ExtLogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r instanceof ExtLogRecord ext) {
                    ext.copyMdc();
                    records.add(ext);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("law.courtdocs").addHandler(capture);
        String admin = TestTokens.admin("trace-" + UUID.randomUUID().toString().substring(0, 8));
        String link = SimulatorResource.sim().zxfw().addDelivery(List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("traced judgment"))));
        String id = Jobs.submitAs(admin, Map.of("url", link));
        Jobs.awaitStatusAs(admin, id, Duration.ofSeconds(90), "SUCCEEDED");

        SpanData attempt = await(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("job attempt"))
                .filter(s -> id.equals(s.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("court.job.id")).map(e -> String.valueOf(e.getValue()))
                        .findFirst().orElse(null)))
                .findFirst());
        SpanData submit = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(attempt.getTraceId()))
                .findFirst().orElseThrow(() -> new AssertionError("no server span in the attempt's trace: "
                        + names(spans.getFinishedSpanItems())));
        assertTrue(submit.getName().contains("/api/v1/jobs"), submit.getName());
        assertEquals(submit.getSpanId(), attempt.getParentSpanId(), "the worker's attempt continues the submit");
        assertEquals(SpanKind.CONSUMER, attempt.getKind());

        SpanData portal = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("portal zxfw") && s.getParentSpanId().equals(attempt.getSpanId()))
                .findFirst().orElseThrow(() -> new AssertionError("no portal step under the attempt: "
                        + names(spans.getFinishedSpanItems())));
        assertEquals(attempt.getTraceId(), portal.getTraceId());

        // the worker's own lines about the attempt carry its trace id (MDC traceId, in the JSON logs' "mdc")
        Logger.getLogger("law.courtdocs").removeHandler(capture);
        List<ExtLogRecord> workerLines = records.stream()
                .filter(r -> String.valueOf(r.getFormattedMessage()).contains(id)
                        && r.getLoggerName().startsWith("law.courtdocs.worker"))
                .toList();
        assertTrue(!workerLines.isEmpty(), "the worker logged the attempt");
        for (ExtLogRecord r : workerLines) {
            assertEquals(attempt.getTraceId(), r.getMdc("traceId"), r.getFormattedMessage());
        }

        given().header("Authorization", TestTokens.bearer(admin)).get("/api/v1/jobs/" + id + "/attempts")
                .then().statusCode(200)
                .body("[0].traceId", org.hamcrest.Matchers.equalTo(attempt.getTraceId()));
    }

    private static SpanData await(java.util.function.Supplier<Optional<SpanData>> find) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(15);
        Optional<SpanData> found = find.get();
        while (found.isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
            found = find.get();
        }
        return found.orElseThrow(() -> new AssertionError("no job attempt span"));
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> s.getKind() + " " + s.getName()).toList();
    }
}
