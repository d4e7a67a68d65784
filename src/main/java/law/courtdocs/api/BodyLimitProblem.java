package law.courtdocs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code quarkus.http.limits.max-body-size} is enforced by Vert.x before any resource runs, with
 * an empty 413. This route runs just before that check and answers a body whose declared
 * {@code Content-Length} is too large with a problem+json 413 instead. (A chunked body without a
 * length that grows past the limit still gets Quarkus' bare 413.)
 */
@ApplicationScoped
public class BodyLimitProblem {

    void install(@Observes Router router, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        long limit = max.asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            if (declaredLength(ctx) > limit) {
                refuse(ctx, json, limit);
            } else {
                ctx.next();
            }
        });
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself rejects a malformed length
        }
    }

    private static void refuse(RoutingContext ctx, ObjectMapper json, long limit) {
        String body;
        try {
            body = json.writeValueAsString(ProblemMappers.body(413, "Payload Too Large",
                    "the request body is larger than " + limit + " bytes", ctx.request().path(), List.of()));
        } catch (JsonProcessingException impossible) {
            body = "";
        }
        // The client is still sending the body we will not read: close the connection after answering.
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMappers.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
