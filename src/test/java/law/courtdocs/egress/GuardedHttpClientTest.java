package law.courtdocs.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import law.courtdocs.sim.PortalSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarded client against the portal simulator as outbound proxy (so: a proxied guard, names
 * only). Off-list hosts are registered on the simulator too, counting what reaches them, so
 * "blocked" means "never sent", not just "answer ignored".
 */
class GuardedHttpClientTest {

    static final String A = "a.court.gov.cn";
    static final String B = "b.court.gov.cn";
    static final String EVIL = "evil.example";
    static final String METADATA = "169.254.169.254";

    static PortalSimulator sim;
    static HttpClient plain;
    /** "METHOD host path [auth] body" of every request the simulator saw on our hosts. */
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    final List<String> blocked = new CopyOnWriteArrayList<>();
    GuardedHttpClient client;

    @BeforeAll
    static void start() throws IOException {
        sim = PortalSimulator.start(0);
        sim.route(A, GuardedHttpClientTest::portal);
        sim.route(B, GuardedHttpClientTest::portal);
        sim.route(EVIL, GuardedHttpClientTest::portal);
        sim.route(METADATA, GuardedHttpClientTest::portal);
        plain = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", sim.port())))
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void fresh() {
        seen.clear();
        client = new GuardedHttpClient(plain, EgressGuard.of(List.of("*.court.gov.cn"), true), blocked::add);
    }

    static void portal(HttpExchange exchange) throws IOException {
        String host = SimHosts.hostOf(exchange);
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        seen.add(exchange.getRequestMethod() + " " + host + " " + path + (auth == null ? "" : " [auth]")
                + (body.isEmpty() ? "" : " " + body));
        if (path.startsWith("/chain/")) {
            int n = Integer.parseInt(path.substring("/chain/".length()));
            if (n == 0) {
                PortalSimulator.send(exchange, 200, "text/plain", "end of chain");
            } else {
                redirect(exchange, 302, "/chain/" + (n - 1));
            }
            return;
        }
        switch (path) {
            case "/ok", "/echo" -> PortalSimulator.send(exchange, 200, "text/plain",
                    exchange.getRequestMethod() + " " + host + (body.isEmpty() ? "" : " " + body));
            case "/to-evil" -> redirect(exchange, 302, "http://evil.example/steal?token=secret");
            case "/to-metadata" -> redirect(exchange, 301, "http://169.254.169.254/latest/meta-data/iam");
            case "/to-evil-protocol-relative" -> redirect(exchange, 302, "//evil.example/pr");
            case "/to-decimal-loopback" -> redirect(exchange, 302, "http://2130706433/");
            case "/to-b" -> redirect(exchange, 302, "http://b.court.gov.cn/ok");
            case "/to-b-then-evil" -> redirect(exchange, 302, "http://b.court.gov.cn/to-evil");
            case "/relative/from" -> redirect(exchange, 302, "../ok");
            case "/post-303" -> redirect(exchange, 303, "/echo");
            case "/post-302" -> redirect(exchange, 302, "/echo");
            case "/post-307" -> redirect(exchange, 307, "/echo");
            case "/no-location" -> PortalSimulator.send(exchange, 302, "text/plain", "moved, somewhere");
            default -> PortalSimulator.send(exchange, 404, "text/plain", "no such page");
        }
    }

    static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        PortalSimulator.send(exchange, status, "text/plain", "redirect body that must not reach the caller");
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    static long count(String host) {
        return seen.stream().filter(s -> s.split(" ")[1].equals(host)).count();
    }

    @Test
    void anAllowedRequestPasses() throws Exception {
        HttpResponse<String> r = client.send(get("http://a.court.gov.cn/ok"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("GET a.court.gov.cn", r.body());
        assertTrue(blocked.isEmpty(), blocked.toString());
    }

    @Test
    void anOffListRequestIsNeverSentAndRecordedWithoutItsQuery() {
        EgressRefusedException e = assertThrows(EgressRefusedException.class,
                () -> client.send(get("http://evil.example/x?token=secret"), HttpResponse.BodyHandlers.ofString()));
        assertEquals(List.of("evil.example/x"), blocked);
        assertEquals("evil.example/x", e.target());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertEquals(0, count(EVIL));
    }

    @Test
    void aRedirectOffTheListIsRefusedAndRecorded() {
        assertThrows(EgressRefusedException.class,
                () -> client.send(get("http://a.court.gov.cn/to-evil"), HttpResponse.BodyHandlers.ofString()));
        assertEquals(List.of("evil.example/steal"), blocked);
        assertEquals(1, count(A));
        assertEquals(0, count(EVIL), "the redirect target was never asked");
    }

    @Test
    void redirectsToMetadataDecimalLoopbackOrProtocolRelativeHostsAreRefused() {
        for (String path : List.of("/to-metadata", "/to-decimal-loopback", "/to-evil-protocol-relative")) {
            assertThrows(EgressRefusedException.class,
                    () -> client.send(get("http://a.court.gov.cn" + path), HttpResponse.BodyHandlers.ofString()), path);
        }
        assertEquals(List.of("169.254.169.254/latest/meta-data/iam", "2130706433/", "evil.example/pr"), blocked);
        assertEquals(0, count(METADATA));
        assertEquals(0, count(EVIL));
    }

    @Test
    void aSecondHopOffTheListIsCaughtToo() {
        assertThrows(EgressRefusedException.class,
                () -> client.send(get("http://a.court.gov.cn/to-b-then-evil"), HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, count(A));
        assertEquals(1, count(B));
        assertEquals(0, count(EVIL));
        assertEquals(List.of("evil.example/steal"), blocked);
    }

    @Test
    void redirectChainsWithinAllowedHostsWork() throws Exception {
        HttpResponse<String> across = client.send(get("http://a.court.gov.cn/to-b"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, across.statusCode());
        assertEquals("GET b.court.gov.cn", across.body());
        assertEquals(URI.create("http://b.court.gov.cn/ok"), across.uri());

        HttpResponse<String> five = client.send(get("http://a.court.gov.cn/chain/5"), HttpResponse.BodyHandlers.ofString());
        assertEquals("end of chain", five.body());

        HttpResponse<String> relative = client.send(get("http://a.court.gov.cn/relative/from"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("GET a.court.gov.cn", relative.body());
        assertTrue(blocked.isEmpty(), blocked.toString());
    }

    @Test
    void moreThanFiveHopsFail() {
        IOException e = assertThrows(IOException.class,
                () -> client.send(get("http://a.court.gov.cn/chain/6"), HttpResponse.BodyHandlers.ofString()));
        assertFalse(e instanceof EgressRefusedException);
        assertTrue(e.getMessage().contains("too many redirects"), e.getMessage());
        assertEquals(6, count(A), "chain/6 … chain/1 asked, chain/0 never");
        assertFalse(seen.contains("GET a.court.gov.cn /chain/0"));
        assertTrue(blocked.isEmpty());
    }

    @Test
    void methodRulesOfRedirects() throws Exception {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("x=1");
        HttpResponse<String> see = client.send(HttpRequest.newBuilder(URI.create("http://a.court.gov.cn/post-303"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("GET a.court.gov.cn", see.body(), "303: GET without body");
        HttpResponse<String> found = client.send(HttpRequest.newBuilder(URI.create("http://a.court.gov.cn/post-302"))
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("GET a.court.gov.cn", found.body(), "302 after POST: GET");
        HttpResponse<String> temporary = client.send(HttpRequest.newBuilder(URI.create("http://a.court.gov.cn/post-307"))
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("POST a.court.gov.cn x=1", temporary.body(), "307: same method, same body");
    }

    @Test
    void credentialsDoNotFollowARedirectToAnotherHost() throws Exception {
        client.send(HttpRequest.newBuilder(URI.create("http://a.court.gov.cn/to-b")).header("Authorization", "Bearer t")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        client.send(HttpRequest.newBuilder(URI.create("http://a.court.gov.cn/relative/from"))
                .header("Authorization", "Bearer t").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(List.of("GET a.court.gov.cn /to-b [auth]", "GET b.court.gov.cn /ok",
                "GET a.court.gov.cn /relative/from [auth]", "GET a.court.gov.cn /ok [auth]"), List.copyOf(seen));
    }

    @Test
    void theCallersBodyHandlerOnlySeesTheFinalResponse() throws Exception {
        Path file = Files.createTempFile("guarded", ".txt");
        try {
            List<Integer> handed = new CopyOnWriteArrayList<>();
            HttpResponse<Path> r = client.send(get("http://a.court.gov.cn/chain/2"), info -> {
                handed.add(info.statusCode());
                return HttpResponse.BodySubscribers.ofFile(file);
            });
            assertEquals(List.of(200), handed);
            assertEquals("end of chain", Files.readString(r.body()));
        } finally {
            Files.deleteIfExists(file);
        }
        HttpResponse<String> unfollowable = client.send(get("http://a.court.gov.cn/no-location"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, unfollowable.statusCode(), "a 3xx without Location is the answer");
        assertEquals("moved, somewhere", unfollowable.body());
    }

    @Test
    void sendAsyncChecksEveryHopToo() throws Exception {
        CompletableFuture<HttpResponse<String>> ok = client.sendAsync(get("http://a.court.gov.cn/chain/3"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("end of chain", ok.get(10, TimeUnit.SECONDS).body());

        CompletableFuture<HttpResponse<String>> off = client.sendAsync(get("http://a.court.gov.cn/to-b-then-evil"),
                HttpResponse.BodyHandlers.ofString());
        ExecutionException e = assertThrows(ExecutionException.class, () -> off.get(10, TimeUnit.SECONDS));
        assertInstanceOf(EgressRefusedException.class, e.getCause());

        CompletableFuture<HttpResponse<String>> direct = client.sendAsync(get("http://169.254.169.254/latest/"),
                HttpResponse.BodyHandlers.ofString());
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> direct.get(10, TimeUnit.SECONDS));
        assertInstanceOf(EgressRefusedException.class, e2.getCause());

        CompletableFuture<HttpResponse<String>> tooMany = client.sendAsync(get("http://a.court.gov.cn/chain/7"),
                HttpResponse.BodyHandlers.ofString());
        ExecutionException e3 = assertThrows(ExecutionException.class, () -> tooMany.get(10, TimeUnit.SECONDS));
        assertTrue(e3.getCause().getMessage().contains("too many redirects"));

        assertEquals(List.of("evil.example/steal", "169.254.169.254/latest/"), blocked);
        assertEquals(0, count(EVIL));
        assertEquals(0, count(METADATA));
    }

    @Test
    void aDelegateThatFollowsRedirectsItselfIsRejected() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThrows(IllegalArgumentException.class,
                () -> new GuardedHttpClient(following, EgressGuard.of(List.of("a.cn"), true), s -> { }));
        assertEquals(HttpClient.Redirect.NORMAL, client.followRedirects());
        assertEquals(plain.proxy(), client.proxy());
        assertNull(client.executor().orElse(null));
    }

    @Test
    void theWorkersSharedClientNeverFollowsRedirects() {
        HttpClient shared = OutboundHttp.client(java.util.Optional.of(sim.proxyUrl()), Duration.ofSeconds(5));
        assertEquals(HttpClient.Redirect.NEVER, shared.followRedirects());
        new GuardedHttpClient(shared, EgressGuard.of(List.of("a.cn"), true), s -> { }); // accepted
    }
}
