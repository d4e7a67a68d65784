package law.courtdocs.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token check Quarkus runs on every request, remembering for a minute the tokens that
 * passed it. A client (the case-management backend, a person's browser) sends the same token with
 * every request until it expires; verifying its RS256 signature and parsing its claims again each
 * time was about half of the event loop's CPU per submit (bench profile, 2026-12-05).
 *
 * <p>Only verified tokens are remembered, keyed by the whole token text (so a changed signature or
 * claim is a different key and is verified afresh); an entry ends at {@link #TTL_MILLIS} or at the
 * token's {@code exp}, whichever is first. The minute bounds how long a token signed by a key
 * the identity provider has just withdrawn stays accepted on top of what its own expiry allows.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    static final long TTL_MILLIS = 60_000;
    /** Distinct live tokens per pod are few (one per session or service); this only bounds memory. */
    static final int MAX_ENTRIES = 10_000;

    private record Verified(JsonWebToken jwt, long untilMillis) {}

    private final JWTParser delegate;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    public CachingJwtParser(DefaultJWTParser delegate) {
        this(delegate, Clock.systemUTC());
    }

    CachingJwtParser(JWTParser delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = clock.millis();
        Verified hit = verified.get(token);
        if (hit != null) {
            if (now < hit.untilMillis()) {
                return hit.jwt();
            }
            verified.remove(token, hit);
        }
        JsonWebToken jwt = delegate.parse(token);
        long until = Math.min(now + TTL_MILLIS, jwt.getExpirationTime() * 1000);
        if (until > now) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, new Verified(jwt, until));
        }
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
