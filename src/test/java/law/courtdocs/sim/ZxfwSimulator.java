package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;

/** Simulator of zxfw.court.gov.cn (see ../shared/portals.md). TODO: being written. */
public final class ZxfwSimulator implements HttpHandler {

    public static final String HOST = "zxfw.court.gov.cn";
    /** Host of the signed storage URLs in {@code wjlj}; the real one is not documented. */
    public static final String FILE_HOST = "zxfw-oss.court.gov.cn";

    /** Registers a delivery serving {@code docs}; returns its http:// link. */
    public String addDelivery(List<SimDoc> docs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A link the portal answers with code 500 / 送达信息不存在. */
    public String expiredLink() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PortalSimulator.send(exchange, 501, "text/plain", "TODO");
    }
}
