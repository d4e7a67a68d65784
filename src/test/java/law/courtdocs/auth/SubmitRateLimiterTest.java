package law.courtdocs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import law.courtdocs.api.ApiProblem;
import org.junit.jupiter.api.Test;

/** The token bucket with a clock the test moves. */
class SubmitRateLimiterTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    void advanceSeconds(double s) {
        now.addAndGet((long) (s * TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void aFullMinuteAtOnceThenOnePerRefillInterval() {
        SubmitRateLimiter limiter = new SubmitRateLimiter(120, now::get);
        for (int i = 0; i < 120; i++) {
            assertEquals(0, limiter.tryAcquire("acme/alice"), "submission " + (i + 1));
        }
        assertEquals(1, limiter.tryAcquire("acme/alice"), "half a second to the next token, rounded up");
        advanceSeconds(0.49);
        assertEquals(1, limiter.tryAcquire("acme/alice"));
        advanceSeconds(0.02);
        assertEquals(0, limiter.tryAcquire("acme/alice"));
        assertEquals(1, limiter.tryAcquire("acme/alice"));
        advanceSeconds(30);
        for (int i = 0; i < 60; i++) {
            assertEquals(0, limiter.tryAcquire("acme/alice"), "refilled submission " + (i + 1));
        }
        assertEquals(1, limiter.tryAcquire("acme/alice"));
    }

    @Test
    void idleTimeNeverBanksMoreThanOneMinute() {
        SubmitRateLimiter limiter = new SubmitRateLimiter(10, now::get);
        advanceSeconds(3600);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, limiter.tryAcquire("k"));
        }
        assertEquals(6, limiter.tryAcquire("k"), "10 a minute: one every 6 s");
    }

    @Test
    void callersAreCountedApartAndTheProblemCarriesRetryAfter() {
        SubmitRateLimiter limiter = new SubmitRateLimiter(1, now::get);
        Caller alice = new Caller("alice", "acme", Set.of(), "127.0.0.1");
        Caller aliceElsewhere = new Caller("alice", "globex", Set.of(), "127.0.0.1");
        Caller bob = new Caller("bob", "acme", Set.of(), "127.0.0.1");
        limiter.acquire(alice);
        limiter.acquire(aliceElsewhere);
        limiter.acquire(bob);
        ApiProblem p = assertThrows(ApiProblem.class, () -> limiter.acquire(alice));
        assertEquals(429, p.status());
        assertEquals("60", p.headers().get("Retry-After"));
    }
}
