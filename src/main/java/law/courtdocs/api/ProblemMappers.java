package law.courtdocs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.text.TextPolicy;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the API as {@code application/problem+json}: no HTML pages, no stack traces.
 * Field errors name the JSON field so a frontend can put the message next to the input.
 */
public class ProblemMappers {

    public static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper json;

    public ProblemMappers(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p, UriInfo uri) {
        Response.ResponseBuilder r = builder(p.status(), p.title(), p.getMessage(), uri, p.errors());
        p.headers().forEach(r::header);
        return r.build();
    }

    /** No token: Quarkus would answer a bare 401. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return builder(401, "Unauthorized", "a bearer token is required", uri, List.of())
                .header("WWW-Authenticate", "Bearer").build();
    }

    /**
     * A token that fails verification: bad signature, expired, wrong issuer, not a JWT. The reason
     * stays out of the answer and out of the log (it may quote the token).
     */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return builder(401, "Unauthorized", "the bearer token is not valid", uri, List.of())
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }

    /** A valid token without the role the endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "Forbidden", "the token's roles do not allow this request", uri, List.of());
    }

    /** Quarkus' own, more specific type for violations on resource parameters. */
    @ServerExceptionMapper
    public Response invalidParameter(ResteasyReactiveViolationException e, UriInfo uri) {
        return invalid(e, uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<ApiProblem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiProblem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(java.util.Comparator.comparing(ApiProblem.FieldError::field))
                .toList();
        String detail = errors.stream().map(ApiProblem.FieldError::message).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return problem(400, "Invalid request", detail, uri, errors);
    }

    /** Quarkus ships mappers for these Jackson types that answer plain JSON; ours win. */
    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? jsonPath(m) : null;
        if (e instanceof StrictJson.Refused refused) {
            String name = field == null ? "body" : field;
            return problem(400, "Invalid request", name + " " + refused.reason(), uri,
                    List.of(new ApiProblem.FieldError(name, name + " " + refused.reason())));
        }
        Matcher duplicate = DUPLICATE_KEY.matcher(String.valueOf(e.getOriginalMessage()));
        if (field == null && duplicate.find()) {
            // our own text for it: Jackson's message quotes the body around the key
            String name = TextPolicy.clean(duplicate.group(1));
            return problem(400, "Malformed JSON", "field " + name + " appears more than once", uri,
                    List.of(new ApiProblem.FieldError(name, "appears more than once")));
        }
        List<ApiProblem.FieldError> errors = field == null ? List.of()
                : List.of(new ApiProblem.FieldError(field, "wrong type or format"));
        return problem(400, "Malformed JSON", field == null ? "the request body is not valid JSON"
                : "field " + field + " has the wrong type or format", uri, errors);
    }

    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '(.*)'$", Pattern.DOTALL);

    /** {@code credentials.phones[0]}: the field as the caller's JSON names it. */
    private static String jsonPath(JsonMappingException m) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(TextPolicy.clean(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response r = e.getResponse();
        int status = r.getStatus();
        if (status >= 500) {
            Log.errorf(e, "request to %s failed", uri.getPath());
            return problem(status, "Server error", "the request could not be completed", uri, List.of());
        }
        String title = r.getStatusInfo().getReasonPhrase();
        String detail = e.getMessage() == null ? title : e.getMessage();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return unreadableJson(jpe, uri);
        }
        return problem(status, title, detail, uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        Log.errorf(e, "request to %s failed", uri.getPath());
        return problem(500, "Server error", "the request could not be completed", uri, List.of());
    }

    private Response problem(int status, String title, String detail, UriInfo uri,
            List<ApiProblem.FieldError> errors) {
        return builder(status, title, detail, uri, errors).build();
    }

    private Response.ResponseBuilder builder(int status, String title, String detail, UriInfo uri,
            List<ApiProblem.FieldError> errors) {
        Map<String, Object> body = body(status, title, detail, uri == null ? null : uri.getPath(), errors);
        try {
            return Response.status(status).type(PROBLEM_JSON).entity(json.writeValueAsString(body));
        } catch (JsonProcessingException impossible) {
            return Response.status(status);
        }
    }

    /** The RFC 9457 members every problem of ours has. */
    static Map<String, Object> body(int status, String title, String detail, String instance,
            List<ApiProblem.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    /**
     * {@code submit.body.url} → {@code url}, {@code submit.body.credentials.phones[0].<list element>}
     * → {@code credentials.phones[0]}: the JSON field, not the Java call path.
     */
    static String fieldOf(ConstraintViolation<?> v) {
        return fieldOf(v.getPropertyPath().toString());
    }

    static String fieldOf(String path) {
        String[] parts = path.split("\\.");
        if (parts.length < 3) {
            return parts[parts.length - 1];
        }
        return java.util.Arrays.stream(parts, 2, parts.length).filter(p -> !p.startsWith("<"))
                .collect(java.util.stream.Collectors.joining("."));
    }
}
