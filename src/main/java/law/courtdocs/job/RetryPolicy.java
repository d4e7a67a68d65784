package law.courtdocs.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt is tried again. Transient faults back off exponentially with jitter (so a
 * portal outage does not bring every job back in the same second); "not uploaded yet" is asked
 * again on its own slow schedule until a deadline; permanent faults are never retried.
 */
public final class RetryPolicy {

    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final Duration notReadyDelay;
    private final Duration notReadyGiveUpAfter;
    private final RandomGenerator random;

    public RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay, Duration notReadyDelay,
            Duration notReadyGiveUpAfter, RandomGenerator random) {
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.notReadyDelay = notReadyDelay;
        this.notReadyGiveUpAfter = notReadyGiveUpAfter;
        this.random = random;
    }

    /**
     * @param attemptsSoFar attempts made, including the one that just failed
     * @return when to try again, or empty to fail the job now
     */
    public Optional<Instant> nextAttempt(ErrorCode code, int attemptsSoFar, int maxAttempts, Instant createdAt,
            Instant now) {
        return switch (code.kind()) {
            case PERMANENT -> Optional.empty();
            case NOT_READY -> {
                Instant next = now.plus(notReadyDelay);
                yield next.isAfter(createdAt.plus(notReadyGiveUpAfter)) ? Optional.empty() : Optional.of(next);
            }
            case TRANSIENT -> attemptsSoFar >= maxAttempts
                    ? Optional.empty()
                    : Optional.of(now.plus(backoff(attemptsSoFar)));
        };
    }

    /** Delay before attempt {@code attemptsSoFar + 1}: initial × multiplier^(n-1), capped, ±20 % jitter. */
    Duration backoff(int attemptsSoFar) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attemptsSoFar - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.round(Math.min(capped * jitter, maxDelay.toMillis())));
    }
}
