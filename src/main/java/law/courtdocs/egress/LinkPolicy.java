package law.courtdocs.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which links the service accepts at all: http(s), no user-info, and a host on the allowlist.
 * An IP-address link must be listed as that address ({@code 171.106.48.55} or
 * {@code 171.106.48.55:28083}) and is refused, listed or not, when the address is private,
 * loopback, link-local or otherwise internal ({@link EgressGuard#isInternalAddress}), or written
 * in a form other than plain dotted decimal ({@code 2130706433}, {@code 0177.0.0.1}).
 * Plain Java so the rule is unit-tested on its own and shared by API and worker.
 */
public final class LinkPolicy {

    private final Set<String> allowedHosts;
    /** The IP-literal entries, canonical ({@code 1.2.3.4}, {@code [2001:db8::1]}, optionally {@code :port}). */
    private final Set<String> allowedAddresses;

    public LinkPolicy(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.allowedAddresses = this.allowedHosts.stream()
                .map(LinkPolicy::canonicalAddressEntry)
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code 171.106.48.55:28083} → itself; names and unreadable entries → empty. */
    private static Optional<String> canonicalAddressEntry(String entry) {
        String host = entry;
        String port = "";
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = entry.substring(0, close + 1);
            port = entry.substring(close + 1);
        } else if (entry.indexOf(':') >= 0) {
            host = entry.substring(0, entry.lastIndexOf(':'));
            port = entry.substring(entry.lastIndexOf(':'));
        }
        try {
            String portPart = port;
            return EgressGuard.ipLiteral(EgressGuard.normaliseHost(host)).map(ip -> literal(ip) + portPart);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String literal(InetAddress ip) {
        return ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    }

    /** A refused link, with a reason fit to show the caller. */
    public static final class RejectedLink extends Exception {
        public RejectedLink(String reason) {
            super(reason);
        }
    }

    public URI check(String raw) throws RejectedLink {
        if (raw == null || raw.isBlank()) {
            throw new RejectedLink("url is required");
        }
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new RejectedLink("url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RejectedLink("only http and https links are accepted");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RejectedLink("links with user information are not accepted");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new RejectedLink("url has no host");
        }
        Optional<InetAddress> ip;
        try {
            ip = EgressGuard.ipLiteral(EgressGuard.normaliseHost(host));
        } catch (IllegalArgumentException e) {
            throw new RejectedLink("IP address links must use plain dotted-decimal form");
        }
        if (ip.isPresent()) {
            if (EgressGuard.isInternalAddress(ip.get())) {
                throw new RejectedLink("links to private, loopback, link-local or other internal addresses are not accepted");
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String address = literal(ip.get());
            if (!allowedAddresses.contains(address) && !allowedAddresses.contains(address + ":" + port)) {
                throw new RejectedLink("address " + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                        + " is not a known court delivery portal");
            }
            return uri;
        }
        if (!allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new RejectedLink("host " + host + " is not a known court delivery portal");
        }
        return uri;
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }
}
