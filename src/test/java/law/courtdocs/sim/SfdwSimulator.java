package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulator of 司法送达网 (see ../shared/portals.md, section sfdw) for both known instances,
 * Chengdu ({@link #HOST}) and Guangxi ({@link #GX_HOST}:{@link #GX_PORT}; the Guangxi instance
 * answers only on that port, any other port drops the connection).
 *
 * <p>The link {@code /sfsdw//r/<token>} serves a page with {@code <input id="checkCode">} and a
 * global {@code var app}, a plain-JS stand-in for the real Vue instance (no Vue offline): it has
 * {@code $data} ({@code isVerified}, {@code wsList[{wjmc, wjgs, sdjzwjid}]}, {@code ah},
 * {@code fymc}, plus {@code sdbh} and {@code token}) and {@code checkYzm()}, which posts the code
 * "encrypted" (reversed Base64 of the JSON; the point is that the request is not meant to be
 * replayed) and, asynchronously, either fills {@code $data} and sets {@code isVerified} or shows an
 * {@code .el-message--error} toast (验证码错误). The global {@code downloadFile(app, ws)} submits a
 * hidden POST form; the answer carries {@code Content-Disposition: attachment;
 * filename*=UTF-8''<wjmc>.<wjgs>}. Downloads need the token handed out by a successful check.
 * An expired link shows 该送达链接已失效 and no code field.
 *
 * <p>Route both hosts to one instance (the simulator dispatches by host without port):
 * {@code route(SfdwSimulator.HOST, sfdw); route(SfdwSimulator.GX_HOST, sfdw);}
 */
public final class SfdwSimulator implements HttpHandler {

    public static final String HOST = "sfpt.cdfy12368.gov.cn";
    public static final String GX_HOST = "171.106.48.55";
    public static final int GX_PORT = 28083;

    /** Where a delivery lives; each has its own court and case number in {@code $data}. */
    public enum Instance {
        CHENGDU("http://" + HOST, "成都市武侯区人民法院", "（2026）川0107民初5678号"),
        GUANGXI("http://" + GX_HOST + ":" + GX_PORT, "南宁市青秀区人民法院", "（2026）桂0103民初321号");

        public final String origin;
        public final String court;
        public final String caseNumber;

        Instance(String origin, String court, String caseNumber) {
            this.origin = origin;
            this.court = court;
            this.caseNumber = caseNumber;
        }
    }

    private record Delivery(Instance instance, List<SimDoc> docs, List<String> ids, Set<String> rightAnswers,
            boolean expired) {}

    private static final Pattern LINK = Pattern.compile("^/sfsdw//r/([A-Za-z0-9_-]+)/?$");

    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, List<String>> codesTried = new ConcurrentHashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** {@link #addDelivery(Instance, List, String...)} on the Chengdu instance. */
    public String addDelivery(List<SimDoc> docs, String... rightAnswers) {
        return addDelivery(Instance.CHENGDU, docs, rightAnswers);
    }

    /**
     * Registers a delivery of {@code docs} (in this order; {@code wjmc} = title, {@code wjgs} =
     * format, {@code sdjzwjid} = a random id, see {@link #documentIds}). {@code checkYzm()}
     * accepts exactly the {@code rightAnswers}: an SMS code, a phone's last six digits, or both.
     * Returns the http:// link, e.g. {@code http://171.106.48.55:28083/sfsdw//r/<token>}.
     */
    public String addDelivery(Instance instance, List<SimDoc> docs, String... rightAnswers) {
        List<String> ids = docs.stream().map(d -> randomHex(16)).toList();
        return register(new Delivery(instance, List.copyOf(docs), ids, Set.copyOf(List.of(rightAnswers)), false));
    }

    /** A Chengdu link whose page says 该送达链接已失效 (no code field). */
    public String expiredLink() {
        return expiredLink(Instance.CHENGDU);
    }

    public String expiredLink(Instance instance) {
        return register(new Delivery(instance, List.of(), List.of(), Set.of(), true));
    }

    /** The {@code sdjzwjid} of each document of {@code link}, in order. */
    public List<String> documentIds(String link) {
        return deliveries.get(tokenOf(link)).ids();
    }

    /** Codes submitted through {@code checkYzm()} for {@code link}, in order. */
    public List<String> codesTried(String link) {
        return List.copyOf(codesTried.getOrDefault(tokenOf(link), List.of()));
    }

    /** How many files of {@code link} were downloaded. */
    public int downloads(String link) {
        return downloads.getOrDefault(tokenOf(link), 0);
    }

    private String register(Delivery delivery) {
        while (true) {
            String token = randomHex(12);
            if (deliveries.putIfAbsent(token, delivery) == null) {
                codesTried.put(token, new CopyOnWriteArrayList<>());
                return delivery.instance().origin + "/sfsdw//r/" + token;
            }
        }
    }

    private static String tokenOf(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Instance instance = instanceOf(exchange);
        if (instance == null) {
            // Nothing listens there: returning without an answer drops the connection.
            return;
        }
        String path = exchange.getRequestURI().getPath();
        Matcher link = LINK.matcher(path);
        if (link.matches()) {
            Delivery d = deliveries.get(link.group(1));
            boolean usable = d != null && !d.expired() && d.instance() == instance;
            PortalSimulator.send(exchange, 200, "text/html", usable ? page(link.group(1), instance) : expiredPage());
            return;
        }
        switch (path) {
            case "/sfsdw/api/sd/checkYzm" -> checkYzm(exchange, instance, decrypt(body));
            case "/sfsdw/api/sd/downloadFile" -> downloadFile(exchange, decrypt(formValue(body, "param")));
            default -> PortalSimulator.send(exchange, 404, "text/html", "<h3>404 Not Found</h3>");
        }
    }

    /** Which instance the request is for, by host and port; null for a port nothing listens on. */
    private static Instance instanceOf(HttpExchange exchange) {
        String host = PortalSimulator.hostOf(exchange);
        URI uri = exchange.getRequestURI();
        int port = uri.getPort();
        if (uri.getHost() == null) {
            String header = exchange.getRequestHeaders().getFirst("Host");
            int colon = header == null ? -1 : header.lastIndexOf(':');
            port = colon > 0 ? Integer.parseInt(header.substring(colon + 1)) : -1;
        }
        if (host.equals(HOST) && (port == -1 || port == 80)) {
            return Instance.CHENGDU;
        }
        if (host.equals(GX_HOST) && port == GX_PORT) {
            return Instance.GUANGXI;
        }
        return null;
    }

    private void checkYzm(HttpExchange exchange, Instance instance, String request) throws IOException {
        String sdbh = field(request, "sdbh");
        String yzm = field(request, "yzm");
        Delivery d = sdbh == null ? null : deliveries.get(sdbh);
        if (d == null || d.expired() || d.instance() != instance) {
            json(exchange, "{\"code\":500,\"msg\":\"该送达链接已失效\"}");
            return;
        }
        codesTried.get(sdbh).add(yzm);
        if (yzm == null || !d.rightAnswers().contains(yzm)) {
            json(exchange, "{\"code\":500,\"msg\":\"验证码错误，请重新输入\"}");
            return;
        }
        String token = randomHex(20);
        tokens.put(token, sdbh);
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < d.docs().size(); i++) {
            SimDoc doc = d.docs().get(i);
            list.append(i > 0 ? "," : "").append("{\"wjmc\":\"").append(jsString(doc.title()))
                    .append("\",\"wjgs\":\"").append(jsString(doc.format()))
                    .append("\",\"sdjzwjid\":\"").append(d.ids().get(i)).append("\"}");
        }
        json(exchange, "{\"code\":200,\"data\":{\"token\":\"" + token + "\",\"ah\":\""
                + jsString(instance.caseNumber) + "\",\"fymc\":\"" + jsString(instance.court)
                + "\",\"wsList\":" + list.append(']') + "}}");
    }

    private void downloadFile(HttpExchange exchange, String request) throws IOException {
        String sdbh = tokens.get(String.valueOf(field(request, "token")));
        Delivery d = sdbh == null ? null : deliveries.get(sdbh);
        int index = d == null ? -1 : d.ids().indexOf(field(request, "sdjzwjid"));
        if (index < 0 || !sdbh.equals(field(request, "sdbh"))) {
            PortalSimulator.send(exchange, 403, "application/json", "{\"code\":403,\"msg\":\"无权访问\"}");
            return;
        }
        SimDoc doc = d.docs().get(index);
        downloads.merge(sdbh, 1, Integer::sum);
        exchange.getResponseHeaders().set("Content-Disposition",
                "attachment; filename*=UTF-8''" + percentEncode(doc.title() + "." + doc.format()));
        PortalSimulator.send(exchange, 200, "application/octet-stream", doc.bytes());
    }

    private static String page(String token, Instance instance) {
        return html("电子送达", """
                <div id="app">
                  <div class="header">__COURT__ · 司法送达网</div>
                  <div class="verify" id="verifyBox">
                    <p>请输入短信中的验证码查看送达文书</p>
                    <input id="checkCode" type="text" maxlength="6" autocomplete="off" placeholder="请输入验证码">
                    <button type="button" class="el-button el-button--primary" onclick="app.checkYzm()"><span>确 定</span></button>
                  </div>
                  <div class="list" id="wsBox" style="display:none">
                    <p>案号：<span class="ah"></span></p>
                    <p>法院：<span class="fymc"></span></p>
                    <table><tbody id="wsRows"></tbody></table>
                  </div>
                </div>
                <script>
                  function enc(o) {
                    return btoa(unescape(encodeURIComponent(JSON.stringify(o)))).split('').reverse().join('');
                  }
                  function toast(msg) {
                    var el = document.createElement('div');
                    el.className = 'el-message el-message--error';
                    el.innerHTML = '<p class="el-message__content"></p>';
                    el.firstChild.textContent = msg;
                    document.body.appendChild(el);
                    setTimeout(function () { el.remove(); }, 3000);
                  }
                  function render(d) {
                    document.getElementById('verifyBox').style.display = 'none';
                    document.getElementById('wsBox').style.display = 'block';
                    document.querySelector('.ah').textContent = d.ah;
                    document.querySelector('.fymc').textContent = d.fymc;
                    var rows = document.getElementById('wsRows');
                    d.wsList.forEach(function (ws) {
                      var tr = document.createElement('tr');
                      var name = document.createElement('td');
                      name.textContent = ws.wjmc + '.' + ws.wjgs;
                      var op = document.createElement('td');
                      var a = document.createElement('a');
                      a.href = 'javascript:void(0)';
                      a.textContent = '下载';
                      a.onclick = function () { downloadFile(app, ws); };
                      op.appendChild(a);
                      tr.appendChild(name);
                      tr.appendChild(op);
                      rows.appendChild(tr);
                    });
                  }
                  // Stand-in for: var app = new Vue({ el: '#app', data: {…}, methods: { checkYzm() {…} } })
                  var app = {
                    $data: { sdbh: "__TOKEN__", token: '', yzm: '', isVerified: false, ah: '', fymc: '', wsList: [] },
                    checkYzm: function () {
                      var d = app.$data;
                      d.yzm = document.getElementById('checkCode').value.trim();
                      if (!d.yzm) { toast('请输入验证码'); return; }
                      var xhr = new XMLHttpRequest();
                      xhr.open('POST', '/sfsdw/api/sd/checkYzm');
                      xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
                      xhr.onload = function () {
                        var res = JSON.parse(xhr.responseText);
                        if (res.code !== 200) { toast(res.msg); return; }
                        d.token = res.data.token;
                        d.ah = res.data.ah;
                        d.fymc = res.data.fymc;
                        d.wsList = res.data.wsList;
                        d.isVerified = true;
                        render(d);
                      };
                      // like the real method: answers later, returns nothing to wait on
                      xhr.send(enc({ sdbh: d.sdbh, yzm: d.yzm, t: Date.now() }));
                    }
                  };
                  function downloadFile(app, ws) {
                    var form = document.createElement('form');
                    form.method = 'post';
                    form.action = '/sfsdw/api/sd/downloadFile';
                    var input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = 'param';
                    input.value = enc({ sdbh: app.$data.sdbh, token: app.$data.token, sdjzwjid: ws.sdjzwjid });
                    form.appendChild(input);
                    document.body.appendChild(form);
                    form.submit();
                    setTimeout(function () { form.remove(); }, 1000);
                  }
                </script>
                """.replace("__COURT__", instance.court).replace("__TOKEN__", token));
    }

    private static String expiredPage() {
        return html("电子送达", """
                <div id="app"><div class="invalid"><p>该送达链接已失效，请联系承办法院。</p></div></div>
                <script>
                  var app = { $data: { isVerified: false, wsList: [] }, checkYzm: function () {} };
                </script>
                """);
    }

    /** Undoes the page's {@code enc}: reversed Base64 of UTF-8 JSON. */
    private static String decrypt(String s) {
        try {
            String b64 = new StringBuilder(s.strip()).reverse().toString();
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** A string field of the small flat JSON objects the page sends. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:\\\\.|[^\"\\\\])*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
    }

    private static String formValue(String body, String name) {
        for (String pair : body.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        PortalSimulator.send(exchange, 200, "application/json", body);
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String html(String title, String body) {
        return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head><body>" + body + "</body></html>";
    }

    private static String jsString(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '<' -> out.append("\\u003c");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
