package law.courtdocs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    final Instant created = Instant.parse("2026-11-25T00:00:00Z");
    final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofDays(3), new Random(42));

    @Test
    void permanentFailuresAreNeverRetried() {
        assertEquals(Optional.empty(), policy.nextAttempt(ErrorCode.LINK_EXPIRED, 1, 5, created, created));
        assertEquals(Optional.empty(), policy.nextAttempt(ErrorCode.UNSAFE_CONTENT, 1, 5, created, created));
    }

    @Test
    void transientFailuresBackOffExponentiallyWithJitterUpToTheCap() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            long expected = 30_000L << (attempt - 1);
            long delay = policy.backoff(attempt).toMillis();
            assertTrue(delay >= expected * 0.8 && delay <= expected * 1.2, "attempt " + attempt + ": " + delay);
        }
        assertTrue(policy.backoff(20).compareTo(Duration.ofMinutes(30)) <= 0, "capped");
    }

    @Test
    void transientFailuresStopAfterMaxAttempts() {
        assertTrue(policy.nextAttempt(ErrorCode.TIMEOUT, 4, 5, created, created).isPresent());
        assertEquals(Optional.empty(), policy.nextAttempt(ErrorCode.TIMEOUT, 5, 5, created, created));
    }

    @Test
    void notReadyIsAskedAgainHoursLaterRegardlessOfAttemptsUntilTheDeadline() {
        Instant now = created.plus(Duration.ofHours(10));
        assertEquals(Optional.of(now.plus(Duration.ofHours(2))),
                policy.nextAttempt(ErrorCode.DOCUMENTS_NOT_READY, 20, 5, created, now));
        Instant late = created.plus(Duration.ofDays(3)).minus(Duration.ofHours(1));
        assertEquals(Optional.empty(), policy.nextAttempt(ErrorCode.DOCUMENTS_NOT_READY, 30, 5, created, late));
    }
}
