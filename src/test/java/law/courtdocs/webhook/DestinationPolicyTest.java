package law.courtdocs.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {

    /** A DNS of our own: names to addresses, nothing looked up for real. */
    private static final Map<String, String> DNS = Map.of(
            "cases.example.com", "8.8.4.4",
            "cases.firm.local", "10.20.1.5",
            "rebind.example.com", "169.254.169.254",
            "intranet.example.com", "192.168.7.7");

    private static DestinationPolicy policy(String... allowed) {
        return new DestinationPolicy(List.of(allowed), host -> {
            String ip = DNS.get(host);
            if (ip != null) {
                return new InetAddress[] {InetAddress.getByName(ip)};
            }
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        });
    }

    @Test
    void publicHostsAreAllowedWithoutBeingListed() {
        assertEquals(Optional.empty(), policy().refusal("https://cases.example.com/hooks/court?x=1"));
        assertEquals(Optional.empty(), policy().refusal("http://8.8.8.8:8080/h"));
    }

    @Test
    void privateHostsNeedToBeListedByNameOrNetwork() {
        assertTrue(policy().refusal("https://cases.firm.local/h").orElseThrow().contains("not public"));
        assertEquals(Optional.empty(), policy("cases.firm.local").refusal("https://cases.firm.local/h"));
        assertEquals(Optional.empty(), policy("10.20.0.0/16").refusal("https://cases.firm.local/h"));
        assertTrue(policy("10.21.0.0/16").refusal("https://cases.firm.local/h").isPresent());
        assertEquals(Optional.empty(), policy("127.0.0.1").refusal("http://127.0.0.1:9000/h"));
        assertTrue(policy().refusal("http://127.0.0.1:9000/h").isPresent());
        assertTrue(policy("10.0.0.0/8").refusal("http://intranet.example.com/").isPresent());
        assertEquals(Optional.empty(), policy("fd12::/16").refusal("http://[fd12::1]/h"));
    }

    @Test
    void linkLocalAndMetadataAreNeverAllowedEvenWhenListed() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://rebind.example.com/",
                "http://100.100.100.200/", "http://[fe80::1]/", "http://0.0.0.0/")) {
            String why = policy("169.254.0.0/16", "rebind.example.com", "100.64.0.0/10", "fe80::/10", "0.0.0.0/0")
                    .refusal(url).orElseThrow(() -> new AssertionError(url + " was allowed"));
            assertTrue(why.contains("never") || why.contains("not public"), why);
        }
    }

    @Test
    void notAnHttpUrlIsRefused() {
        for (String url : List.of("ftp://cases.example.com/", "cases.example.com/h", "https://user:pw@cases.example.com/",
                "https://cases.example.com/#x", "https:///nohost", "https://no-such-host.example/", "http://[::1")) {
            assertTrue(policy().refusal(url).isPresent(), url);
        }
    }

    @Test
    void aSettingThatIsNeitherHostNorNetworkStopsTheStart() {
        assertThrows(IllegalArgumentException.class, () -> policy("https://cases.firm.local"));
        assertThrows(IllegalArgumentException.class, () -> policy("10.0.0.0/40").refusal("http://10.0.0.1/"));
    }
}
