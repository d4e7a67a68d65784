package law.courtdocs.webhook;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import law.courtdocs.chat.ChatClient;
import law.courtdocs.chat.ChatKind;
import law.courtdocs.chat.ChatTarget;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.egress.OutboundHttp;
import law.courtdocs.config.HostName;

/**
 * Sends webhook and chat-channel deliveries from worker-role processes (never on an API request thread). Each
 * round, a few sender threads claim due subscriptions one at a time until none is due; one slow
 * receiver holds one thread, not the others. Deliveries go straight to the receiver, not through
 * {@code court.http-proxy}: that proxy is for court portals, a case system usually sits on the
 * firm's own network. Chat robots are on the internet, so those calls do go through the proxy
 * ({@link ChatClient}).
 */
@ApplicationScoped
public class WebhookSender {

    /** Sender threads per process: receivers are mostly quick, and a subscription is sent in order anyway. */
    private static final int THREADS = 4;
    /** A round's claims per thread, so a round ends and shutdown is not held up. */
    private static final int MAX_PER_ROUND = 100;

    private final Webhooks webhooks;
    private final DestinationPolicy destinations;
    private final Duration timeout;
    private final Duration lease;
    private final boolean enabled;
    private final String owner = HostName.current() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http;
    private final ChatClient chat;
    private final ObjectMapper json;
    private final ExecutorService pool;
    private volatile boolean stopping;

    public WebhookSender(Webhooks webhooks, CourtConfig config, ObjectMapper json) {
        this.webhooks = webhooks;
        this.destinations = DestinationPolicy.of(config.webhooks());
        this.timeout = config.webhooks().timeout();
        this.lease = config.webhooks().lease();
        this.enabled = config.role().runsJobs() && config.events().enabled();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.json = json;
        this.chat = new ChatClient(OutboundHttp.client(config.httpProxy(), timeout), timeout,
                config.notifications().telegramApiUrl(), config.notifications().requireHttps(), Clock.systemUTC());
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        pool.shutdown();
    }

    @Scheduled(every = "${court.webhooks.poll-interval:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void round() {
        if (!enabled || stopping) {
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            running.add(pool.submit(this::drain));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Log.warnf(e.getCause(), "webhook sender round failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drain() {
        for (int i = 0; i < MAX_PER_ROUND && !stopping; i++) {
            Webhooks.Claim claim = webhooks.claim(owner);
            if (!claim.anyDue()) {
                return;
            }
            webhooks.record(sendInOrder(claim.work()), owner);
        }
    }

    /**
     * Sends a claim's deliveries one after the other, up to the first failure (a later event must
     * not overtake it), and within half the lease, so that no other pod takes the subscription over
     * while this one still sends.
     */
    private List<Webhooks.Sent> sendInOrder(List<Webhooks.Work> work) {
        List<Webhooks.Sent> sent = new ArrayList<>();
        long deadline = System.nanoTime() + lease.toNanos() / 2;
        for (Webhooks.Work w : work) {
            if (!sent.isEmpty() && (stopping || System.nanoTime() > deadline)) {
                break;
            }
            Webhooks.Outcome outcome = send(w);
            sent.add(new Webhooks.Sent(w, outcome));
            if (!outcome.delivered()) {
                break;
            }
        }
        return sent;
    }

    /** One HTTP call, outside any transaction. */
    Webhooks.Outcome send(Webhooks.Work work) {
        if (!WebhookEntity.WEBHOOK.equals(work.kind())) {
            return sendToChat(work);
        }
        Optional<String> refused = destinations.refusal(work.url());
        if (refused.isPresent()) {
            return new Webhooks.Outcome(false, null, "destination refused: " + refused.get());
        }
        long timestamp = System.currentTimeMillis() / 1000;
        String id = work.eventId().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(work.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "court-docs-webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(work.secret(), id, timestamp, work.body()))
                .POST(HttpRequest.BodyPublishers.ofString(work.body()))
                .build();
        try {
            HttpResponse<Void> response = OutboundHttp.sendRetryingAClosedConnection(http, request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            return new Webhooks.Outcome(ok, status, ok ? null : "receiver answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Webhooks.Outcome(false, null, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Webhooks.Outcome(false, null, "cannot reach the receiver: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Webhooks.Outcome(false, null, "sender stopped");
        }
    }

    private Webhooks.Outcome sendToChat(Webhooks.Work work) {
        ChatKind kind = ChatKind.ofWire(work.kind()).orElseThrow(() -> new IllegalStateException(
                "channel " + work.webhookId() + " has an unknown kind"));
        ChatTarget target;
        try {
            target = json.readValue(work.secret(), ChatTarget.class);
        } catch (JsonProcessingException e) {
            return new Webhooks.Outcome(false, null, "the channel's sealed target cannot be read");
        }
        ChatClient.Result result = chat.send(kind, target, work.body());
        return new Webhooks.Outcome(result.delivered(), result.httpStatus(), result.error());
    }
}
