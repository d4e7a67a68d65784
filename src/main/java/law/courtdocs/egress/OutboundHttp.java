package law.courtdocs.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker's HTTP client for direct portal calls: same outbound proxy as the browser. It never
 * follows redirects itself; each job wraps it in a {@link GuardedHttpClient}, which follows them
 * after checking every hop against the job's {@link EgressGuard}.
 */
public final class OutboundHttp {

    private OutboundHttp() {}

    public static HttpClient client(Optional<String> proxy, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        proxy.filter(p -> !p.isBlank()).map(URI::create).ifPresent(p -> builder.proxy(
                ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 80))));
        return builder.build();
    }

    /**
     * Sends, and once more right away when the connection failed without a timeout: a receiver
     * may close a kept-alive connection just as the client reuses it, and the JDK client retries
     * only idempotent methods itself. (Bench, 2026-12-08: 5 of the first ~200 deliveries of a round
     * to an HTTP/1.0 receiver failed so, each holding the subscription back for the backoff.) The
     * receiver may then see the delivery twice, under the same webhook-id, as at-least-once allows.
     */
    public static <T> HttpResponse<T> sendRetryingAClosedConnection(HttpClient http, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return http.send(request, handler);
        }
    }
}
