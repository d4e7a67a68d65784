package law.courtdocs.egress;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that only reaches what the job's {@link EgressGuard} allows: the request
 * URI is checked before anything is sent, and redirects are followed here, hop by hop, each
 * checked the same way, instead of inside the JDK client where no one could look at them.
 *
 * <p>Redirects follow {@link HttpClient.Redirect#NORMAL}: 301, 302, 303, 307 and 308, at most
 * {@value #MAX_REDIRECTS} hops, never from https to http (that response is returned as is);
 * 303, and 301/302 after a POST, continue as GET without body; credentials ({@code Authorization},
 * {@code Cookie}) set by the caller are dropped when a redirect leaves the origin.
 *
 * <p>A refused URI throws {@link EgressRefusedException} (an {@link IOException}) and its host and
 * path, never its query, go to the blocked sink. Server push is not supported.
 */
public final class GuardedHttpClient extends HttpClient {

    public static final int MAX_REDIRECTS = 5;

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
    private static final Set<String> BODY_HEADERS = Set.of("content-type", "content-encoding", "content-language");

    private final HttpClient delegate;
    private final EgressGuard guard;
    private final Consumer<String> blockedSink;

    /**
     * @param delegate a client built with {@link HttpClient.Redirect#NEVER}: one that followed
     *     redirects itself would do so unchecked
     */
    public GuardedHttpClient(HttpClient delegate, EgressGuard guard, Consumer<String> blockedSink) {
        if (delegate.followRedirects() != Redirect.NEVER) {
            throw new IllegalArgumentException("the delegate client must be built with Redirect.NEVER");
        }
        this.delegate = delegate;
        this.guard = Objects.requireNonNull(guard);
        this.blockedSink = Objects.requireNonNull(blockedSink);
    }

    public EgressGuard guard() {
        return guard;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest current = request;
        checkOrThrow(current.uri());
        for (int hops = 0; ; hops++) {
            Hop hop = new Hop(current.uri());
            HttpResponse<T> response = delegate.send(current, hop.handler(handler));
            URI next = hop.next();
            if (next == null) {
                return response;
            }
            current = nextRequest(current, response.statusCode(), next, hops);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
        // cancelling what we hand out cancels the exchange under way, as with the JDK client
        result.whenComplete((r, e) -> {
            CompletableFuture<?> f = inFlight.get();
            if (result.isCancelled() && f != null) {
                f.cancel(true);
            }
        });
        try {
            checkOrThrow(request.uri());
        } catch (EgressRefusedException e) {
            result.completeExceptionally(e);
            return result;
        }
        step(request, handler, 0, result, inFlight);
        return result;
    }

    /** Server push is not supported: pushed resources would arrive unchecked. */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    private <T> void step(HttpRequest current, HttpResponse.BodyHandler<T> handler, int hops,
            CompletableFuture<HttpResponse<T>> result, AtomicReference<CompletableFuture<?>> inFlight) {
        if (result.isDone()) {
            return;
        }
        Hop hop = new Hop(current.uri());
        CompletableFuture<HttpResponse<T>> exchange = delegate.sendAsync(current, hop.handler(handler));
        inFlight.set(exchange);
        if (result.isCancelled()) {
            exchange.cancel(true);
            return;
        }
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
                return;
            }
            try {
                URI next = hop.next();
                if (next == null) {
                    result.complete(response);
                } else {
                    step(nextRequest(current, response.statusCode(), next, hops), handler, hops + 1, result, inFlight);
                }
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private HttpRequest nextRequest(HttpRequest current, int status, URI next, int hopsSoFar) throws IOException {
        if (hopsSoFar + 1 > MAX_REDIRECTS) {
            throw new IOException("too many redirects (more than " + MAX_REDIRECTS + ") from "
                    + EgressGuard.hostAndPath(current.uri()));
        }
        checkOrThrow(next);
        String method = current.method();
        boolean toGet = status == 303 ? !method.equals("HEAD")
                : (status == 301 || status == 302) && method.equals("POST");
        boolean sameOrigin = sameOrigin(current.uri(), next);
        HttpRequest.Builder builder = HttpRequest.newBuilder(current, (name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            return !(toGet && BODY_HEADERS.contains(n)) && !(!sameOrigin && CREDENTIAL_HEADERS.contains(n));
        }).uri(next);
        if (toGet) {
            builder.GET();
        }
        return builder.build();
    }

    private void checkOrThrow(URI uri) throws EgressRefusedException {
        EgressGuard.Decision decision = guard.check(uri);
        if (!decision.allowed()) {
            String target = EgressGuard.hostAndPath(uri);
            blockedSink.accept(target);
            throw new EgressRefusedException(target, decision.reason());
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /**
     * One exchange. Its body handler decides, on the response head, whether this is a redirect
     * we follow: then the body is drained and dropped, so the caller's handler (which may write
     * a file) only ever sees the final response.
     */
    private static final class Hop {
        private final URI uri;
        private volatile URI next;
        private volatile IOException error;

        Hop(URI uri) {
            this.uri = uri;
        }

        <T> HttpResponse.BodyHandler<T> handler(HttpResponse.BodyHandler<T> caller) {
            return info -> {
                if (!isRedirect(info.statusCode())) {
                    return caller.apply(info);
                }
                Optional<String> location = info.headers().firstValue("Location");
                if (location.isEmpty()) {
                    return caller.apply(info);
                }
                URI target;
                try {
                    target = resolve(uri, location.get().strip());
                } catch (URISyntaxException e) {
                    error = new IOException("invalid redirect location from " + EgressGuard.hostAndPath(uri));
                    return HttpResponse.BodySubscribers.replacing(null);
                }
                String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
                if ("https".equalsIgnoreCase(uri.getScheme()) && scheme.equals("http")) {
                    return caller.apply(info); // Redirect.NORMAL: no downgrade
                }
                next = target;
                return HttpResponse.BodySubscribers.replacing(null);
            };
        }

        /** Where to go next; null when this response is the answer. */
        URI next() throws IOException {
            if (error != null) {
                throw error;
            }
            return next;
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** {@code Location} against the URI that answered it; tolerates raw spaces and non-ASCII. */
    static URI resolve(URI base, String location) throws URISyntaxException {
        URI loc;
        try {
            loc = new URI(location);
        } catch (URISyntaxException e) {
            loc = new URI(encodeLoosely(location));
        }
        if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
            base = base.resolve("/");
        }
        URI resolved = base.resolve(loc);
        if (resolved.getScheme() == null || resolved.getHost() == null && resolved.getRawAuthority() == null) {
            throw new URISyntaxException(location, "not an absolute location");
        }
        return resolved;
    }

    private static String encodeLoosely(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
                    || c == '{' || c == '|' || c == '}') {
                out.append('%').append(String.format("%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    // --- everything else is the delegate's ----------------------------------------------------

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    /** What this client does (the delegate itself never follows). */
    @Override
    public Redirect followRedirects() {
        return Redirect.NORMAL;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /** WebSockets are not guarded, so not offered. */
    @Override
    public java.net.http.WebSocket.Builder newWebSocketBuilder() {
        throw new UnsupportedOperationException("WebSockets are not available through the egress-guarded client");
    }
}
