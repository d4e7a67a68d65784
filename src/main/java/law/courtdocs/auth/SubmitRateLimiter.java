package law.courtdocs.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import law.courtdocs.api.ApiProblem;
import law.courtdocs.config.CourtConfig;

/**
 * Per-caller submit limit ({@code court.auth.submit-rate-per-minute}): a token bucket per tenant +
 * subject that holds a minute's allowance and refills continuously. Kept in memory on each API
 * pod, so with N pods behind a load balancer a caller may reach up to N times the limit; that is
 * enough to stop a runaway client without a shared store.
 */
@ApplicationScoped
public class SubmitRateLimiter {

    /** Above this many callers, full (idle) buckets are dropped: they would allow a full minute anyway. */
    static final int PRUNE_ABOVE = 10_000;

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public SubmitRateLimiter(CourtConfig config) {
        this(config.auth().submitRatePerMinute(), System::nanoTime);
    }

    SubmitRateLimiter(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("court.auth.submit-rate-per-minute must be at least 1");
        }
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.nanoTime = nanoTime;
    }

    /** Takes one submission from the caller's allowance. @throws ApiProblem 429 with Retry-After when none is left */
    public void acquire(Caller caller) {
        long waitSeconds = tryAcquire(caller.tenant() + '\u0000' + caller.subject());
        if (waitSeconds > 0) {
            throw new ApiProblem(429, "Too Many Requests",
                    "more than " + (long) capacity + " submissions a minute; try again in " + waitSeconds + " s")
                    .withHeader("Retry-After", String.valueOf(waitSeconds));
        }
    }

    /** @return 0 if a token was taken, else the whole seconds until one is there */
    long tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(now)).take(now);
    }

    private final class Bucket {
        private double tokens = capacity;
        private long updated;

        Bucket(long now) {
            updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double seconds = (1 - tokens) * 60 / capacity;
            return Math.max(1, (long) Math.ceil(seconds - 1e-9));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }
    }
}
