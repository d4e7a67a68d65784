package law.courtdocs.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A case system's webhook endpoint on loopback: keeps every request, answers {@link #answer}
 * (204, or 503 while "down"), and checks signatures the way a Standard Webhooks receiver does,
 * written here independently of the service's signer.
 */
final class WebhookReceiver implements AutoCloseable {

    record Delivery(String path, String webhookId, String timestamp, String signature, String body) {}

    private final HttpServer server;
    private final List<Delivery> received = new ArrayList<>();
    final AtomicInteger answer = new AtomicInteger(204);

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.get();
            synchronized (received) {
                if (status / 100 == 2) {
                    received.add(new Delivery(exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("webhook-id"),
                            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                            exchange.getRequestHeaders().getFirst("webhook-signature"), body));
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Delivery> at(String path) {
        synchronized (received) {
            return received.stream().filter(d -> d.path().equals(path)).toList();
        }
    }

    /** Waits until the deliveries at {@code path} satisfy {@code done}; returns them. */
    List<Delivery> await(String path, Duration timeout, Predicate<List<Delivery>> done) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            List<Delivery> now = at(path);
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("deliveries at " + path + " after " + timeout + ": " + at(path));
    }

    /** The check a receiver makes: v1 signature over id.timestamp.body with the decoded secret. */
    static boolean signatureValid(String secret, Delivery d) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((d.webhookId() + "." + d.timestamp() + "." + d.body()).getBytes(StandardCharsets.UTF_8)));
            for (String candidate : d.signature().split(" ")) {
                if (candidate.equals(expected)) {
                    return Math.abs(Instant.now().getEpochSecond() - Long.parseLong(d.timestamp())) < 300;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
