package law.courtdocs.egress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A forward proxy on 127.0.0.1 that one job's browser context talks through, so that the
 * {@link EgressGuard} sees every connection the browser makes, not only what Playwright's request
 * routing shows: Playwright does not route redirect hops (its Chromium network manager continues
 * them unseen), nor requests of service workers, WebSockets, preconnects, or its own
 * {@code APIRequestContext}. Each {@code CONNECT host:port} and each plain-http request
 * ({@code GET http://host/path}) is checked; a refused one is answered 403 and recorded.
 *
 * <p>Allowed traffic goes to the configured outbound proxy when there is one (which then resolves
 * names: the one exception to the rules), otherwise straight to an address the guard resolved and
 * vetted, so a name cannot resolve to something else between check and connect.
 *
 * <p>Plain-http requests are served one per connection ({@code Connection: close} both ways):
 * a keep-alive connection could otherwise carry a second request to another host past the check.
 * Tunnels (https, wss) stay open as the browser likes them; inside a tunnel the host is fixed.
 */
public final class GuardProxy implements AutoCloseable {

    /** Opens the upstream connection; replaced in tests to stand in for a public address. */
    @FunctionalInterface
    public interface Connector {
        Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException;
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** An idle browser connection (preconnect, keep-alive) is dropped after this. */
    private static final int IDLE_TIMEOUT_MS = 120_000;
    /** Longest silence from upstream while an answer is expected or streaming. */
    private static final int UPSTREAM_TIMEOUT_MS = 300_000;
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "proxy-connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "te",
            "trailer", "upgrade");

    private final EgressGuard guard;
    private final Optional<InetSocketAddress> upstream;
    private final Consumer<String> blockedSink;
    private final Connector connector;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private GuardProxy(EgressGuard guard, Optional<InetSocketAddress> upstream, Consumer<String> blockedSink,
            Connector connector) throws IOException {
        this.guard = guard;
        this.upstream = upstream;
        this.blockedSink = blockedSink;
        this.connector = connector;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "egress-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param upstreamProxy the outbound proxy ({@code http://host:port}); present exactly when
     *     the guard is {@link EgressGuard#proxied()}
     */
    public static GuardProxy start(EgressGuard guard, Optional<String> upstreamProxy, Consumer<String> blockedSink)
            throws IOException {
        return start(guard, upstreamProxy, blockedSink, GuardProxy::plainConnect);
    }

    static GuardProxy start(EgressGuard guard, Optional<String> upstreamProxy, Consumer<String> blockedSink,
            Connector connector) throws IOException {
        Optional<InetSocketAddress> upstream = upstreamProxy.filter(p -> !p.isBlank()).map(p -> {
            URI u = URI.create(p.strip());
            return InetSocketAddress.createUnresolved(u.getHost(), u.getPort() > 0 ? u.getPort() : 80);
        });
        if (upstream.isPresent() != guard.proxied()) {
            throw new IllegalArgumentException("an upstream proxy must be given exactly when the guard is proxied");
        }
        GuardProxy proxy = new GuardProxy(Objects.requireNonNull(guard), upstream, Objects.requireNonNull(blockedSink),
                connector);
        proxy.threads.execute(proxy::acceptLoop);
        return proxy;
    }

    /** For {@code --proxy-server} / Playwright's per-context proxy. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    static Socket plainConnect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, timeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    // an accept failure is transient (out of descriptors); keep serving
                    sleepQuietly(50);
                }
            } catch (RuntimeException rejected) {
                // executor shut down while closing
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try {
            client.setSoTimeout(IDLE_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Head request = Head.read(in);
            if (request == null) {
                return;
            }
            String[] line = request.first.split(" ");
            if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
                answer(out, 400, "bad request");
                return;
            }
            if (line[0].equalsIgnoreCase("CONNECT")) {
                up = tunnel(line[1], in, out, client);
            } else {
                up = forward(line[0], line[1], line[2], request, in, out, client);
            }
        } catch (IOException e) {
            // either side went away, or a timeout: nothing to tell anyone
        } finally {
            closeQuietly(client);
            closeQuietly(up);
        }
    }

    /** {@code CONNECT host:port}: checked on host and port, then a blind tunnel. */
    private Socket tunnel(String target, InputStream in, OutputStream out, Socket client) throws IOException {
        EgressGuard.Decision decision = guard.check("https://" + target + "/");
        if (!decision.allowed()) {
            refuse(out, target.toLowerCase(Locale.ROOT), decision);
            return null;
        }
        Socket up;
        if (upstream.isPresent()) {
            up = open(upstream.get());
            OutputStream upOut = up.getOutputStream();
            InputStream upIn = new BufferedInputStream(up.getInputStream());
            upOut.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            upOut.flush();
            Head answer = Head.read(upIn);
            if (answer == null) {
                answer(out, 502, "outbound proxy closed the connection");
                return up;
            }
            if (answer.status() != 200) {
                answer(out, answer.status() >= 400 ? answer.status() : 502, "outbound proxy refused the tunnel");
                return up;
            }
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            relay(client, in, up, upIn);
        } else {
            up = connectVetted(decision, portOf(target, 443));
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            relay(client, in, up, up.getInputStream());
        }
        return up;
    }

    /** {@code GET http://host/path HTTP/1.1}: one request, one answer, then both connections close. */
    private Socket forward(String method, String target, String version, Head request, InputStream in,
            OutputStream out, Socket client) throws IOException {
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            answer(out, 400, "only absolute http:// requests and CONNECT are served");
            return null;
        }
        EgressGuard.Decision decision = guard.check(target);
        if (!decision.allowed()) {
            refuse(out, EgressGuard.hostAndPath(target), decision);
            return null;
        }
        String authority = EgressGuard.authorityOf(target);
        Socket up;
        String requestTarget;
        if (upstream.isPresent()) {
            up = open(upstream.get());
            requestTarget = target;
        } else {
            up = connectVetted(decision, portOf(authority, 80));
            int pathStart = target.indexOf("://") + 3 + authority.length();
            String rest = target.substring(pathStart);
            int hash = rest.indexOf('#');
            rest = hash >= 0 ? rest.substring(0, hash) : rest;
            requestTarget = rest.isEmpty() ? "/" : rest.startsWith("/") ? rest : "/" + rest;
        }
        up.setSoTimeout(UPSTREAM_TIMEOUT_MS);
        OutputStream upOut = up.getOutputStream();
        Head outgoing = new Head(method + " " + requestTarget + " " + version, request.withoutHopByHop());
        if (outgoing.value("host") == null) {
            outgoing.headers.add(new String[] {"Host", authority});
        }
        outgoing.headers.add(new String[] {"Connection", "close"});
        upOut.write(outgoing.bytes());
        copyBody(request, in, upOut);
        upOut.flush();

        InputStream upIn = new BufferedInputStream(up.getInputStream());
        while (true) {
            Head answer = Head.read(upIn);
            if (answer == null) {
                answer(out, 502, "no answer from upstream");
                return up;
            }
            int status = answer.status();
            if (status == 101) {
                out.write(answer.bytes());
                out.flush();
                relay(client, in, up, upIn);
                return up;
            }
            if (status >= 100 && status < 200) {
                out.write(answer.bytes());
                continue;
            }
            Head back = new Head(answer.first, answer.withoutHopByHop());
            back.headers.add(new String[] {"Connection", "close"});
            back.headers.add(new String[] {"Proxy-Connection", "close"});
            out.write(back.bytes());
            upIn.transferTo(out);
            out.flush();
            return up;
        }
    }

    private void refuse(OutputStream out, String target, EgressGuard.Decision decision) throws IOException {
        blockedSink.accept(target);
        answer(out, 403, "blocked by egress policy: " + decision.reason());
    }

    private Socket open(InetSocketAddress address) throws IOException {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        Socket s = connector.connect(resolved, CONNECT_TIMEOUT_MS);
        open.add(s);
        return s;
    }

    /** Connects to one of the addresses the guard vetted, never to a fresh lookup. */
    private Socket connectVetted(EgressGuard.Decision decision, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : decision.addresses()) {
            try {
                return open(new InetSocketAddress(address, port));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no vetted address to connect to");
    }

    /** Both directions until both ends are done; the tunnel's host was checked on CONNECT. */
    private void relay(Socket client, InputStream clientIn, Socket up, InputStream upIn) throws IOException {
        client.setSoTimeout(0);
        up.setSoTimeout(0);
        OutputStream upOut = up.getOutputStream();
        OutputStream clientOut = client.getOutputStream();
        var toUpstream = threads.submit(() -> {
            try {
                clientIn.transferTo(upOut);
                up.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(up);
            }
            return null;
        });
        try {
            upIn.transferTo(clientOut);
            client.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(client);
        }
        try {
            toUpstream.get();
        } catch (Exception e) {
            // the other direction ended with an error; both sockets are closed by the caller
        }
    }

    /** Exactly the request's own body: Content-Length bytes, or chunks up to the last one. */
    private static void copyBody(Head request, InputStream in, OutputStream out) throws IOException {
        String te = request.value("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = readLine(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size");
                }
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return;
                }
                copyExactly(in, out, size + 2); // data and its CRLF
            }
        }
        String length = request.value("content-length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new IOException("bad content length");
            }
            copyExactly(in, out, n);
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw new IOException("request body cut short");
            }
            out.write(buffer, 0, read);
            n -= read;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() > 8192) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
        if (b == -1) {
            throw new IOException("connection closed mid-body");
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static int portOf(String authority, int defaultPort) {
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon > close) {
            try {
                return Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return defaultPort;
            }
        }
        return defaultPort;
    }

    private static void answer(OutputStream out, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String reason = status == 403 ? "Forbidden" : status == 400 ? "Bad Request" : "Bad Gateway";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\nProxy-Connection: close\r\n"
                + "X-Egress-Blocked: " + (status == 403 ? "1" : "0") + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        if (c instanceof Socket s) {
            open.remove(s);
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : List.copyOf(open)) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }

    /** A request or response head: first line and headers in order. */
    static final class Head {
        final String first;
        final List<String[]> headers;

        Head(String first, List<String[]> headers) {
            this.first = first;
            this.headers = headers;
        }

        /** Null when the connection ends before a head starts. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while (matched < 4) {
                try {
                    b = in.read();
                } catch (SocketException e) {
                    if (raw.size() == 0) {
                        return null;
                    }
                    throw e;
                }
                if (b == -1) {
                    if (raw.size() == 0) {
                        return null;
                    }
                    throw new IOException("head cut short");
                }
                raw.write(b);
                if (raw.size() > MAX_HEAD_BYTES) {
                    throw new IOException("head too large");
                }
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = raw.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line");
                }
                headers.add(new String[] {lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()});
            }
            return new Head(lines[0], headers);
        }

        String value(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        int status() {
            String[] parts = first.split(" ", 3);
            try {
                return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Headers minus hop-by-hop ones, including any the Connection header names. */
        List<String[]> withoutHopByHop() {
            Set<String> drop = new java.util.HashSet<>(HOP_BY_HOP);
            String connection = value("connection");
            if (connection != null) {
                for (String token : connection.split(",")) {
                    drop.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
            List<String[]> kept = new ArrayList<>();
            for (String[] h : headers) {
                if (!drop.contains(h[0].toLowerCase(Locale.ROOT))) {
                    kept.add(h);
                }
            }
            return kept;
        }

        byte[] bytes() {
            StringBuilder s = new StringBuilder(first).append("\r\n");
            for (String[] h : headers) {
                s.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
