package law.courtdocs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Simulator of 简易送达 (see ../shared/portals.md, section jysd). Serves both hosts involved:
 * <ul>
 *   <li>{@link #HOST}: {@code /sd?key=…}, the delivery page, which only embeds the iframe;</li>
 *   <li>{@link #FRAME_HOST}: the iframe. {@code /checkLoginPc} has the phone field
 *       ({@code placeholder="请输入手机号"}) and an Element-UI 登录 button; a wrong phone shows an
 *       {@code .el-message--error} toast and locks the form until the page is reloaded. The right
 *       phone leads to {@code /middlePagePc} (case, 送达法院, a 查看文书详情 button), which leads to
 *       {@code /home}: an Element-UI-like table filled by script after a short loading mask, one
 *       {@code tr.el-table__row} per document with a 下载 button. Deliveries made with
 *       {@link #addDeliveryWithCheckDialog} open a {@code .checkFileDialog} on each 下载 that must
 *       be confirmed (下载文书并核验). Files come with
 *       {@code Content-Disposition: attachment; filename*=UTF-8''<title>.<format>}.</li>
 * </ul>
 * The login hands out a token carried in the iframe URLs (no cookies, so third-party cookie
 * rules of the browser do not matter); list and download refuse requests without it.
 * <p>Route both hosts to one instance:
 * {@code route(JysdSimulator.HOST, jysd); route(JysdSimulator.FRAME_HOST, jysd);}
 */
public final class JysdSimulator implements HttpHandler {

    public static final String HOST = "jysd.10102368.com";
    /** Host of the login iframe; portals.md only says "from sifayun.com". */
    public static final String FRAME_HOST = "sd.sifayun.com";
    /** Court shown on the page after login as 送达法院：…. */
    public static final String COURT = "浙江省杭州市西湖区人民法院";
    public static final String CASE_NUMBER = "（2026）浙0106民初1234号";

    private record Delivery(List<SimDoc> docs, Set<String> rightPhones, boolean checkDialog, boolean expired) {}

    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, List<String>> loginPhones = new ConcurrentHashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * Registers a delivery of {@code docs} (shown in this order, file name {@code title.format});
     * the login accepts any of {@code rightPhones} and nothing else. Returns its http:// link.
     */
    public String addDelivery(List<SimDoc> docs, String... rightPhones) {
        return register(new Delivery(List.copyOf(docs), Set.copyOf(List.of(rightPhones)), false, false));
    }

    /** Like {@link #addDelivery}, but every 下载 first asks 下载文书并核验 in a {@code .checkFileDialog}. */
    public String addDeliveryWithCheckDialog(List<SimDoc> docs, String... rightPhones) {
        return register(new Delivery(List.copyOf(docs), Set.copyOf(List.of(rightPhones)), true, false));
    }

    /**
     * A link whose delivery page still loads, but whose iframe says 该送达链接已失效 instead of
     * showing the phone field.
     */
    public String expiredLink() {
        return register(new Delivery(List.of(), Set.of(), false, true));
    }

    /** Phones submitted to the login of {@code link}, in order (for asserting what was tried). */
    public List<String> loginPhones(String link) {
        return List.copyOf(loginPhones.getOrDefault(keyOf(link), List.of()));
    }

    /** How many files of {@code link} were downloaded. */
    public int downloads(String link) {
        return downloads.getOrDefault(keyOf(link), 0);
    }

    private String register(Delivery delivery) {
        while (true) {
            String key = randomHex(16);
            if (deliveries.putIfAbsent(key, delivery) == null) {
                loginPhones.put(key, new CopyOnWriteArrayList<>());
                return "http://" + HOST + "/sd?key=" + key;
            }
        }
    }

    private static String keyOf(String link) {
        return link.substring(link.indexOf("key=") + 4);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String host = PortalSimulator.hostOf(exchange);
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (host.equals(HOST)) {
            if (!path.equals("/sd")) {
                PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
                return;
            }
            String key = query.getOrDefault("key", "");
            PortalSimulator.send(exchange, 200, "text/html",
                    deliveries.containsKey(key) ? deliveryPage(key) : unknownKeyPage());
            return;
        }
        switch (path) {
            case "/checkLoginPc" -> checkLoginPc(exchange, query.getOrDefault("key", ""));
            case "/api/checkLogin" -> apiLogin(exchange, form(body));
            case "/middlePagePc" -> afterLogin(exchange, query, false);
            case "/home" -> afterLogin(exchange, query, true);
            case "/api/wsList" -> apiList(exchange, query);
            case "/api/download" -> apiDownload(exchange, query);
            default -> PortalSimulator.send(exchange, 404, "text/html", page("404", "<h3>页面不存在</h3>"));
        }
    }

    private void checkLoginPc(HttpExchange exchange, String key) throws IOException {
        Delivery d = deliveries.get(key);
        if (d == null || d.expired()) {
            PortalSimulator.send(exchange, 200, "text/html", page("简易送达", """
                    <div class="invalid"><i class="el-icon-warning"></i>
                      <p>该送达链接已失效，如有疑问请联系送达法院。</p></div>"""));
            return;
        }
        PortalSimulator.send(exchange, 200, "text/html", page("身份验证", """
                <div class="login-box">
                  <h3>身份验证</h3>
                  <p class="tip">请输入接收送达短信的手机号码</p>
                  <div class="el-input"><input type="text" class="el-input__inner" maxlength="11"
                       autocomplete="off" placeholder="请输入手机号码"></div>
                  <button type="button" class="el-button el-button--primary login-btn"><span>登录</span></button>
                </div>
                <script>
                  var key = "__KEY__";
                  var input = document.querySelector('.el-input__inner');
                  var btn = document.querySelector('.login-btn');
                  function toast(msg) {
                    var el = document.createElement('div');
                    el.className = 'el-message el-message--error';
                    el.setAttribute('role', 'alert');
                    el.innerHTML = '<p class="el-message__content"></p>';
                    el.firstChild.textContent = msg;
                    document.body.appendChild(el);
                  }
                  btn.addEventListener('click', function () {
                    if (btn.disabled) { return; }
                    var phone = input.value.trim();
                    if (!/^1\\d{10}$/.test(phone)) { toast('请输入正确的手机号码'); return; }
                    btn.disabled = true;
                    fetch('/api/checkLogin', {method: 'POST',
                        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                        body: new URLSearchParams({key: key, phone: phone}).toString()})
                      .then(function (r) { return r.json(); })
                      .then(function (res) {
                        if (res.code === 200) {
                          location.href = '/middlePagePc?key=' + key + '&token=' + res.data.token;
                        } else {
                          // the real site locks the form after a failure until the page is reloaded
                          input.disabled = true;
                          toast(res.msg);
                        }
                      });
                  });
                </script>
                """.replace("__KEY__", key)));
    }

    private void apiLogin(HttpExchange exchange, Map<String, String> form) throws IOException {
        String key = form.getOrDefault("key", "");
        String phone = form.getOrDefault("phone", "");
        Delivery d = deliveries.get(key);
        if (d == null || d.expired()) {
            json(exchange, "{\"code\":500,\"msg\":\"链接已失效\"}");
            return;
        }
        loginPhones.get(key).add(phone);
        if (!d.rightPhones().contains(phone)) {
            json(exchange, "{\"code\":500,\"msg\":\"手机号码与受送达人信息不一致\"}");
            return;
        }
        String token = randomHex(20);
        tokens.put(token, key);
        json(exchange, "{\"code\":200,\"msg\":\"登录成功\",\"data\":{\"token\":\"" + token + "\"}}");
    }

    private void afterLogin(HttpExchange exchange, Map<String, String> query, boolean home) throws IOException {
        String key = query.getOrDefault("key", "");
        String token = query.getOrDefault("token", "");
        if (!key.equals(tokens.get(token))) {
            exchange.getResponseHeaders().set("Location", "/checkLoginPc?key=" + key);
            PortalSimulator.send(exchange, 302, "text/html", "");
            return;
        }
        Delivery d = deliveries.get(key);
        if (!home) {
            PortalSimulator.send(exchange, 200, "text/html", page("送达信息", """
                    <div class="middle-page">
                      <h3>您有一份法律文书待查收</h3>
                      <p>案号：__CASE__</p>
                      <p>送达法院：__COURT__</p>
                      <p>文书数量：__COUNT__ 份</p>
                      <button type="button" class="el-button el-button--primary"
                        onclick="location.href='/home?key=__KEY__&token=__TOKEN__'"><span>查看文书详情</span></button>
                    </div>
                    """.replace("__CASE__", CASE_NUMBER).replace("__COURT__", COURT)
                    .replace("__COUNT__", Integer.toString(d.docs().size()))
                    .replace("__KEY__", key).replace("__TOKEN__", token)));
            return;
        }
        PortalSimulator.send(exchange, 200, "text/html", page("文书列表", """
                <div class="home">
                  <div class="title">送达法院：__COURT__</div>
                  <div class="el-table el-table--border" style="position:relative">
                    <div class="el-table__header-wrapper"><table class="el-table__header"><thead><tr>
                      <th class="el-table_1_column_1"><div class="cell">序号</div></th>
                      <th class="el-table_1_column_2"><div class="cell">文书名称</div></th>
                      <th class="el-table_1_column_3"><div class="cell">送达时间</div></th>
                      <th class="el-table_1_column_4"><div class="cell">操作</div></th>
                    </tr></thead></table></div>
                    <div class="el-table__body-wrapper"><table class="el-table__body"><tbody></tbody></table>
                      <div class="el-table__empty-block"><span class="el-table__empty-text">暂无数据</span></div>
                    </div>
                    <div class="el-loading-mask" style="position:absolute;inset:0;background:rgba(255,255,255,.9)">
                      <div class="el-loading-spinner">加载中</div></div>
                  </div>
                  <div class="el-dialog__wrapper" style="display:none">
                    <div role="dialog" class="el-dialog checkFileDialog">
                      <div class="el-dialog__header"><span class="el-dialog__title">文书核验</span></div>
                      <div class="el-dialog__body">下载的文书带有电子签章，是否下载文书并核验？</div>
                      <div class="el-dialog__footer">
                        <button type="button" class="el-button el-button--default cancel"><span>取 消</span></button>
                        <button type="button" class="el-button el-button--primary ok"><span>下载文书并核验</span></button>
                      </div>
                    </div>
                  </div>
                </div>
                <script>
                  var token = "__TOKEN__", checkDialog = __CHECK__, pending = null;
                  var wrapper = document.querySelector('.el-dialog__wrapper');
                  function save(ws) {
                    var a = document.createElement('a');
                    a.href = '/api/download?token=' + token + '&wsid=' + ws.wsid;
                    a.download = '';
                    document.body.appendChild(a);
                    a.click();
                    a.remove();
                  }
                  wrapper.querySelector('.ok').addEventListener('click', function () {
                    wrapper.style.display = 'none';
                    save(pending);
                  });
                  wrapper.querySelector('.cancel').addEventListener('click', function () {
                    wrapper.style.display = 'none';
                  });
                  function cell(text) {
                    var td = document.createElement('td');
                    var div = document.createElement('div');
                    div.className = 'cell';
                    div.textContent = text;
                    td.appendChild(div);
                    return td;
                  }
                  fetch('/api/wsList?token=' + token).then(function (r) { return r.json(); }).then(function (res) {
                    // the real list takes a moment; the adapter must not mistake 暂无数据 for "empty"
                    setTimeout(function () {
                      var tbody = document.querySelector('.el-table__body tbody');
                      res.data.forEach(function (ws, i) {
                        var tr = document.createElement('tr');
                        tr.className = 'el-table__row';
                        tr.appendChild(cell(String(i + 1)));
                        tr.appendChild(cell(ws.wsmc));
                        tr.appendChild(cell(ws.fssj));
                        var op = cell('');
                        var btn = document.createElement('button');
                        btn.type = 'button';
                        btn.className = 'el-button el-button--text el-button--small';
                        btn.innerHTML = '<span>下载</span>';
                        btn.addEventListener('click', function () {
                          if (checkDialog) { pending = ws; wrapper.style.display = 'block'; } else { save(ws); }
                        });
                        op.firstChild.appendChild(btn);
                        tr.appendChild(op);
                        tbody.appendChild(tr);
                      });
                      if (res.data.length > 0) {
                        document.querySelector('.el-table__empty-block').remove();
                      }
                      document.querySelector('.el-loading-mask').remove();
                    }, 400);
                  });
                </script>
                """.replace("__COURT__", COURT).replace("__TOKEN__", token)
                .replace("__CHECK__", Boolean.toString(d.checkDialog()))));
    }

    private void apiList(HttpExchange exchange, Map<String, String> query) throws IOException {
        String key = tokens.get(query.getOrDefault("token", ""));
        if (key == null) {
            json(exchange, "{\"code\":401,\"msg\":\"请先登录\"}");
            return;
        }
        List<SimDoc> docs = deliveries.get(key).docs();
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                data.append(',');
            }
            data.append("{\"wsid\":\"").append(i).append("\",\"wsmc\":\"").append(jsString(docs.get(i).title()))
                    .append("\",\"fssj\":\"2026-03-0").append(1 + i % 9).append(" 10:00:00\"}");
        }
        json(exchange, "{\"code\":200,\"data\":" + data.append(']') + "}");
    }

    private void apiDownload(HttpExchange exchange, Map<String, String> query) throws IOException {
        String key = tokens.get(query.getOrDefault("token", ""));
        int index;
        try {
            index = Integer.parseInt(query.getOrDefault("wsid", "-1"));
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (key == null || index < 0 || index >= deliveries.get(key).docs().size()) {
            PortalSimulator.send(exchange, 403, "text/plain", "forbidden");
            return;
        }
        SimDoc doc = deliveries.get(key).docs().get(index);
        downloads.merge(key, 1, Integer::sum);
        exchange.getResponseHeaders().set("Content-Disposition",
                "attachment; filename*=UTF-8''" + percentEncode(doc.title() + "." + doc.format()));
        PortalSimulator.send(exchange, 200, "application/octet-stream", doc.bytes());
    }

    private static String deliveryPage(String key) {
        return page("简易送达", """
                <div class="top">简易送达 · 电子送达服务平台</div>
                <iframe id="sdFrame" src="http://__FRAME_HOST__/checkLoginPc?key=__KEY__"
                        style="width:100%;height:720px;border:0"></iframe>
                """.replace("__FRAME_HOST__", FRAME_HOST).replace("__KEY__", key));
    }

    private static String unknownKeyPage() {
        return page("简易送达", "<div class=\"error\"><p>链接已失效或不存在</p></div>");
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        PortalSimulator.send(exchange, 200, "application/json", body);
    }

    private static Map<String, String> form(String raw) {
        return PortalSimulator.params(raw);
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String page(String title, String body) {
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
