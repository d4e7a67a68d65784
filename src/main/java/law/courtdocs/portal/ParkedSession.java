package law.courtdocs.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What an adapter needs to continue at its captcha step in a later attempt, on another worker
 * perhaps: the portal's cookies (the captcha is usually tied to the portal's HTTP session) and a
 * few values of its own (which captcha, which step). The worker keeps it sealed with the job
 * while a person reads the image; it is as secret as a login, so it is never logged.
 *
 * <p>A browser adapter would put its context's {@code storageState()} JSON into {@code values}.
 */
public record ParkedSession(List<Cookie> cookies, Map<String, String> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cookie as the portal set it; {@code origin} is the URL it came from. */
    public record Cookie(String origin, String name, String value, String domain, String path, boolean secure,
            boolean httpOnly) {}

    public ParkedSession {
        cookies = cookies == null ? List.of() : List.copyOf(cookies);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    /** A value the adapter kept; null when absent. */
    public String value(String key) {
        return values.get(key);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParkedSession fromJson(byte[] json) {
        try {
            return JSON.readValue(json, ParkedSession.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values only, e.g. in tests; {@code toString} never shows them (they may open the portal). */
    @Override
    public String toString() {
        return "ParkedSession[" + cookies.size() + " cookies, keys " + values.keySet() + "]";
    }
}
