package law.courtdocs.egress;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;

/** Host a simulator request was meant for (absolute-form target, else the Host header), without port. */
final class SimHosts {

    private SimHosts() {}

    static String hostOf(HttpExchange exchange) {
        String host = exchange.getRequestURI().getHost();
        if (host == null) {
            host = exchange.getRequestHeaders().getFirst("Host");
        }
        if (host == null) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
