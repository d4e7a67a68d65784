package law.courtdocs.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * SmallRye JWT's own factory, verifying exactly as it does, but its principals look up a claim
 * name without an exception. SmallRye asks {@code Claims.valueOf(name)} on every
 * {@code getClaim} and catches the {@link IllegalArgumentException} for a name that is not a
 * standard claim; {@link CurrentCaller} reads the non-standard {@code tenant} claim on every
 * request, and building that exception's stack trace was about 3 % of the api's CPU under load
 * (async-profiler, bench API phase, 2026-12-05).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CourtPrincipalFactory extends JWTCallerPrincipalFactory {

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        JwtContext verified = parser.parse(token, context);
        String type = verified.getJoseObjects().get(0).getHeader("typ");
        return new CourtPrincipal(type, verified.getJwtClaims());
    }

    /** SmallRye's principal with a map lookup where it had {@code Claims.valueOf} and a catch. */
    static final class CourtPrincipal extends DefaultJWTCallerPrincipal {

        private static final Map<String, Claims> STANDARD = Arrays.stream(Claims.values())
                .collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

        CourtPrincipal(String tokenType, JwtClaims claims) {
            super(tokenType, claims);
        }

        @Override
        protected Claims getClaimType(String name) {
            return name == null ? Claims.UNKNOWN : STANDARD.getOrDefault(name, Claims.UNKNOWN);
        }
    }
}
