package law.courtdocs.egress;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Proxy;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps a job's browser context on its portal's hosts. Two layers, because neither alone is
 * enough:
 *
 * <ol>
 *   <li>{@link #install}: Playwright request routing on the context. Every request Chromium
 *       reports (navigations, subresources, iframes, popups, downloads, fetch/XHR) is checked
 *       before it is sent; a refused one is aborted with {@code blockedbyclient} and recorded
 *       with host and path. What routing does not see: redirect hops (Playwright 1.62's Chromium
 *       network manager continues them without consulting routes), service-worker requests,
 *       WebSockets, preconnects and Playwright's own API requests.</li>
 *   <li>{@link #open}: additionally puts the context behind a {@link GuardProxy} of its own, which
 *       checks every connection at the network level, redirect hops included, and forwards what
 *       is allowed to the outbound proxy (or to the vetted address when there is none). Service
 *       workers are blocked outright.</li>
 * </ol>
 *
 * The worker always uses {@link #open}.
 */
public final class BrowserGuard {

    private BrowserGuard() {}

    /** A guarded context and the proxy it talks through; closing closes both. */
    public record Guarded(BrowserContext context, GuardProxy proxy) implements AutoCloseable {
        @Override
        public void close() {
            try {
                context.close();
            } catch (RuntimeException ignored) {
                // the browser may have crashed; the proxy still has to go
            } finally {
                proxy.close();
            }
        }
    }

    /**
     * Routes every request of {@code ctx} through {@code guard}, in its browser form
     * ({@code data:}, {@code blob:}, {@code about:} allowed) with a DNS cache for the context's
     * lifetime (no lookups at all when proxied). The handler must stay the only one that
     * resumes requests: a route an adapter adds later runs first and could wave requests past.
     */
    public static void install(BrowserContext ctx, EgressGuard guard, Consumer<String> blockedSink) {
        EgressGuard browserGuard = guard.forBrowser().withDnsCache();
        ctx.route(url -> true, route -> handle(route, browserGuard, blockedSink));
    }

    private static void handle(Route route, EgressGuard guard, Consumer<String> blockedSink) {
        String url = route.request().url();
        boolean allowed;
        String reason;
        try {
            EgressGuard.Decision decision = guard.check(url);
            allowed = decision.allowed();
            reason = decision.reason();
        } catch (RuntimeException e) {
            allowed = false; // fail closed
            reason = e.getClass().getSimpleName();
        }
        try {
            if (allowed) {
                route.resume();
            } else {
                blockedSink.accept(EgressGuard.hostAndPath(url));
                route.abort("blockedbyclient");
            }
        } catch (PlaywrightException e) {
            // the page or context went away while the request waited; nothing left to decide
        }
    }

    /**
     * A new context for one job from {@code options} (which this method amends with its proxy
     * and a service-worker block), with routing installed and its own {@link GuardProxy}.
     *
     * @param upstreamProxy the outbound proxy, present exactly when {@code guard.proxied()}
     */
    public static Guarded open(Browser browser, Browser.NewContextOptions options, EgressGuard guard,
            Optional<String> upstreamProxy, Consumer<String> blockedSink) {
        return open(browser, options, guard, upstreamProxy, blockedSink, GuardProxy::plainConnect);
    }

    /** With the proxy's connector replaced: tests stand in for public addresses with it. */
    static Guarded open(Browser browser, Browser.NewContextOptions options, EgressGuard guard,
            Optional<String> upstreamProxy, Consumer<String> blockedSink, GuardProxy.Connector connector) {
        EgressGuard cached = guard.withDnsCache();
        GuardProxy proxy;
        try {
            proxy = GuardProxy.start(cached, upstreamProxy, blockedSink, connector);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the egress proxy", e);
        }
        try {
            // No bypass list: Playwright then adds <-loopback>, so even 127.0.0.1 goes through the proxy.
            options.setProxy(new Proxy(proxy.url())).setServiceWorkers(ServiceWorkerPolicy.BLOCK);
            BrowserContext context = browser.newContext(options);
            try {
                install(context, cached, blockedSink);
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
            return new Guarded(context, proxy);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }
}
