package law.courtdocs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DeliveryKeyTest {

    static String key(String link, String portal) {
        return DeliveryKey.of(URI.create(link), portal);
    }

    @Test
    void schemeHostCaseDefaultPortsAndParameterOrderDoNotMatter() {
        String a = key("https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=aa&sdbh=bb&sdsin=cc", "zxfw");
        assertEquals(a, key("http://ZXFW.court.gov.cn:80/zxfw/#/pagesAjkj/app/wssd/index?sdsin=cc&sdbh=bb&qdbh=aa", "zxfw"));
        assertEquals(a, key("https://zxfw.court.gov.cn:443/zxfw/#/pagesAjkj/app/wssd/index?sdbh=bb&qdbh=aa&sdsin=cc", "zxfw"));
    }

    @Test
    void differentDeliveriesDiffer() {
        assertNotEquals(key("https://sd.gdems.com/v3/dzsd/AbC123", "gdems"), key("https://sd.gdems.com/v3/dzsd/AbC124", "gdems"));
        assertNotEquals(key("https://jysd.10102368.com/sd?key=k1", "jysd"), key("https://jysd.10102368.com/sd?key=k2", "jysd"));
        assertNotEquals(key("http://171.106.48.55:28083/sfsdw//r/t", "sfdw"), key("http://171.106.48.55:8080/sfsdw//r/t", "sfdw"));
        assertNotEquals(key("https://zxfw.court.gov.cn/zxfw/#/x?sdbh=1&qdbh=2&sdsin=3", "zxfw"),
                key("https://zxfw.court.gov.cn/zxfw/#/x?sdbh=1&qdbh=2&sdsin=4", "zxfw"));
    }

    @Test
    void codesAreCaseSensitiveInThePath() {
        assertNotEquals(key("https://sd.gdems.com/v3/dzsd/abc123", "gdems"), key("https://sd.gdems.com/v3/dzsd/ABC123", "gdems"));
    }

    @Test
    void daolvAccountLinksNameNoDeliveryAndAreNeverDeduplicated() {
        assertNull(key("http://dzsd.hbfy.gov.cn/sfsddz", "daolv"));
    }
}
