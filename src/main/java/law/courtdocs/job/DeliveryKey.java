package law.courtdocs.job;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes two links the same delivery: scheme ignored (courts send http and https copies),
 * host lower-cased, default ports dropped, path as is, and the query and fragment parameters
 * sorted (zxfw keeps its in the fragment; its other fragment text is routing, not identity).
 * Plain Java, so the rule is tested on its own.
 */
public final class DeliveryKey {

    /**
     * Portals whose link names no delivery: the daolv account-mode link is the same for every
     * account, so two jobs on it are not duplicates.
     */
    private static final Set<String> NOT_DEDUPLICATED = Set.of("daolv");

    private DeliveryKey() {}

    /** The key, or null when links of this portal cannot be compared. */
    public static String of(URI link, String portal) {
        if (NOT_DEDUPLICATED.contains(portal) || link.getHost() == null) {
            return null;
        }
        String scheme = link.getScheme() == null ? "" : link.getScheme().toLowerCase(Locale.ROOT);
        int port = link.getPort();
        boolean defaultPort = port == -1 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        StringBuilder key = new StringBuilder(portal).append(':').append(link.getHost().toLowerCase(Locale.ROOT));
        if (!defaultPort) {
            key.append(':').append(port);
        }
        key.append(link.getRawPath() == null ? "" : link.getRawPath());
        Map<String, String> params = new TreeMap<>();
        addParams(params, link.getRawQuery());
        String fragment = link.getRawFragment();
        if (fragment != null) {
            int q = fragment.indexOf('?');
            addParams(params, q >= 0 ? fragment.substring(q + 1) : null);
        }
        if (!params.isEmpty()) {
            key.append('?');
            params.forEach((k, v) -> key.append(k).append('=').append(v).append('&'));
            key.setLength(key.length() - 1);
        }
        return key.length() > 2000 ? null : key.toString();
    }

    private static void addParams(Map<String, String> params, String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.put(name, value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
