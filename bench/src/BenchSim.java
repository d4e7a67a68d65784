import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sim.ZxfwSimulator;

/**
 * Benchmark simulator: the project's {@link PortalSimulator} (a forward proxy answering per Host
 * header, see src/test/java/law/courtdocs/sim) plus a control endpoint on localhost.
 *
 * <p>Run: {@code java -cp target/test-classes:target/quarkus-app/lib/main/*:bench/target/classes
 * BenchSim --ready-file F [--delay-ms 50]}. It writes {@code {"proxyPort":…,"controlPort":…}} to
 * F once both listen. Control (all on 127.0.0.1:controlPort):
 *
 * <ul>
 *   <li>{@code POST /deliveries?n=60&min=1&max=3&kb=200&seed=42}: registers n zxfw deliveries of
 *       min..max PDF documents of about kb KiB each (count and contents drawn from seed, so two
 *       runs with the same arguments serve the same sizes) and answers the links, one a line.</li>
 *   <li>{@code POST /delay?ms=50}: server delay before every list-API answer and every file.</li>
 *   <li>{@code POST /fast-path?on=0}: the list API refuses direct calls (no page cookie), which
 *       sends the service's zxfw adapter through Chromium; {@code on=1} allows them again.</li>
 *   <li>{@code GET /stats}: list-API calls and file requests seen so far, and the current delay.</li>
 * </ul>
 */
public final class BenchSim {

    private static final String[] TITLES = {"民事判决书", "传票", "举证通知书", "应诉通知书", "起诉状副本", "民事裁定书"};

    private static volatile long delayMs;
    private static final AtomicLong listCalls = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path ready = Path.of(required(opts, "ready-file"));
        delayMs = Long.parseLong(opts.getOrDefault("delay-ms", "0"));

        PortalSimulator sim = PortalSimulator.start(0);
        ZxfwSimulator zxfw = sim.zxfw();
        zxfw.delayStorage(Duration.ofMillis(delayMs));
        // The list API gets the same server delay as storage: wrap the portal host's handler.
        sim.route(ZxfwSimulator.HOST, exchange -> {
            if (ZxfwSimulator.LIST_API_PATH.equals(exchange.getRequestURI().getPath())) {
                listCalls.incrementAndGet();
                sleep(delayMs);
            }
            zxfw.handle(exchange);
        });

        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        control.setExecutor(Executors.newFixedThreadPool(2));
        control.createContext("/deliveries", ex -> {
            Map<String, String> q = query(ex);
            int n = Integer.parseInt(q.getOrDefault("n", "1"));
            int min = Integer.parseInt(q.getOrDefault("min", "1"));
            int max = Integer.parseInt(q.getOrDefault("max", String.valueOf(min)));
            int kb = Integer.parseInt(q.getOrDefault("kb", "200"));
            Random random = new Random(Long.parseLong(q.getOrDefault("seed", "42")));
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int count = min + random.nextInt(max - min + 1);
                List<SimDoc> docs = new ArrayList<>();
                for (int d = 0; d < count; d++) {
                    docs.add(new SimDoc(TITLES[d % TITLES.length], "pdf", pdf(kb * 1024, random)));
                }
                out.append(zxfw.addDelivery(docs)).append('\n');
            }
            reply(ex, 200, out.toString());
        });
        control.createContext("/delay", ex -> {
            delayMs = Long.parseLong(query(ex).getOrDefault("ms", "0"));
            zxfw.delayStorage(Duration.ofMillis(delayMs));
            reply(ex, 200, "delay " + delayMs + " ms\n");
        });
        control.createContext("/stats", ex -> reply(ex, 200, String.format(
                "{\"listCalls\":%d,\"fileRequests\":%d,\"delayMs\":%d}%n", listCalls.get(),
                zxfw.requestCount(ZxfwSimulator.FILE_HOST, "/"), delayMs)));
        control.createContext("/fast-path", ex -> {
            // off: the list API refuses callers without the page's cookie, so the service's zxfw
            // adapter falls back to the portal page in Chromium (the path other portals always take)
            boolean on = !"0".equals(query(ex).getOrDefault("on", "1"));
            zxfw.rejectDirectApiCalls(!on);
            reply(ex, 200, "fast path " + (on ? "on" : "off") + "\n");
        });
        control.createContext("/health", ex -> reply(ex, 200, "ok\n"));
        control.start();

        String facts = String.format("{\"proxyPort\":%d,\"controlPort\":%d}%n", sim.port(),
                control.getAddress().getPort());
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, facts);
        Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.print("bench simulator: " + facts);
        Thread.currentThread().join();
    }

    /**
     * A well-formed one-page PDF of about {@code bytes} bytes, shaped like a court document: page
     * one carries about 1,500 characters of text in 30 lines (a court document's first page has a
     * few thousand at most), and the rest of the size sits in a stream the page does not use, as a
     * real file's bulk sits in embedded fonts and images. Random per document, so every file (and
     * its SHA-256) differs. Until 2026-12-02 the whole size was one text run of ~200k glyphs, which
     * made the service's first-page text reading (PdfMetadata) dominate the per-job time.
     */
    static byte[] pdf(int bytes, Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder("BT /F1 10 Tf 50 800 Td 12 TL");
        for (int line = 0; line < 30; line++) {
            text.append(" (");
            for (int c = 0; c < 50; c++) {
                text.append(c % 8 == 7 ? ' ' : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            text.append(") Tj T*");
        }
        text.append(" ET");
        int pad = Math.max(16, bytes - 700 - text.length());
        char[] filler = new char[pad];
        for (int i = 0; i < pad; i++) {
            filler[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return TestPdfs.pdf(text.toString(), new String(filler));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            }
        }
        return out;
    }

    static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
