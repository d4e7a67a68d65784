package law.courtdocs.api;

import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Works around quarkusio/quarkus#55116, present in the Quarkus 3.34 we are pinned to: when a client
 * drops its connection while a request is failing, the event loop's "discard remaining handlers"
 * close handler and the worker's switch to the error-handler chain race on unsynchronised fields,
 * and the request context can end up re-dispatching itself forever. We saw exactly that in the
 * bench: after wrk stopped mid-request, the api JVM burnt 1.7 cores with no connection open, every
 * sample in AbstractResteasyReactiveContext.run → resume → executor.
 *
 * <p>RESTEasy registers that handler as the response's single Vert.x close handler, before the
 * request filters run; this filter unregisters it, which restores the behaviour of earlier
 * Quarkus versions (a request whose client left runs to its end and its write fails quietly).
 * Keycloak ships the same workaround for the same bug. Remove it when the platform has the fix.
 */
public class ClientGoneRace {

    @ServerRequestFilter(priority = 0)
    void keepTheHandlerChainOwnedByItsThread(HttpServerRequest request) {
        request.response().closeHandler(null); // unsetting never throws, even on a closed response
    }
}
