package law.courtdocs.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where one job's browser and HTTP client may go: the hosts of the job's portal (exact names,
 * {@code *.suffix} wildcards, IP literals with an optional port), never an internal address.
 *
 * <p>When the worker talks through an outbound proxy ({@code proxied}), the proxy resolves names,
 * so only names are checked here; the proxy is the one exception to "never internal". Without a
 * proxy every name is resolved and refused if any of its addresses is internal (see
 * {@link #isInternalAddress(InetAddress)}) or if it does not resolve at all.
 *
 * <p>IP literals are refused unless the exact address (and port, if the rule names one) is a
 * rule, and always refused when internal. Hosts that only look like names but are numbers to a
 * browser ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}) are refused as non-canonical
 * IP literals: Java and Chromium read them differently.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return new guards.
 */
public final class EgressGuard {

    /** Name to addresses; {@link InetAddress#getAllByName} unless replaced (tests, caching). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Outcome of {@link #check}; {@code addresses} are the vetted ones when DNS was asked. */
    public record Decision(boolean allowed, String reason, List<InetAddress> addresses) {
        static Decision allow(String reason, List<InetAddress> addresses) {
            return new Decision(true, reason, List.copyOf(addresses));
        }

        static Decision refuse(String reason) {
            return new Decision(false, reason, List.of());
        }
    }

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    /** WHATWG URL: a host whose last label is a number is an IPv4 address to a browser. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    private static final Pattern CANONICAL_IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final List<Rule> rules;
    private final boolean proxied;
    private final boolean browser;
    private final Resolver resolver;

    private EgressGuard(List<Rule> rules, boolean proxied, boolean browser, Resolver resolver) {
        this.rules = rules;
        this.proxied = proxied;
        this.browser = browser;
        this.resolver = resolver;
    }

    /**
     * @param rules {@code host}, {@code *.suffix}, {@code host:port}, {@code 1.2.3.4},
     *     {@code 1.2.3.4:8080}, {@code [2001:db8::1]:443}; a rule without port allows any port
     * @param proxied whether an outbound proxy resolves names (then no DNS checks here)
     * @throws IllegalArgumentException for a rule that is not one of those shapes
     */
    public static EgressGuard of(Collection<String> rules, boolean proxied) {
        List<Rule> parsed = new ArrayList<>();
        for (String r : rules) {
            parsed.add(Rule.parse(r));
        }
        return new EgressGuard(List.copyOf(parsed), proxied, false, InetAddress::getAllByName);
    }

    /** The same rules, also letting through {@code data:}, {@code blob:} and {@code about:}, which never leave the browser. */
    public EgressGuard forBrowser() {
        return new EgressGuard(rules, proxied, true, resolver);
    }

    public EgressGuard withResolver(Resolver resolver) {
        return new EgressGuard(rules, proxied, browser, Objects.requireNonNull(resolver));
    }

    /**
     * A guard that resolves each name once (failures included) for as long as it lives: one per
     * job, so a page with a hundred subresources costs one lookup per host, and every check in
     * the job sees the same answer.
     */
    public EgressGuard withDnsCache() {
        Resolver inner = resolver;
        Map<String, Object> cache = new ConcurrentHashMap<>();
        return withResolver(host -> {
            Object cached = cache.computeIfAbsent(host, h -> {
                try {
                    return inner.resolve(h);
                } catch (UnknownHostException e) {
                    return e;
                }
            });
            if (cached instanceof UnknownHostException e) {
                throw e;
            }
            return ((InetAddress[]) cached).clone();
        });
    }

    public boolean proxied() {
        return proxied;
    }

    /** The rules as given, normalised. */
    public List<String> rules() {
        return rules.stream().map(Rule::toString).toList();
    }

    /**
     * Checks a URL as the browser reports it. Only scheme and authority are parsed, because
     * Chromium leaves characters in paths and queries ({@code |}, {@code {}}) that
     * {@link URI} rejects; the authority of a URL Chromium canonicalised is always clean.
     */
    public Decision check(String url) {
        if (url == null) {
            return Decision.refuse("no URL");
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            return Decision.refuse("URL without scheme");
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return checkScheme(scheme).orElse(Decision.refuse("scheme " + scheme + " is not allowed"));
        }
        String authority = authorityOf(url);
        if (authority == null) {
            return Decision.refuse("URL without host");
        }
        try {
            return check(new URI(scheme + "://" + authority + "/"));
        } catch (URISyntaxException e) {
            return Decision.refuse("host is not valid");
        }
    }

