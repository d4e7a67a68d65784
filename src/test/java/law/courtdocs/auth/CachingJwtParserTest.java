package law.courtdocs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class CachingJwtParserTest {

    private static final long T0 = 1_800_000_000_000L;

    /** Answers like the real parser would after checking a signature: counts the checks. */
    private static final class CountingParser extends DefaultJWTParser {
        final Map<String, Long> expirySeconds = new HashMap<>();
        int checks;

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            checks++;
            Long exp = expirySeconds.get(token);
            if (exp == null) {
                throw new ParseException("signature refused");
            }
            return jwt(exp);
        }

        @Override
        public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
            return parse(token);
        }
    }

    private static final class MovableClock extends Clock {
        long millis = T0;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final CountingParser real = new CountingParser();
    private final MovableClock clock = new MovableClock();
    private final CachingJwtParser parser = new CachingJwtParser(real, clock);

    @Test
    void aVerifiedTokenIsCheckedOnceAMinute() throws Exception {
        real.expirySeconds.put("a.b.c", T0 / 1000 + 3600);
        JsonWebToken first = parser.parse("a.b.c");
        clock.millis += 59_000;
        assertSame(first, parser.parse("a.b.c"));
        assertEquals(1, real.checks);
        clock.millis += 1_000;
        parser.parse("a.b.c");
        assertEquals(2, real.checks);
    }

    @Test
    void anEntryEndsWithTheTokensExpiry() throws Exception {
        real.expirySeconds.put("a.b.c", T0 / 1000 + 10);
        parser.parse("a.b.c");
        clock.millis += 9_999;
        parser.parse("a.b.c");
        assertEquals(1, real.checks);
        clock.millis += 1;
        // past exp the real parser decides again (here: it refuses)
        real.expirySeconds.remove("a.b.c");
        assertThrows(ParseException.class, () -> parser.parse("a.b.c"));
        assertEquals(2, real.checks);
    }

    @Test
    void refusedAndChangedTokensAreCheckedEveryTime() throws Exception {
        assertThrows(ParseException.class, () -> parser.parse("a.b.forged"));
        assertThrows(ParseException.class, () -> parser.parse("a.b.forged"));
        assertEquals(2, real.checks);
        real.expirySeconds.put("a.b.c", T0 / 1000 + 3600);
        parser.parse("a.b.c");
        assertThrows(ParseException.class, () -> parser.parse("a.b.c2"));
        assertEquals(4, real.checks);
    }

    @Test
    void anExpiredTokenIsNeverRemembered() throws Exception {
        // within the real parser's clock-skew allowance it may still pass; it is then checked each time
        real.expirySeconds.put("a.b.c", T0 / 1000 - 5);
        parser.parse("a.b.c");
        parser.parse("a.b.c");
        assertEquals(2, real.checks);
    }

    private static JsonWebToken jwt(long expSeconds) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "user@acme";
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return "exp".equals(claimName) ? (T) Long.valueOf(expSeconds) : null;
            }

            @Override
            public long getExpirationTime() {
                return expSeconds;
            }
        };
    }
}
