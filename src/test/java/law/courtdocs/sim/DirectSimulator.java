package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A court host that answers a plain PDF link (the {@code direct} adapter's case): files under
 * {@code /files/} on the Sichuan court host, beside its sfdw portal.
 */
public final class DirectSimulator implements HttpHandler {

    public static final String HOST = "sfpt.cdfy12368.gov.cn";

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** Serves {@code pdf} at a fresh path; returns its http:// link. */
    public String addPdf(byte[] pdf) {
        String path = "/files/" + UUID.randomUUID() + ".pdf";
        files.put(path, pdf);
        return "http://" + HOST + path;
    }

    /** Whether a request is for one of our files rather than for the portal on the same host. */
    boolean serves(String host, String path) {
        return HOST.equals(host) && path != null && path.startsWith("/files/");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] pdf = files.get(exchange.getRequestURI().getPath());
        if (pdf == null) {
            PortalSimulator.send(exchange, 404, "text/html", "<html><body>404 未找到</body></html>");
            return;
        }
        PortalSimulator.send(exchange, 200, "application/pdf", pdf);
    }
}
