package law.courtdocs.chat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chat vendors a notification channel can post to, each through its group robot (custom bot)
 * API. A robot's address is fixed by the vendor, so a channel can only ever reach these hosts: no
 * destination rules are needed as for webhooks.
 */
public enum ChatKind {
    /** 飞书 custom bot: {@code https://open.feishu.cn/open-apis/bot/v2/hook/<token>}, signed. */
    FEISHU("feishu", true, List.of("open.feishu.cn", "open.larksuite.com"), Pattern.compile("/open-apis/bot/v2/hook/[A-Za-z0-9-]{8,128}"), null),
    /** 钉钉 custom robot: {@code https://oapi.dingtalk.com/robot/send?access_token=<token>}, signed. */
    DINGTALK("dingtalk", true, List.of("oapi.dingtalk.com"), Pattern.compile("/robot/send"), Pattern.compile("access_token=[A-Za-z0-9]{16,128}")),
    /** 企业微信 group robot: {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>}; the key is the secret. */
    WECOM("wecom", false, List.of("qyapi.weixin.qq.com"), Pattern.compile("/cgi-bin/webhook/send"), Pattern.compile("key=[A-Za-z0-9-]{16,128}")),
    /** Telegram Bot API {@code sendMessage}: a bot token and a chat id instead of a URL. */
    TELEGRAM("telegram", false, List.of(), null, null);

    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{3,20}:[A-Za-z0-9_-]{20,100}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}");

    private final String wire;
    private final boolean signed;
    private final List<String> hosts;
    private final Pattern path;
    private final Pattern query;

    ChatKind(String wire, boolean signed, List<String> hosts, Pattern path, Pattern query) {
        this.wire = wire;
        this.signed = signed;
        this.hosts = hosts;
        this.path = path;
        this.query = query;
    }

    public String wire() {
        return wire;
    }

    /** Whether the vendor signs robot calls with a secret, which a channel of this kind must then have. */
    public boolean signed() {
        return signed;
    }

    /** Whether the robot is addressed by {@code webhookUrl} (else by {@code botToken} and {@code chatId}). */
    public boolean byUrl() {
        return !hosts.isEmpty();
    }

    public static Optional<ChatKind> ofWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst();
    }

    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(ChatKind::wire).toList());
    }

    /**
     * Why {@code url} is not this vendor's robot address, or empty when it is. {@code requireHttps}
     * is off only in tests, whose vendor simulators speak plain HTTP through the proxy.
     */
    public Optional<String> urlProblem(String url, boolean requireHttps) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && (requireHttps || !scheme.equals("http"))) {
            return Optional.of("must be an https:// URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host) || uri.getPort() != -1 || uri.getUserInfo() != null || uri.getFragment() != null) {
            return Optional.of("is not a " + wire + " robot address (" + example() + ")");
        }
        if (!path.matcher(uri.getRawPath() == null ? "" : uri.getRawPath()).matches()) {
            return Optional.of("is not a " + wire + " robot address (" + example() + ")");
        }
        String q = uri.getRawQuery();
        if (query == null ? q != null : q == null || !query.matcher(q).matches()) {
            return Optional.of("is not a " + wire + " robot address (" + example() + ")");
        }
        return Optional.empty();
    }

    /** The robot address without its token, for lists and logs. */
    public String display(String url) {
        URI uri = URI.create(url);
        String base = uri.getScheme() + "://" + uri.getHost();
        return switch (this) {
            case FEISHU -> base + "/open-apis/bot/v2/hook/…";
            case DINGTALK -> base + "/robot/send?access_token=…";
            case WECOM -> base + "/cgi-bin/webhook/send?key=…";
            case TELEGRAM -> url;
        };
    }

    public static boolean isBotToken(String token) {
        return token != null && BOT_TOKEN.matcher(token).matches();
    }

    public static boolean isChatId(String chatId) {
        return chatId != null && CHAT_ID.matcher(chatId).matches();
    }

    private String example() {
        return switch (this) {
            case FEISHU -> "https://open.feishu.cn/open-apis/bot/v2/hook/<token>";
            case DINGTALK -> "https://oapi.dingtalk.com/robot/send?access_token=<token>";
            case WECOM -> "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>";
            case TELEGRAM -> "botToken and chatId";
        };
    }
}
