package law.courtdocs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What this process did, as counters and a histogram on {@code /q/metrics} (management port).
 * Prometheus names: {@code court_attempt_seconds} (histogram by portal and outcome),
 * {@code court_documents_stored_total}, {@code court_documents_stored_bytes_total},
 * {@code court_captcha_waits_total}, {@code court_browser_recycles_total},
 * {@code court_browser_crashes_total}. Label values are bounded: portal ids and outcome codes.
 */
@ApplicationScoped
public class CourtMetrics {

    /** Attempt durations seen: a zxfw API call takes ~0.2 s, a browser portal seconds, a slow one minutes. */
    private static final Duration[] ATTEMPT_BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final MeterRegistry registry;

    public CourtMetrics(MeterRegistry registry) {
        this.registry = registry;
        // there from the start, at 0, so that an alert on their rate sees the first one
        browserCounter(true);
        browserCounter(false);
    }

    /**
     * One attempt ended: {@code outcome} is {@code SUCCEEDED}, an error code, {@code CAPTCHA}
     * (parked for a person) or {@code CANCELLED}.
     */
    public void attemptFinished(String portal, String outcome, long nanos) {
        Timer.builder("court.attempt")
                .description("Duration of job attempts in the worker, by portal and outcome")
                .tags("portal", portal, "outcome", outcome)
                .serviceLevelObjectives(ATTEMPT_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(250))
                .maximumExpectedValue(Duration.ofSeconds(300))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    public void documentStored(String portal, long bytes) {
        Counter.builder("court.documents.stored").description("Documents stored").tag("portal", portal)
                .register(registry).increment();
        Counter.builder("court.documents.stored.bytes").description("Bytes of documents stored").baseUnit("bytes")
                .tag("portal", portal).register(registry).increment(bytes);
    }

    /** A job parked to wait for a person to read its captcha. */
    public void captchaWait(String portal) {
        Counter.builder("court.captcha.waits").description("Jobs parked for a person to answer a captcha")
                .tag("portal", portal).register(registry).increment();
    }

    /** A worker's browser was replaced: {@code crashed} when it died or was discarded, else after its job count. */
    public void browserReplaced(boolean crashed) {
        browserCounter(crashed).increment();
    }

    private Counter browserCounter(boolean crashed) {
        return Counter.builder(crashed ? "court.browser.crashes" : "court.browser.recycles")
                .description(crashed ? "Browsers discarded after a crash or a lost connection"
                        : "Browsers recycled after court.browser.recycle-after jobs")
                .register(registry);
    }
}
