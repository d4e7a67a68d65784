package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** Simulator of sd.gdems.com (see ../shared/portals.md). TODO: being written. */
public final class GdemsSimulator implements HttpHandler {

    public static final String HOST = "sd.gdems.com";

    /** Registers a delivery whose download-all answers {@code zip} named {@code zipName}; returns its http:// link. */
    public String addDelivery(byte[] zip, String zipName) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A delivery whose court has not uploaded files: no confirm button, notice drawn from {@code var text}. */
    public String notReadyLink(String notice) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PortalSimulator.send(exchange, 501, "text/plain", "TODO");
    }
}
