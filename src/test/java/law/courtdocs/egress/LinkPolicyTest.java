package law.courtdocs.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkPolicyTest {

    /** The default portal list plus the Guangxi sfdw instance and, wrongly, some internal addresses. */
    final LinkPolicy policy = new LinkPolicy(List.of("zxfw.court.gov.cn", "sd.gdems.com", "jysd.10102368.com",
            "dzsd.hbfy.gov.cn", "sfsd.jxfy.gov.cn", "sfpt.cdfy12368.gov.cn", "171.106.48.55:28083", "8.8.4.4",
            "127.0.0.1", "169.254.169.254", "10.1.2.3:8080", "[::1]", "[2001:4860:4860::8888]"));

    @ParameterizedTest
    @ValueSource(strings = {
        "https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=a&sdbh=b&sdsin=c",
        "http://sd.gdems.com/v3/dzsd/abc123",
        "HTTPS://SD.GDEMS.COM/v3/dzsd/abc123",
        "http://171.106.48.55:28083/sfsdw//r/token",
        "http://8.8.4.4/doc.pdf",
        "https://8.8.4.4:8443/doc.pdf",
        "https://[2001:4860:4860::8888]/x"})
    void acceptsListedHostsAndListedPublicAddresses(String url) throws Exception {
        assertEquals(URI.create(url), policy.check(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // listed, but internal: refused all the same
        "http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3:8080/", "http://[::1]/",
        // internal and not listed
        "http://127.0.0.2/", "http://192.168.1.1/", "http://172.16.0.1/", "http://100.100.100.200/",
        "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://[::]/",
        // public but not listed, or listed with another port
        "http://8.8.8.8/", "http://171.106.48.55/sfsdw//r/token", "http://171.106.48.55:28084/sfsdw//r/token",
        // numbers that are 127.0.0.1 to a browser
        "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://0x7f000001/",
        // names
        "https://zxfw.court.gov.cn.evil.com/", "http://zxfw.court.gov.cn@evil.com/", "https://evil.com/",
        "http://localhost/"})
    void refusesIpLiteralsOffTheListAndEveryInternalAddress(String url) {
        assertThrows(LinkPolicy.RejectedLink.class, () -> policy.check(url), url);
    }

    @Test
    void reasonsSayWhy() {
        LinkPolicy.RejectedLink internal = assertThrows(LinkPolicy.RejectedLink.class,
                () -> policy.check("http://169.254.169.254/latest/meta-data/"));
        assertTrue(internal.getMessage().contains("internal"), internal.getMessage());
        LinkPolicy.RejectedLink odd = assertThrows(LinkPolicy.RejectedLink.class, () -> policy.check("http://0177.0.0.1/"));
        assertTrue(odd.getMessage().contains("dotted-decimal"), odd.getMessage());
        LinkPolicy.RejectedLink unlisted = assertThrows(LinkPolicy.RejectedLink.class, () -> policy.check("http://8.8.8.8/"));
        assertTrue(unlisted.getMessage().contains("not a known court delivery portal"), unlisted.getMessage());
    }

    @Test
    void earlierRulesStillHold() {
        for (String url : List.of("ftp://sd.gdems.com/v3/dzsd/abc123", "http://user:pw@sd.gdems.com/v3/dzsd/abc123",
                "file:///etc/passwd", "not a url at all", "", "http:///x")) {
            assertThrows(LinkPolicy.RejectedLink.class, () -> policy.check(url), url);
        }
        assertThrows(LinkPolicy.RejectedLink.class, () -> policy.check(null));
    }
}