    public Decision check(URI uri) {
        if (uri == null || uri.getScheme() == null) {
            return Decision.refuse("URL without scheme");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return checkScheme(scheme).orElse(Decision.refuse("scheme " + scheme + " is not allowed"));
        }
        if (uri.getRawUserInfo() != null) {
            return Decision.refuse("URL with user information");
        }
        String rawHost = uri.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            // java.net.URI leaves the host null for anything that is not a valid host name or IP
            // literal (underscores, non-ASCII, "127.1", "0x7f.1"): nothing we would allow anyway
            return Decision.refuse("URL without a valid host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = normaliseHost(rawHost);

        Optional<InetAddress> literal;
        try {
            literal = ipLiteral(host);
        } catch (IllegalArgumentException e) {
            return Decision.refuse(e.getMessage());
        }
        if (literal.isPresent()) {
            InetAddress ip = literal.get();
            if (isInternalAddress(ip)) {
                return Decision.refuse("internal address " + ip.getHostAddress());
            }
            boolean listed = rules.stream().anyMatch(r -> r.matchesIp(ip, port));
            return listed ? Decision.allow("listed address", List.of(ip))
                    : Decision.refuse("IP address " + host + " is not allowed");
        }
        if (rules.stream().noneMatch(r -> r.matchesName(host, port))) {
            return Decision.refuse("host " + host + " is not allowed for this portal");
        }
        if (proxied) {
            return Decision.allow("listed host (the outbound proxy resolves it)", List.of());
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Decision.refuse("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return Decision.refuse("host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isInternalAddress(a)) {
                return Decision.refuse("host " + host + " resolves to internal address " + a.getHostAddress());
            }
        }
        return Decision.allow("listed host", List.of(addresses));
    }

    private Optional<Decision> checkScheme(String scheme) {
        if (browser && (scheme.equals("data") || scheme.equals("blob") || scheme.equals("about"))) {
            return Optional.of(Decision.allow("local to the browser", List.of()));
        }
        return Optional.empty();
    }

    /**
     * Whether an address is anything but a public unicast address: unspecified, loopback,
     * private (RFC 1918, fc00::/7, deprecated fec0::/10), link-local (incl. 169.254.169.254
     * cloud metadata, fe80::/10), CGNAT 100.64/10 (incl. Alibaba Cloud metadata
     * 100.100.100.200), multicast, broadcast, reserved and documentation ranges, and IPv6 forms
     * that carry such an IPv4 address (mapped, compatible, NAT64, 6to4) or an opaque one (Teredo).
     */
    public static boolean isInternalAddress(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isInternalV4(b);
        }
        if (address instanceof Inet6Address) {
            return isInternalV6(b);
        }
        return true;
    }

    private static boolean isInternalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return a0 == 0 // "this network" 0/8
                || a0 == 10 // private
                || a0 == 127 // loopback
                || (a0 == 100 && (a1 & 0xc0) == 64) // CGNAT 100.64/10
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata
                || (a0 == 172 && (a1 & 0xf0) == 16) // private 172.16/12
                || (a0 == 192 && a1 == 168) // private
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments 192.0.0/24
                || (a0 == 192 && a1 == 0 && a2 == 2) // TEST-NET-1
                || (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18/15
                || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
                || a0 >= 224; // multicast 224/4, reserved 240/4, broadcast
    }

