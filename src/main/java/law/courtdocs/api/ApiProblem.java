package law.courtdocs.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client error to answer as {@code application/problem+json} (RFC 9457). Thrown by resources;
 * turned into a response by {@link ProblemMappers}.
 */
public class ApiProblem extends RuntimeException {

    public record FieldError(String field, String message) {}

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "Not Found", what + " does not exist");
    }

    /** A response header to send with the problem, e.g. {@code Retry-After}. */
    public ApiProblem withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
