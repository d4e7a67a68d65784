package law.courtdocs.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import law.courtdocs.egress.EgressGuard;

/**
 * Where a webhook may be sent: to a public address, or to a host or network the firm listed in
 * {@code court.webhooks.allowed-destinations} (its case system on its own network). Link-local
 * addresses (169.254/16 with the cloud metadata service, fe80::/10) and the other metadata
 * addresses are never allowed, listed or not: a webhook URL is typed by a tenant's admin, and
 * must not turn the sender into a way into the cluster.
 *
 * <p>Checked when the subscription is made and again before every delivery, since a name can
 * resolve elsewhere later. Plain class; the resolver is a parameter so tests need no DNS.
 */
public final class DestinationPolicy {

    /** Metadata services outside link-local: Alibaba Cloud, AWS's IPv6 endpoint. */
    private static final List<String> METADATA = List.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    private final List<String> hosts = new ArrayList<>();
    private final List<Cidr> networks = new ArrayList<>();
    private final EgressGuard.Resolver resolver;

    public DestinationPolicy(List<String> allowed, EgressGuard.Resolver resolver) {
        this.resolver = resolver;
        for (String raw : allowed) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            Optional<Cidr> cidr = Cidr.parse(entry);
            if (cidr.isPresent()) {
                networks.add(cidr.get());
            } else if (entry.matches("[a-z0-9.-]+")) {
                hosts.add(entry);
            } else {
                throw new IllegalArgumentException("court.webhooks.allowed-destinations: '" + raw
                        + "' is neither a host name nor an address or CIDR");
            }
        }
    }

    /** The policy of {@code court.webhooks.allowed-destinations}, resolving names with the system's DNS. */
    public static DestinationPolicy of(law.courtdocs.config.CourtConfig.Webhooks settings) {
        return new DestinationPolicy(settings.allowedDestinations().orElse(List.of()), InetAddress::getAllByName);
    }

    /** Why {@code url} may not be used, or empty when it may. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry user information");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no valid host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return Optional.of("host " + host + " does not resolve");
        }
        boolean hostListed = hosts.contains(host);
        for (InetAddress a : addresses) {
            if (never(a)) {
                return Optional.of("host " + host + " is a link-local or metadata address, which is never allowed");
            }
            boolean listed = hostListed || networks.stream().anyMatch(n -> n.contains(a));
            if (EgressGuard.isInternalAddress(a) && !listed) {
                return Optional.of("host " + host + " is not public (" + a.getHostAddress()
                        + "); list it in court.webhooks.allowed-destinations");
            }
        }
        return Optional.empty();
    }

    private static boolean never(InetAddress a) {
        return a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()
                || METADATA.contains(a.getHostAddress());
    }

    /** An address or network: {@code 10.0.0.0/8}, {@code 192.168.1.20}, {@code fd12::/16}. */
    record Cidr(byte[] network, int bits) {

        static Optional<Cidr> parse(String entry) {
            String address = entry;
            int slash = entry.indexOf('/');
            Integer bits = null;
            if (slash >= 0) {
                address = entry.substring(0, slash);
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
            // only literals: InetAddress.getByName would look a host name up in DNS
            if (!address.matches("[0-9.]+") && !(address.contains(":") && address.matches("[0-9a-f:.]+"))) {
                return Optional.empty();
            }
            try {
                byte[] b = InetAddress.getByName(address).getAddress();
                int max = b.length * 8;
                int n = bits == null ? max : bits;
                if (n < 0 || n > max) {
                    return Optional.empty();
                }
                return Optional.of(new Cidr(b, n));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
