package law.courtdocs.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import law.courtdocs.sim.PortalSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-context egress proxy, spoken to with raw sockets so every byte is visible. */
class GuardProxyTest {

    static PortalSimulator sim;
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    final List<String> blocked = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        sim = PortalSimulator.start(0);
        for (String host : List.of("a.court.gov.cn", "evil.example", "127.0.0.1")) {
            sim.route(host, GuardProxyTest::record);
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    static void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(exchange.getRequestMethod() + " " + SimHosts.hostOf(exchange) + " " + exchange.getRequestURI().getPath()
                + (body.isEmpty() ? "" : " " + body));
        PortalSimulator.send(exchange, 200, "text/plain", "hello from " + SimHosts.hostOf(exchange));
    }

    GuardProxy proxied() throws IOException {
        return GuardProxy.start(EgressGuard.of(List.of("*.court.gov.cn"), true), Optional.of(sim.proxyUrl()), blocked::add);
    }

    /** Writes {@code request}, reads until the proxy closes the connection. */
    static String exchange(GuardProxy proxy, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static long count(String host) {
        return seen.stream().filter(s -> s.split(" ")[1].equals(host)).count();
    }

    @Test
    void anAllowedPlainHttpRequestIsForwardedAndTheConnectionClosed() throws Exception {
        try (GuardProxy proxy = proxied()) {
            String answer = exchange(proxy, "GET http://a.court.gov.cn/ok?token=1 HTTP/1.1\r\nHost: a.court.gov.cn\r\n"
                    + "Proxy-Connection: keep-alive\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertTrue(answer.endsWith("hello from a.court.gov.cn"), answer);
            assertEquals(List.of("GET a.court.gov.cn /ok"), List.copyOf(seen));
            assertTrue(blocked.isEmpty());
        }
    }

    @Test
    void anOffListRequestIsAnswered403AndNeverForwarded() throws Exception {
        try (GuardProxy proxy = proxied()) {
            String answer = exchange(proxy, "GET http://evil.example/x?token=secret HTTP/1.1\r\nHost: evil.example\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            assertTrue(answer.contains("X-Egress-Blocked: 1"), answer);
            String loopback = exchange(proxy, "GET http://127.0.0.1:" + sim.port() + "/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(loopback.startsWith("HTTP/1.1 403"), loopback);
            assertEquals(List.of("evil.example/x", "127.0.0.1:" + sim.port() + "/"), blocked);
            assertEquals(0, count("evil.example"));
            assertEquals(0, count("127.0.0.1"));
        }
    }

    @Test
    void connectIsCheckedOnHostAndPortThenTunnelled() throws Exception {
        try (GuardProxy proxy = proxied()) {
            String refused = exchange(proxy, "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n");
            assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
            String metadata = exchange(proxy, "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: 169.254.169.254:80\r\n\r\n");
            assertTrue(metadata.startsWith("HTTP/1.1 403"), metadata);
            assertEquals(List.of("evil.example:443", "169.254.169.254:80"), blocked);

            // the simulator's proxy front speaks plain HTTP inside a tunnel
            String tunnelled = exchange(proxy, "CONNECT a.court.gov.cn:80 HTTP/1.1\r\nHost: a.court.gov.cn:80\r\n\r\n"
                    + "GET /inside HTTP/1.1\r\nHost: a.court.gov.cn\r\nConnection: close\r\n\r\n");
            assertTrue(tunnelled.startsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200"), tunnelled);
            assertTrue(tunnelled.endsWith("hello from a.court.gov.cn"), tunnelled);
            assertEquals(List.of("GET a.court.gov.cn /inside"), List.copyOf(seen));
        }
    }

    @Test
    void aSecondRequestOnTheSameConnectionCannotSlipPastTheCheck() throws Exception {
        try (GuardProxy proxy = proxied()) {
            String answer = exchange(proxy, "GET http://a.court.gov.cn/first HTTP/1.1\r\nHost: a.court.gov.cn\r\n\r\n"
                    + "GET http://evil.example/second HTTP/1.1\r\nHost: evil.example\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer only: " + answer);
            Thread.sleep(200);
            assertEquals(List.of("GET a.court.gov.cn /first"), List.copyOf(seen));
            assertEquals(0, count("evil.example"));
        }
    }

    @Test
    void requestBodiesAreForwardedExactly() throws Exception {
        try (GuardProxy proxy = proxied()) {
            String sized = exchange(proxy, "POST http://a.court.gov.cn/form HTTP/1.1\r\nHost: a.court.gov.cn\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nqr=1&x=");
            assertTrue(sized.startsWith("HTTP/1.1 200"), sized);
            String chunked = exchange(proxy, "POST http://a.court.gov.cn/chunks HTTP/1.1\r\nHost: a.court.gov.cn\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n");
            assertTrue(chunked.startsWith("HTTP/1.1 200"), chunked);
            assertEquals(List.of("POST a.court.gov.cn /form qr=1&x=", "POST a.court.gov.cn /chunks abcdefg"),
                    List.copyOf(seen));
        }
    }

    @Test
    void upstreamIsRequiredExactlyWhenTheGuardIsProxied() {
        assertThrows(IllegalArgumentException.class,
                () -> GuardProxy.start(EgressGuard.of(List.of("a.cn"), true), Optional.empty(), s -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> GuardProxy.start(EgressGuard.of(List.of("a.cn"), false), Optional.of(sim.proxyUrl()), s -> { }));
    }

    // --- without an outbound proxy: DNS checked, and the vetted address is the one connected to

    @Test
    void withoutProxyItConnectsToTheVettedAddressNotAFreshLookup() throws Exception {
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        Queue<String> originSaw = new ConcurrentLinkedQueue<>();
        origin.createContext("/", ex -> {
            originSaw.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Host=" + ex.getRequestHeaders().getFirst("Host"));
            PortalSimulator.send(ex, 200, "text/plain", "origin");
            ex.close();
        });
        origin.start();
        Map<String, String> dns = Map.of("a.court.gov.cn", "119.29.29.29", "rebind.court.gov.cn", "127.0.0.1");
        EgressGuard guard = EgressGuard.of(List.of("*.court.gov.cn"), false).withResolver(host -> {
            String a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(a)};
        });
        List<InetSocketAddress> dialled = new CopyOnWriteArrayList<>();
        // stands in for the public address: whatever the proxy dials lands on the local origin
        GuardProxy.Connector connector = (address, timeout) -> {
            dialled.add(address);
            Socket s = new Socket();
            s.connect(origin.getAddress(), timeout);
            return s;
        };
        try (GuardProxy proxy = GuardProxy.start(guard, Optional.empty(), blocked::add, connector)) {
            String ok = exchange(proxy, "GET http://a.court.gov.cn/doc.pdf?sig=1 HTTP/1.1\r\nHost: a.court.gov.cn\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200") && ok.endsWith("origin"), ok);
            assertEquals(List.of("GET /doc.pdf?sig=1 Host=a.court.gov.cn"), List.copyOf(originSaw),
                    "origin-form request line to the server itself");
            assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("119.29.29.29"), 80)), dialled);

            String rebind = exchange(proxy, "GET http://rebind.court.gov.cn/ HTTP/1.1\r\nHost: rebind.court.gov.cn\r\n\r\n");
            assertTrue(rebind.startsWith("HTTP/1.1 403"), rebind);
            String nx = exchange(proxy, "CONNECT nx.court.gov.cn:443 HTTP/1.1\r\nHost: nx.court.gov.cn:443\r\n\r\n");
            assertTrue(nx.startsWith("HTTP/1.1 403"), nx);
            assertEquals(1, dialled.size(), "nothing dialled for refused hosts");
            assertEquals(List.of("rebind.court.gov.cn/", "nx.court.gov.cn:443"), blocked);
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void closingStopsListening() throws Exception {
        GuardProxy proxy = proxied();
        int port = proxy.port();
        proxy.close();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("GET http://a.court.gov.cn/ HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                if (in.read() == -1) {
                    throw new IOException("closed");
                }
            }
        });
        assertFalse(seen.contains("GET a.court.gov.cn /"));
    }
}
