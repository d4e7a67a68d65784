package law.courtdocs.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The client's address for the audit trail. */
final class ClientAddress {

    /** Longest text we keep: an IPv6 address with zone fits easily. */
    static final int MAX_LENGTH = 64;

    private ClientAddress() {}

    static String of(HttpServerRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String hop = firstHop(request.getHeader("X-Forwarded-For"));
            if (hop != null) {
                return hop;
            }
        }
        SocketAddress remote = request.remoteAddress();
        return remote == null ? null : clip(remote.hostAddress());
    }

    /** {@code "203.0.113.7, 10.0.0.2"} → {@code 203.0.113.7}: the client as the first proxy saw it. */
    static String firstHop(String forwardedFor) {
        if (forwardedFor == null) {
            return null;
        }
        int comma = forwardedFor.indexOf(',');
        String hop = (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).strip();
        return hop.isEmpty() ? null : clip(hop);
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH);
    }
}
