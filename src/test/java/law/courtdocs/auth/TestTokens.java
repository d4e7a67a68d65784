package law.courtdocs.auth;

import io.restassured.http.Header;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens for tests, signed with the committed TEST-ONLY key pair in
 * {@code src/test/resources/auth/} that {@code %test} trusts. The private key is public: it must
 * never be trusted outside tests and dev mode.
 */
public final class TestTokens {

    /** {@code %test.mp.jwt.verify.issuer}. */
    public static final String ISSUER = "https://court-docs.invalid/test-issuer";

    public static final String USER = "court-user";
    public static final String ADMIN = "court-admin";
    public static final String SERVICE = "court-service";

    /** The tenant of the token {@link DefaultToken} adds to every request that names none. */
    public static final String DEFAULT_TENANT = "acme";

    /** A marker header: the request goes out with no Authorization header at all (see {@link DefaultToken}). */
    public static final Header NO_TOKEN = new Header(DefaultToken.NO_TOKEN_HEADER, "1");

    private static final PrivateKey KEY = readPrivateKey("auth/TEST-ONLY-jwt-private-key.pem");

    private TestTokens() {}

    public static String user(String tenant) {
        return token(tenant, "user@" + tenant, USER);
    }

    public static String admin(String tenant) {
        return token(tenant, "admin@" + tenant, ADMIN);
    }

    public static String service(String tenant) {
        return token(tenant, "service@" + tenant, SERVICE);
    }

    /** A valid token for {@code subject} of {@code tenant} with the given groups. */
    public static String token(String tenant, String subject, String... groups) {
        return claims(subject, groups).claim("tenant", tenant).sign(KEY);
    }

    /** Valid and with a role, but without the tenant claim. */
    public static String withoutTenant() {
        return claims("nobody", USER).sign(KEY);
    }

    /** Expired ten minutes ago (beyond the default 60 s clock skew). */
    public static String expired() {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).subject("user@acme").groups(USER).claim("tenant", "acme")
                .issuedAt(now.minusSeconds(3600)).expiresAt(now.minusSeconds(600)).sign(KEY);
    }

    public static String wrongIssuer() {
        return Jwt.issuer("https://someone-else.invalid").subject("user@acme").groups(USER).claim("tenant", "acme")
                .expiresIn(3600).sign(KEY);
    }

    /** Well-formed and otherwise valid, signed by a key nobody trusts. */
    public static String wrongKey() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return claims("user@acme", USER).claim("tenant", "acme").sign(gen.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JwtClaimsBuilder claims(String subject, String... groups) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(groups)).expiresIn(3600);
    }

    private static PrivateKey readPrivateKey(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test key " + resource + " missing");
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read test key " + resource, e);
        }
    }
}
