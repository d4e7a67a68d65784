package law.courtdocs.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressGuardTest {

    /** zxfw's rule plus an IP-literal portal with a port and a plain one. */
    static final List<String> RULES = List.of("*.court.gov.cn", "sd.gdems.com", "171.106.48.55:28083", "8.8.4.4");

    static final EgressGuard PROXIED = EgressGuard.of(RULES, true);

    static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    static InetAddress ipv6(String hex) throws UnknownHostException {
        // built from bytes: an IPv4-mapped address stays an Inet6Address this way
        byte[] b = new byte[16];
        String[] words = hex.split(":");
        for (int i = 0; i < 8; i++) {
            int w = Integer.parseInt(words[i], 16);
            b[2 * i] = (byte) (w >> 8);
            b[2 * i + 1] = (byte) w;
        }
        return java.net.Inet6Address.getByAddress(null, b, -1);
    }

    // --- isInternalAddress -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.0.0.2", "127.255.255.254", "0.0.0.0", "0.1.2.3",
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
        "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.100.100.200", "100.127.255.255",
        "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.0.170", "192.0.2.1", "198.18.0.1",
        "198.19.255.255", "198.51.100.7", "203.0.113.9",
        "::1", "::", "fe80::1", "febf::1", "fc00::1", "fd00::1", "fd00:ec2::254", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::127.0.0.1",
        "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::", "2002:c0a8:101::", "2001:db8::1", "2001:0:4136:e378::1",
        "100::1"})
    void internalAddresses(String literal) throws Exception {
        assertTrue(EgressGuard.isInternalAddress(ip(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "171.106.48.55", "119.29.29.29", "9.255.255.255", "11.0.0.0", "100.63.255.255",
        "100.128.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2400:3200::1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::", "fbff::1"})
    void publicAddresses(String literal) throws Exception {
        assertFalse(EgressGuard.isInternalAddress(ip(literal)), literal);
    }

    @Test
    void ipv4MappedAddressesKeptAsInet6AreStillRecognised() throws Exception {
        InetAddress mappedLoopback = ipv6("0:0:0:0:0:ffff:7f00:1");
        assertTrue(mappedLoopback instanceof java.net.Inet6Address, "precondition: an Inet6Address");
        assertFalse(mappedLoopback.isLoopbackAddress(), "precondition: the JDK does not call it loopback");
        assertTrue(EgressGuard.isInternalAddress(mappedLoopback));
        assertTrue(EgressGuard.isInternalAddress(ipv6("0:0:0:0:0:ffff:a9fe:a9fe")));
        assertFalse(EgressGuard.isInternalAddress(ipv6("0:0:0:0:0:ffff:808:808")));
    }

    // --- names -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=1",
        "http://zxfw-oss.court.gov.cn/zxfw/sdfw/2026/a.pdf?Expires=1&Signature=x",
        "https://a.b.court.gov.cn/",
        "https://ZXFW.Court.Gov.CN/",
        "https://zxfw.court.gov.cn./",
        "https://zxfw.court.gov.cn:8443/x",
        "http://sd.gdems.com/v3/dzsd/abc123"})
    void listedNamesAreAllowed(String url) {
        EgressGuard.Decision d = PROXIED.check(URI.create(url));
        assertTrue(d.allowed(), url + ": " + d.reason());
        assertTrue(PROXIED.check(url).allowed(), "string form of " + url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://court.gov.cn/", // the wildcard is for subdomains only
        "https://zxfw.court.gov.cn.evil.com/",
        "https://evilcourt.gov.cn/",
        "https://zxfw.court.gov.cn@evil.com/",
        "https://evil.com/zxfw.court.gov.cn",
        "https://evil.com/?next=https://zxfw.court.gov.cn/",
        "https://gdems.com/",
        "https://x.sd.gdems.com/",
        "http://localhost/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "https://user@zxfw.court.gov.cn/",
        "ftp://zxfw.court.gov.cn/",
        "file:///etc/passwd",
        "data:text/html,hi",
        "javascript:alert(1)",
        "http://a_b.court.gov.cn/",
        "http:///nohost"})
    void everythingElseIsRefused(String url) {
        assertFalse(PROXIED.check(url).allowed(), url);
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return;
        }
        assertFalse(PROXIED.check(parsed).allowed(), "URI form of " + url);
    }

    @Test
    void backslashAndBraceTricksInBrowserUrls() {
        // Chromium leaves braces and pipes in queries; the guard must read such URLs, not choke on them
        assertTrue(PROXIED.check("https://zxfw.court.gov.cn/a?x={\"y\":1}|z").allowed());
        assertFalse(PROXIED.check("https://evil.com\\@zxfw.court.gov.cn/").allowed());
    }

    // --- IP literals ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/", "http://[::1]:28083/",
        "http://127.0.0.1/", "http://127.0.0.2/",
        "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[fd00::1]/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/", "http://0.0.0.0/", "http://[::]/",
        // numbers a browser reads as 127.0.0.1; Java reads some of them differently
        "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://127.1/",
        "http://017700000001/", "http://127.0.0.1./",
        // public, but not on the list (or on the list with another port)
        "http://8.8.8.8/", "http://171.106.48.55/", "https://171.106.48.55/", "http://171.106.48.55:28084/",
        "http://[2001:4860:4860::8888]/"})
    void ipLiteralsAreRefusedUnlessListedAndPublic(String url) {
        assertFalse(PROXIED.check(url).allowed(), url);
        assertFalse(EgressGuard.of(RULES, false).withResolver(h -> {
            throw new AssertionError("no DNS for an IP literal: " + h);
        }).check(url).allowed(), "unproxied " + url);
    }

    @Test
    void aListedPublicAddressIsAllowedOnItsPort() {
        assertTrue(PROXIED.check("http://171.106.48.55:28083/sfsdw//r/abc").allowed());
        assertTrue(PROXIED.check(URI.create("http://171.106.48.55:28083/sfsdw//r/abc")).allowed());
        assertTrue(PROXIED.check("https://8.8.4.4/").allowed(), "rule without port: any port");
        assertTrue(PROXIED.check("http://8.8.4.4:8080/").allowed());
    }

    @Test
    void anInternalAddressIsRefusedEvenWhenListed() {
        EgressGuard guard = EgressGuard.of(List.of("127.0.0.1", "169.254.169.254:80", "10.0.0.1:8080", "[::1]"), true);
        assertFalse(guard.check("http://127.0.0.1/").allowed());
        assertFalse(guard.check("http://169.254.169.254/latest/meta-data/").allowed());
        assertFalse(guard.check("http://10.0.0.1:8080/").allowed());
        assertFalse(guard.check("http://[::1]/").allowed());
        assertTrue(guard.check("http://127.0.0.1/").reason().contains("internal"));
    }

    // --- DNS (no outbound proxy) ---------------------------------------------------------------

    static EgressGuard resolving(Map<String, String> dns) {
        return EgressGuard.of(RULES, false).withResolver(host -> {
            String a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            String[] all = a.split(",");
            InetAddress[] out = new InetAddress[all.length];
            for (int i = 0; i < all.length; i++) {
                out[i] = InetAddress.getByName(all[i]);
            }
            return out;
        });
    }

    @Test
    void withoutProxyAListedNameMustResolveToPublicAddressesOnly() {
        EgressGuard guard = resolving(Map.of(
                "zxfw.court.gov.cn", "119.29.29.29",
                "rebind.court.gov.cn", "119.29.29.29,127.0.0.1",
                "meta.court.gov.cn", "169.254.169.254",
                "aliyun.court.gov.cn", "100.100.100.200",
                "v6.court.gov.cn", "::1",
                "mapped.court.gov.cn", "::ffff:10.0.0.1",
                "private.court.gov.cn", "192.168.1.10"));
        EgressGuard.Decision ok = guard.check("https://zxfw.court.gov.cn/zxfw/");
        assertTrue(ok.allowed(), ok.reason());
        assertEquals(List.of("119.29.29.29"), ok.addresses().stream().map(InetAddress::getHostAddress).toList());
        for (String host : List.of("rebind", "meta", "aliyun", "v6", "mapped", "private")) {
            EgressGuard.Decision d = guard.check("https://" + host + ".court.gov.cn/");
            assertFalse(d.allowed(), host);
            assertTrue(d.reason().contains("internal"), d.reason());
        }
        EgressGuard.Decision nx = guard.check("https://nx.court.gov.cn/");
        assertFalse(nx.allowed(), "unresolvable");
        assertTrue(nx.reason().contains("does not resolve"));
    }

    @Test
    void proxiedGuardAsksNoDns() {
        AtomicInteger lookups = new AtomicInteger();
        EgressGuard guard = EgressGuard.of(RULES, true).withResolver(h -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        });
        assertTrue(guard.check("https://zxfw.court.gov.cn/").allowed());
        assertEquals(0, lookups.get());
        assertTrue(guard.check("https://zxfw.court.gov.cn/").addresses().isEmpty());
    }

    @Test
    void dnsCacheAsksOncePerHostFailuresIncluded() {
        AtomicInteger lookups = new AtomicInteger();
        EgressGuard guard = EgressGuard.of(RULES, false).withResolver(h -> {
            lookups.incrementAndGet();
            if (h.startsWith("nx")) {
                throw new UnknownHostException(h);
            }
            return new InetAddress[] {InetAddress.getByName("119.29.29.29")};
        }).withDnsCache();
        for (int i = 0; i < 5; i++) {
            assertTrue(guard.check("https://zxfw.court.gov.cn/a" + i).allowed());
            assertFalse(guard.check("https://nx.court.gov.cn/").allowed());
        }
        assertEquals(2, lookups.get());
    }

    // --- schemes, rules, helpers ---------------------------------------------------------------

    @Test
    void browserGuardLetsLocalSchemesThroughButNotFileOrJavascript() {
        EgressGuard browser = PROXIED.forBrowser();
        assertTrue(browser.check("data:image/png;base64,iVBOR").allowed());
        assertTrue(browser.check("blob:https://zxfw.court.gov.cn/0b6f-11").allowed());
        assertTrue(browser.check("about:blank").allowed());
        assertFalse(browser.check("file:///etc/passwd").allowed());
        assertFalse(browser.check("chrome://settings").allowed());
        assertFalse(browser.check("ws://evil.com/").allowed());
        assertFalse(PROXIED.check("data:text/html,x").allowed(), "the HTTP client guard has no data: URLs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "*.", "*.com:0", "host:99999", "0177.0.0.1", "2130706433", "*.1.2.3.4",
        "a_b.cn", "[::1", "evil.com/path", "*.cn"})
    void badRulesFailFast(String rule) {
        assertThrows(IllegalArgumentException.class, () -> EgressGuard.of(List.of(rule), true));
    }

    @Test
    void rulesAreNormalised() {
        assertEquals(List.of("*.court.gov.cn", "sd.gdems.com", "171.106.48.55:28083", "[0:0:0:0:0:0:0:1]:443"),
                EgressGuard.of(List.of(" *.Court.gov.cn ", "SD.gdems.com.", "171.106.48.55:28083", "[0:0::1]:443"), true)
                        .rules());
    }

    @Test
    void hostAndPathNeverCarriesQueryFragmentOrUserInfo() {
        assertEquals("zxfw-oss.court.gov.cn/zxfw/sdfw/a.pdf",
                EgressGuard.hostAndPath("http://zxfw-oss.court.gov.cn/zxfw/sdfw/a.pdf?OSSAccessKeyId=k&Signature=s"));
        assertEquals("evil.com/", EgressGuard.hostAndPath("https://user:pw@EVIL.com#frag"));
        assertEquals("169.254.169.254/latest/meta-data/",
                EgressGuard.hostAndPath("http://169.254.169.254/latest/meta-data/"));
        assertEquals("[::1]:8080/x", EgressGuard.hostAndPath(URI.create("http://[::1]:8080/x?token=1")));
        assertEquals("data:", EgressGuard.hostAndPath("data:text/html,secret"));
    }
}
