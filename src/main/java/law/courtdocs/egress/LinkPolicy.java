package law.courtdocs.egress;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which links the service accepts at all: http(s), no user-info, and a host on the allowlist.
 * Plain Java so the rule is unit-tested on its own and shared by API and worker.
 */
public final class LinkPolicy {

    private final Set<String> allowedHosts;

    public LinkPolicy(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
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
        if (!allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new RejectedLink("host " + host + " is not a known court delivery portal");
        }
        return uri;
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }
}
