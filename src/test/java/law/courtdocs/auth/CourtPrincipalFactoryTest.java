package law.courtdocs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

class CourtPrincipalFactoryTest {

    /** A fresh copy each call (a principal may rewrite its claims); fixed times, so copies are equal. */
    private static JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer("https://court-docs.invalid/test-issuer");
        c.setSubject("user@金杜");
        c.setAudience("court-docs");
        c.setIssuedAt(NumericDate.fromSeconds(1_800_000_000L));
        c.setExpirationTime(NumericDate.fromSeconds(1_800_000_300L));
        c.setJwtId("jti-1");
        c.setStringListClaim("groups", "court-user", "court-admin");
        c.setClaim("tenant", "金杜律师事务所");
        c.setClaim("upn", "lawyer@jindu.cn");
        c.setClaim("office", 7);
        return c;
    }

    @Test
    void everyClaimReadsAsSmallRyesOwnPrincipalReadsIt() {
        JsonWebToken ours = new CourtPrincipalFactory.CourtPrincipal("JWT", claims());
        JsonWebToken theirs = new DefaultJWTCallerPrincipal("JWT", claims());
        List<String> names = new ArrayList<>(List.of("tenant", "office", "no-such-claim", "Sub", ""));
        for (Claims standard : Claims.values()) {
            names.add(standard.name());
        }
        for (String name : names) {
            assertEquals(Objects.toString(theirs.getClaim(name)), Objects.toString(ours.getClaim(name)), name);
        }
        assertEquals(theirs.getGroups(), ours.getGroups());
        assertEquals(theirs.getName(), ours.getName());
        assertEquals("金杜律师事务所", ours.getClaim("tenant"));
    }

    @Test
    void aNameThatIsNoStandardClaimIsUnknownAndAStandardOneIsItself() {
        CourtPrincipalFactory.CourtPrincipal p = new CourtPrincipalFactory.CourtPrincipal("JWT", claims());
        assertEquals(Claims.UNKNOWN, p.getClaimType("tenant"));
        assertEquals(Claims.UNKNOWN, p.getClaimType(null));
        assertEquals(Claims.sub, p.getClaimType("sub"));
        assertEquals(Claims.exp, p.getClaimType("exp"));
        assertEquals(Claims.groups, p.getClaimType("groups"));
    }
}
