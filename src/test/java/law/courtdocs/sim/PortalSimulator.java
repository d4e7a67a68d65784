package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Stands in for the court portals. The worker is pointed at it as its outbound HTTP proxy
 * ({@code court.http-proxy}), so it receives absolute-form requests such as
 * {@code GET http://zxfw.court.gov.cn/zxfw/...} and answers per {@code Host} header: the real
 * host names and link shapes are exercised end to end, and nothing leaves the machine.
 */
public final class PortalSimulator implements AutoCloseable {

    private final HttpServer server;
    private final ProxyFront front;
    private final Map<String, HttpHandler> hosts = new ConcurrentHashMap<>();
    private final ZxfwSimulator zxfw;
    private final GdemsSimulator gdems;
    private final DirectSimulator direct;
    private final DaolvSimulator daolv;
    private final JysdSimulator jysd;
    private final SfdwSimulator sfdw;
    private final ChatSimulator chat = new ChatSimulator();

    private PortalSimulator(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::dispatch);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "portal-sim");
            t.setDaemon(true);
            return t;
        }));
        zxfw = new ZxfwSimulator();
        gdems = new GdemsSimulator();
        direct = new DirectSimulator();
        route(ZxfwSimulator.HOST, zxfw);
        route(ZxfwSimulator.FILE_HOST, zxfw);
        route(GdemsSimulator.HOST, gdems);
        route(DirectSimulator.HOST, direct);
        daolv = new DaolvSimulator();
        // one handler for the Hubei host: daolv account mode, and /hb/ + /delimobile/ SMS mode
        route(DaolvSimulator.HUBEI_HOST, daolv);
        route(DaolvSimulator.JIANGXI_HOST, daolv);
        jysd = new JysdSimulator();
        route(JysdSimulator.HOST, jysd);
        route(JysdSimulator.FRAME_HOST, jysd);
        sfdw = new SfdwSimulator();
        route(SfdwSimulator.HOST, sfdw);
        route(SfdwSimulator.GX_HOST, sfdw);
        route(ChatSimulator.FEISHU_HOST, chat);
        route(ChatSimulator.DINGTALK_HOST, chat);
        route(ChatSimulator.WECOM_HOST, chat);
        route(ChatSimulator.TELEGRAM_HOST, chat);
        route(CONTROL_HOST, this::control);
        front = new ProxyFront(port, server);
    }

    /**
     * Through the proxy, {@code GET http://sim.local/zxfw} (or /gdems, /jysd, /sfdw, /hubei) makes a
     * fresh delivery. The jysd one opens with phone {@value #TRY_PHONE}, the sfdw one with code
     * {@value #TRY_CODE}; the Hubei one asks no captcha. {@code /daolv} adds a delivery to daolv
     * account {@value #TRY_ACCOUNT} (password {@value #TRY_PASSWORD}) on the Hubei host and answers
     * the account-mode link; its job waits for a person to read the captcha image.
     */
    public static final String CONTROL_HOST = "sim.local";

    public static final String TRY_PHONE = "13800138000";
    public static final String TRY_CODE = "123456";
    public static final String TRY_ACCOUNT = "420106202612010001";
    public static final String TRY_PASSWORD = "Try#2026";

    private void control(HttpExchange exchange) throws IOException {
        String link = switch (exchange.getRequestURI().getPath()) {
            case "/zxfw" -> zxfw.addDelivery(SimDocs.sampleZxfwDocs());
            case "/gdems" -> gdems.addDelivery(SimDocs.sampleZip(), "送达材料.zip");
            case "/jysd" -> jysd.addDelivery(java.util.List.of(
                    new SimDoc("民事判决书", "pdf", TestPdfs.pdf("try jysd judgment"))), TRY_PHONE);
            case "/sfdw" -> sfdw.addDelivery(java.util.List.of(
                    new SimDoc("传票", "pdf", TestPdfs.pdf("try sfdw summons"))), TRY_CODE);
            case "/hubei" -> daolv.hubeiSms().addMessage(false,
                    new SimDoc("举证通知书", "pdf", TestPdfs.pdf("try hubei notice")));
            case "/daolv" -> {
                String daolvLink = daolv.addAccount(DaolvSimulator.HUBEI_HOST, TRY_ACCOUNT, TRY_PASSWORD);
                daolv.addRecord(DaolvSimulator.HUBEI_HOST, TRY_ACCOUNT, DaolvSimulator.Listing.TODO, "传票",
                        new SimDoc("传票", "pdf", TestPdfs.pdf("try daolv summons")));
                yield daolvLink;
            }
            default -> null;
        };
        if (link == null) {
            send(exchange, 404, "text/plain", "try /zxfw, /gdems, /jysd, /sfdw, /hubei or /daolv");
        } else {
            send(exchange, 200, "text/plain", link + "\n");
        }
    }

    /** Starts on {@code port} (0 = any free port) on 127.0.0.1. */
    public static PortalSimulator start(int port) throws IOException {
        PortalSimulator sim = new PortalSimulator(port);
        sim.server.start();
        sim.front.start();
        return sim;
    }

    /** The proxy port clients are configured with. */
    public int port() {
        return front.port();
    }

    /** Value for {@code court.http-proxy}. */
    public String proxyUrl() {
        return "http://127.0.0.1:" + port();
    }

    public ZxfwSimulator zxfw() {
        return zxfw;
    }

    public GdemsSimulator gdems() {
        return gdems;
    }

    public DirectSimulator direct() {
        return direct;
    }

    public DaolvSimulator daolv() {
        return daolv;
    }

    public HubeiSmsSimulator hubeiSms() {
        return daolv.hubeiSms();
    }

    public JysdSimulator jysd() {
        return jysd;
    }

    public SfdwSimulator sfdw() {
        return sfdw;
    }

    /** The Feishu, DingTalk, WeCom and Telegram robot APIs. */
    public ChatSimulator chat() {
        return chat;
    }

    public void route(String host, HttpHandler handler) {
        hosts.put(host.toLowerCase(Locale.ROOT), handler);
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = hostOf(exchange);
            // plain PDF links live beside a portal on its host, under their own path
            HttpHandler handler = direct.serves(host, exchange.getRequestURI().getPath()) ? direct : hosts.get(host);
            if (handler == null) {
                send(exchange, 502, "text/plain", "simulator: unknown host " + host);
                return;
            }
            handler.handle(exchange);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    static String hostOf(HttpExchange exchange) {
        String host = exchange.getRequestURI().getHost();
        if (host == null) {
            host = exchange.getRequestHeaders().getFirst("Host");
        }
        if (host == null) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** A query string or form body ({@code a=1&b=%E4%B8%AD}) as decoded names and values. */
    public static Map<String, String> params(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        front.close();
        server.stop(0);
    }

    /** Runs the simulator on its own, for trying the packaged service by hand (see README). */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
        PortalSimulator sim = start(port);
        System.out.println("Portal simulator listening as proxy on " + sim.proxyUrl());
        System.out.println("Set COURT_HTTP_PROXY=" + sim.proxyUrl() + " and submit one of these links:");
        System.out.println("  zxfw:  " + sim.zxfw().addDelivery(SimDocs.sampleZxfwDocs()));
        System.out.println("  gdems: " + sim.gdems().addDelivery(SimDocs.sampleZip(), "送达材料.zip"));
        System.out.println("More: curl -s -x " + sim.proxyUrl() + " http://" + CONTROL_HOST
                + "/zxfw   (or /gdems, /jysd [phone " + TRY_PHONE + "], /sfdw [code " + TRY_CODE + "], /hubei)");
        Thread.currentThread().join();
    }
}
