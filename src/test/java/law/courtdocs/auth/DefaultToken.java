package law.courtdocs.auth;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.time.Duration;
import java.time.Instant;

/**
 * Gives every rest-assured request in a {@code @QuarkusTest} a user token of tenant
 * {@value TestTokens#DEFAULT_TENANT} unless it sets its own {@code Authorization} header, so tests
 * that are not about authentication read as before. A request with {@link TestTokens#NO_TOKEN}
 * goes out with no token. Installed before each test through the Quarkus callback SPI
 * ({@code META-INF/services}); installing is idempotent.
 */
public class DefaultToken implements QuarkusTestBeforeEachCallback, Filter {

    static final String NO_TOKEN_HEADER = "X-Test-No-Token";
    static final String DEFAULT_SUBJECT = "user@" + TestTokens.DEFAULT_TENANT;

    private static String token;
    private static Instant renewAfter = Instant.MIN;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    /**
     * Adds the filter to rest-assured's global filters once. Packaged-jar tests
     * ({@code @QuarkusIntegrationTest}) call this themselves: there the callback may run against
     * another class loader's rest-assured than the test's.
     */
    public static void install() {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof DefaultToken)) {
            RestAssured.filters(new DefaultToken());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext ctx) {
        if (request.getHeaders().hasHeaderWithName(NO_TOKEN_HEADER)) {
            request.removeHeader(NO_TOKEN_HEADER);
        } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", TestTokens.bearer(current()));
        }
        return ctx.next(request, response);
    }

    private static synchronized String current() {
        if (Instant.now().isAfter(renewAfter)) {
            token = TestTokens.token(TestTokens.DEFAULT_TENANT, DEFAULT_SUBJECT, TestTokens.USER);
            renewAfter = Instant.now().plus(Duration.ofMinutes(30)); // tokens live an hour
        }
        return token;
    }
}
