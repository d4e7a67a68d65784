package law.courtdocs.sim;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The forward-proxy face of the simulator. Chromium sends absolute-form requests for http://
 * targets, while Playwright's API request context (and some clients) open a {@code CONNECT}
 * tunnel even for http://. Both end up as plain HTTP with a {@code Host} header at the
 * simulator's HTTP server, which answers per host. TLS inside a tunnel is not simulated.
 */
final class ProxyFront implements AutoCloseable {

    private final ServerSocket socket;
    private final int backendPort;
    private volatile boolean closed;

    ProxyFront(int port, HttpServer backend) throws IOException {
        this.socket = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
        this.backendPort = backend.getAddress().getPort();
    }

    int port() {
        return socket.getLocalPort();
    }

    void start() {
        Thread acceptor = new Thread(this::acceptLoop, "portal-sim-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "portal-sim-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            InputStream in = client.getInputStream();
            byte[] head = readRequestHead(in);
            String firstLine = new String(head, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            if (firstLine.startsWith("CONNECT ")) {
                client.getOutputStream().write(
                        "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
            } else {
                backend.getOutputStream().write(head);
            }
            Thread upstream = new Thread(() -> pipe(in, backend), "portal-sim-pipe");
            upstream.setDaemon(true);
            upstream.start();
            pipe(backend.getInputStream(), client);
            upstream.join(1000);
        } catch (IOException | InterruptedException e) {
            // a client that hangs up mid-request is normal for a proxy
        }
    }

    /** Reads up to and including the blank line that ends the request head. */
    private static byte[] readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static void pipe(InputStream from, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            from.transferTo(out);
            to.shutdownOutput();
        } catch (IOException ignored) {
            // either side closed; the other side's pipe ends the connection
        }
    }

    private static void pipe(InputStream from, OutputStream to) throws IOException {
        from.transferTo(to);
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