    private static boolean isInternalV6(byte[] b) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= b[i] == 0;
        }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, also :: and ::1)
        if (first10Zero && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            return isInternalV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if ((w0 & 0xfe00) == 0xfc00 // unique local fc00::/7 (AWS metadata fd00:ec2::254)
                || (w0 & 0xffc0) == 0xfe80 // link-local
                || (w0 & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (w0 & 0xff00) == 0xff00 // multicast
                || (w0 == 0x0100 && w1 == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) // discard 100::/64
                || (w0 == 0x2001 && w1 == 0x0db8) // documentation
                || (w0 == 0x2001 && w1 == 0x0000) // Teredo: the IPv4 end is hidden
                || (w0 == 0x0064 && w1 == 0xff9b && b[4] == 0 && b[5] == 1)) { // local-use NAT64 64:ff9b:1::/48
            return true;
        }
        if (w0 == 0x0064 && w1 == 0xff9b) { // NAT64 64:ff9b::/96 carries an IPv4 address
            return isInternalV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (w0 == 0x2002) { // 6to4 2002:a.b.c.d::/48
            return isInternalV4(new byte[] {b[2], b[3], b[4], b[5]});
        }
        return false;
    }

    /** Host plus path of a URL, for logs and the blocked list: never user info, query or fragment. */
    public static String hostAndPath(String url) {
        if (url == null) {
            return "";
        }
        int colon = url.indexOf(':');
        String scheme = colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
            // data: URLs are content, and any other scheme has no host to speak of
            return scheme.isEmpty() ? "(unparseable URL)" : scheme + ":";
        }
        String authority = authorityOf(url);
        if (authority == null) {
            return "(unparseable URL)";
        }
        int at = authority.lastIndexOf('@');
        String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
        int start = url.indexOf("://") + 3 + authority.length();
        int end = start;
        while (end < url.length() && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        String path = url.substring(start, end);
        return hostPort.toLowerCase(Locale.ROOT) + (path.isEmpty() ? "/" : path);
    }

    public static String hostAndPath(URI uri) {
        return hostAndPath(uri == null ? null : uri.toString());
    }

    /** The authority of {@code scheme://authority/…}, or null. */
    static String authorityOf(String url) {
        int slashes = url.indexOf("://");
        if (slashes < 0) {
            return null;
        }
        int start = slashes + 3;
        int end = start;
        while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return end > start ? url.substring(start, end) : null;
    }

    /** Lower case, no IPv6 brackets, no trailing dot ({@code a.cn.} is {@code a.cn} to DNS). */
    static String normaliseHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            return h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * The address a normalised host stands for when it is an IP literal; empty for a name.
     *
     * @throws IllegalArgumentException for a host a browser would read as an IP address but
     *     that is not in canonical form (decimal, octal, hex, short forms, IPv6 zone ids)
     */
    static Optional<InetAddress> ipLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            if (host.indexOf('%') >= 0) {
                throw new IllegalArgumentException("IPv6 address with zone id");
            }
            try {
                return Optional.of(InetAddress.getByName("[" + host + "]"));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid IPv6 address");
            }
        }
        String[] labels = host.split("\\.", -1);
        if (!NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return Optional.empty();
        }
        if (!CANONICAL_IPV4.matcher(host).matches()) {
            throw new IllegalArgumentException("IP address " + host + " is not in canonical dotted-decimal form");
        }
        try {
            return Optional.of(InetAddress.getByName(host)); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IPv4 address");
        }
    }

    static boolean isValidName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** One allowlist entry. */
    private record Rule(String name, boolean wildcard, InetAddress ip, int port) {

        static Rule parse(String raw) {
            if (raw == null || raw.isBlank()) {
                throw new IllegalArgumentException("empty egress rule");
            }
            String s = raw.strip().toLowerCase(Locale.ROOT);
            boolean wildcard = s.startsWith("*.");
            if (wildcard) {
                s = s.substring(2);
            }
            String host = s;
            int port = -1;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("bad egress rule " + raw);
                }
                host = s.substring(0, close + 1);
                String rest = s.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("bad egress rule " + raw);
                    }
                    port = parsePort(rest.substring(1), raw);
                }
            } else if (s.indexOf(':') >= 0) {
                int colon = s.lastIndexOf(':');
                host = s.substring(0, colon);
                port = parsePort(s.substring(colon + 1), raw);
            }
            host = normaliseHost(host);
            Optional<InetAddress> ip;
            try {
                ip = ipLiteral(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad egress rule " + raw + ": " + e.getMessage());
            }
            if (ip.isPresent()) {
                if (wildcard) {
                    throw new IllegalArgumentException("bad egress rule " + raw + ": wildcard on an address");
                }
                return new Rule(null, false, ip.get(), port);
            }
            if (!isValidName(host) || (wildcard && host.indexOf('.') < 0)) {
                throw new IllegalArgumentException("bad egress rule " + raw);
            }
            return new Rule(host, wildcard, null, port);
        }

        private static int parsePort(String p, String raw) {
            try {
                int port = Integer.parseInt(p);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in egress rule " + raw);
            }
        }

        boolean matchesName(String host, int port) {
            if (name == null || (this.port >= 0 && this.port != port)) {
                return false;
            }
            // *.court.gov.cn: any depth below court.gov.cn, not court.gov.cn itself
            return wildcard ? host.endsWith("." + name) && isValidName(host) : host.equals(name);
        }

        boolean matchesIp(InetAddress address, int port) {
            return ip != null && ip.equals(address) && (this.port < 0 || this.port == port);
        }

        @Override
        public String toString() {
            String host = ip != null ? (ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress())
                    : (wildcard ? "*." : "") + name;
            return port >= 0 ? host + ":" + port : host;
        }
    }
}
