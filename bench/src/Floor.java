import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Proxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bare-Playwright floor: does what the service's zxfw adapter does on its fast path, with
 * nothing of the service around it (no queue, no database, no framework).
 *
 * <p>{@code --threads P} threads, each with its own Playwright driver and one warm Chromium
 * (launched like the worker's: same flags, same proxy), take links from one shared list. Per job
 * (mode {@code context}, the floor): open a new browser context (same options as the
 * worker's job context), POST the zxfw list API with java.net.http through the simulator proxy,
 * download every {@code wjlj} file to a fresh directory, close the context, delete the files.
 * Mode {@code http} skips the browser entirely, which is exactly what the service's fast path
 * does (it never creates a context for zxfw).
 *
 * <p>Each thread first runs {@code --warmup W} jobs that are not timed; then all threads start
 * the timed jobs together. Writes one CSV line per timed job to {@code --out}.
 */
public final class Floor {

    static final String LIST_PATH = "/yzw/yzw-zxfw-sdfw/api/v1/sdfw/getWsListBySdbhNew";
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    /** The worker's Chromium flags (law.courtdocs.browser.BrowserLauncher.ARGS). */
    static final List<String> ARGS = List.of("--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check");

    record Result(int index, int thread, long startMs, long endMs, double workMs, int docs, long bytes) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = BenchSim.options(args);
        List<String> links = Files.readAllLines(Path.of(BenchSim.required(opts, "links"))).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", String.valueOf(links.size())));
        String mode = opts.getOrDefault("mode", "context");
        String proxy = BenchSim.required(opts, "proxy");
        Path out = Path.of(BenchSim.required(opts, "out"));
        boolean useBrowser = mode.equals("context");
        if (!useBrowser && !mode.equals("http")) {
            throw new IllegalArgumentException("--mode context|http");
        }

        URI p = URI.create(proxy);
        // One client for all threads, like the worker's JobRunner.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort())))
                .build();

        AtomicInteger next = new AtomicInteger();
        CyclicBarrier ready = new CyclicBarrier(threads + 1);
        CyclicBarrier done = new CyclicBarrier(threads + 1);
        List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int threadNo = t;
            Thread worker = new Thread(() -> {
                Playwright playwright = null;
                Browser browser = null;
                try {
                    if (useBrowser) {
                        Map<String, String> env = new HashMap<>();
                        Path chromium = Path.of("/usr/bin/chromium");
                        BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions()
                                .setHeadless(true).setArgs(ARGS).setProxy(new Proxy(proxy));
                        if (Files.isExecutable(chromium)) {
                            env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
                            launch.setExecutablePath(chromium);
                        }
                        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
                        browser = playwright.chromium().launch(launch);
                    }
                    for (int w = 0; w < warmup; w++) {
                        job(browser, http, links.get((threadNo * warmup + w) % links.size()));
                    }
                    ready.await();
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        long startMs = System.currentTimeMillis();
                        long t0 = System.nanoTime();
                        long[] got = job(browser, http, links.get(i % links.size()));
                        double ms = (System.nanoTime() - t0) / 1e6;
                        results.add(new Result(i, threadNo, startMs, System.currentTimeMillis(), ms, (int) got[0], got[1]));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    next.set(Integer.MAX_VALUE / 2);
                    ready.reset();
                } finally {
                    try {
                        done.await();
                    } catch (Exception ignored) {
                        // the main thread reports what went wrong
                    }
                    if (browser != null) {
                        browser.close();
                    }
                    if (playwright != null) {
                        playwright.close();
                    }
                }
            }, "floor-" + t);
            worker.start();
            workers.add(worker);
        }
        long wallStart;
        try {
            ready.await();
            wallStart = System.nanoTime();
        } catch (Exception e) {
            wallStart = System.nanoTime();
        }
        done.await();
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        for (Thread w : workers) {
            w.join(60_000);
        }
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace();
            System.exit(1);
        }
        results.sort(Comparator.comparingInt(Result::index));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("index,thread,start_ms,end_ms,work_ms,docs,bytes");
            for (Result r : results) {
                w.printf(java.util.Locale.ROOT, "%d,%d,%d,%d,%.3f,%d,%d%n", r.index(), r.thread(), r.startMs(),
                        r.endMs(), r.workMs(), r.docs(), r.bytes());
            }
        }
        System.out.printf(java.util.Locale.ROOT, "{\"mode\":\"%s\",\"threads\":%d,\"jobs\":%d,\"wallMs\":%.1f}%n",
                mode, threads, results.size(), wallMs);
    }

    /** One job; returns {documents, bytes}. */
    static long[] job(Browser browser, HttpClient http, String link) throws Exception {
        BrowserContext context = null;
        Path dir = Files.createTempDirectory("floor-");
        try {
            if (browser != null) {
                // the worker's job context (law.courtdocs.browser.BrowserLauncher.newJobContext)
                context = browser.newContext(new Browser.NewContextOptions()
                        .setAcceptDownloads(true)
                        .setLocale("zh-CN")
                        .setTimezoneId("Asia/Shanghai")
                        .setViewportSize(1280, 900));
            }
            URI uri = URI.create(link);
            String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            Map<String, String> params = fragmentParams(uri.getRawFragment());
            Map<String, String> body = new java.util.LinkedHashMap<>();
            body.put("sdbh", params.get("sdbh"));
            body.put("qdbh", params.get("qdbh"));
            body.put("sdsin", params.get("sdsin"));
            HttpRequest list = HttpRequest.newBuilder(URI.create(origin + LIST_PATH))
                    .timeout(Duration.ofSeconds(30))
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", "application/json, text/plain, */*")
                    .header("Accept-Language", "zh-CN,zh;q=0.9")
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .header("Origin", origin)
                    .header("Referer", origin + "/zxfw/")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<String> answer = http.send(list, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode root = JSON.readTree(answer.body());
            if (answer.statusCode() != 200 || root.path("code").asInt() != 200) {
                throw new IOException("list API answered " + answer.statusCode() + " " + root.path("msg").asText());
            }
            long bytes = 0;
            int docs = 0;
            for (JsonNode item : root.path("data")) {
                URI file = URI.create(origin + "/").resolve(item.path("wjlj").asText());
                Path target = Files.createTempFile(dir, "zxfw-", "." + item.path("c_wjgs").asText("bin"));
                HttpResponse<Path> got = http.send(HttpRequest.newBuilder(file)
                        .timeout(Duration.ofMinutes(2))
                        .header("User-Agent", USER_AGENT)
                        .header("Accept", "*/*")
                        .header("Referer", origin + "/")
                        .GET().build(), HttpResponse.BodyHandlers.ofFile(target));
                if (got.statusCode() != 200) {
                    throw new IOException("storage answered " + got.statusCode());
                }
                bytes += Files.size(target);
                docs++;
            }
            if (docs == 0) {
                throw new IOException("no documents listed");
            }
            return new long[] {docs, bytes};
        } finally {
            if (context != null) {
                context.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static Map<String, String> fragmentParams(String rawFragment) {
        Map<String, String> out = new HashMap<>();
        int q = rawFragment == null ? -1 : rawFragment.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : rawFragment.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
