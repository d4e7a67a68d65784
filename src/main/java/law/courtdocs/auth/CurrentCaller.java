package law.courtdocs.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import java.util.Set;
import law.courtdocs.api.ApiProblem;
import law.courtdocs.config.CourtConfig;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The request's {@link Caller}, built from the verified JWT. The one place that reads the tenant
 * claim: a token without one is refused (403) before any query runs.
 */
@RequestScoped
public class CurrentCaller {

    /** Longest tenant name we store (the {@code tenant} columns are varchar(128)). */
    static final int MAX_TENANT_LENGTH = 128;

    private final JsonWebToken jwt;
    private final HttpServerRequest request;
    private final CourtConfig.Auth settings;
    private Caller caller;

    public CurrentCaller(JsonWebToken jwt, HttpServerRequest request, CourtConfig config) {
        this.jwt = jwt;
        this.request = request;
        this.settings = config.auth();
    }

    /** @throws ApiProblem 403 when the token names no tenant */
    public Caller get() {
        if (caller == null) {
            caller = build();
        }
        return caller;
    }

    private Caller build() {
        String tenant = text(jwt.getClaim(settings.tenantClaim()));
        if (tenant == null || tenant.isBlank() || tenant.length() > MAX_TENANT_LENGTH) {
            throw new ApiProblem(403, "Forbidden", "the token names no tenant (claim " + settings.tenantClaim() + ")");
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        if (subject == null || subject.isBlank()) {
            throw new ApiProblem(403, "Forbidden", "the token names no subject");
        }
        Set<String> groups = jwt.getGroups() == null ? Set.of() : Set.copyOf(jwt.getGroups());
        return new Caller(subject, tenant, groups, ClientAddress.of(request, settings.trustForwardedFor()));
    }

    private static String text(Object claim) {
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        return null;
    }
}
