package law.courtdocs.egress;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
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
}
