package law.courtdocs.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import law.courtdocs.text.TextPolicy;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The URL's side of {@link StrictJson}: every query and path parameter of every endpoint, and
 * the request headers the service reads, pass {@link TextPolicy} before the endpoint runs. A
 * refusal answers 400 naming the parameter; nothing reaches the database.
 */
public class TextParameters {

    /** The headers any endpoint reads (and may store, like Idempotency-Key). */
    static final List<String> HEADERS_READ = List.of("Idempotency-Key", "Last-Event-ID", HttpHeaders.IF_NONE_MATCH,
            "X-Forwarded-For");

    @ServerRequestFilter
    public void check(UriInfo uri, HttpHeaders headers) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        // raw, decoded here: the framework's decoder turns bytes that are no UTF-8 into U+FFFD,
        // which would hide a lone surrogate sent as its three CESU-8 bytes
        checkPath(uri, errors);
        checkQuery(uri.getRequestUri().getRawQuery(), errors);
        for (String name : HEADERS_READ) {
            List<String> values = headers.getRequestHeader(name);
            if (values != null) {
                values.forEach(v -> check(name, v, errors));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "Invalid request", errors.get(0).message(), errors);
        }
    }

    /** The decoded path parameters, once every raw segment is known to be UTF-8. */
    private static void checkPath(UriInfo uri, List<ApiProblem.FieldError> errors) {
        for (String segment : uri.getRequestUri().getRawPath().split("/")) {
            if (decode(segment, false) == null) {
                // the framework decoded the bad bytes to U+FFFD: that names the parameter
                String name = uri.getPathParameters().entrySet().stream()
                        .filter(p -> p.getValue().stream().anyMatch(v -> v.indexOf('\uFFFD') >= 0))
                        .map(Map.Entry::getKey).findFirst().orElse("path");
                errors.add(new ApiProblem.FieldError(name, name + " is not valid UTF-8"));
                return;
            }
        }
        for (Map.Entry<String, List<String>> p : uri.getPathParameters().entrySet()) {
            p.getValue().forEach(v -> check(p.getKey(), v, errors));
        }
    }

    private static void checkQuery(String rawQuery, List<ApiProblem.FieldError> errors) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            if (name == null) {
                errors.add(new ApiProblem.FieldError("query", "a parameter's name is not valid UTF-8"));
                continue;
            }
            String nameProblem = TextPolicy.problem(name, TextPolicy.Lines.SINGLE);
            if (nameProblem != null) {
                errors.add(new ApiProblem.FieldError(TextPolicy.clean(name), "the parameter's name " + nameProblem));
                continue;
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            if (value == null) {
                errors.add(new ApiProblem.FieldError(name, name + " is not valid UTF-8"));
            } else {
                check(name, value, errors);
            }
        }
    }

    /** Percent-decoded as strict UTF-8 ({@code +} is a space in a query); null when the bytes are no UTF-8. */
    static String decode(String raw, boolean query) {
        if (raw.indexOf('%') < 0 && !(query && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()
                    && Character.digit(raw.charAt(i + 1), 16) >= 0 && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && query) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void check(String field, String value, List<ApiProblem.FieldError> errors) {
        String problem = TextPolicy.problem(value, TextPolicy.Lines.SINGLE);
        if (problem != null) {
            errors.add(new ApiProblem.FieldError(field, field + " " + problem));
        }
    }
}
