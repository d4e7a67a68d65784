package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.sim.GdemsSimulator.Confirm;
import law.courtdocs.sim.GdemsSimulator.DownloadLink;
import law.courtdocs.sim.GdemsSimulator.Navigation;
import law.courtdocs.sim.GdemsSimulator.Variant;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sim.ZxfwSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapters as the worker runs them: HTTP client and browser inside the egress guard built
 * from the adapter's own {@link PortalAdapter#egressHosts}. Everything a portal legitimately
 * needs must still work, and nothing may be blocked on the way.
 */
class GuardedAdaptersTest {

    static PortalSimulator sim;
    static BrowserLauncher.Launched browser;

    final ZxfwAdapter zxfw = new ZxfwAdapter();
    final GdemsAdapter gdems = new GdemsAdapter(GdemsAdapterTest.LIMITS);
    final DirectAdapter direct = new DirectAdapter();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        browser = TestSession.launchBrowser(sim.proxyUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @BeforeEach
    void resetSwitches() {
        sim.zxfw().rejectDirectApiCalls(false);
        sim.zxfw().hideListFromCapture(false);
    }

    static TestSession guarded(PortalAdapter adapter, String link) {
        EgressGuard guard = EgressGuard.of(adapter.egressHosts(URI.create(link)), true);
        return new TestSession(link, browser, sim.port(), guard);
    }

    static void assertDocs(List<SimDoc> docs, TestSession session) {
        assertEquals(docs.size(), session.accepted.size());
        for (int i = 0; i < docs.size(); i++) {
            assertArrayEquals(docs.get(i).bytes(), session.acceptedBytes.get(i), docs.get(i).title());
        }
    }

    @Test
    void egressHostsPerAdapter() {
        assertEquals(List.of("*.court.gov.cn"), zxfw.egressHosts(URI.create("https://zxfw.court.gov.cn/zxfw/#/x")));
        assertEquals(List.of("sd.gdems.com"), gdems.egressHosts(URI.create("https://sd.gdems.com:443/v3/dzsd/abc12")));
        assertEquals(List.of("171.106.48.55:28083"),
                direct.egressHosts(URI.create("http://171.106.48.55:28083/sfsdw//r/token")));
        assertEquals(List.of("sfpt.cdfy12368.gov.cn"),
                direct.egressHosts(URI.create("http://sfpt.cdfy12368.gov.cn:80/files/a.pdf")));

        EgressGuard zxfwGuard = EgressGuard.of(zxfw.egressHosts(URI.create("https://zxfw.court.gov.cn/")), true);
        assertTrue(zxfwGuard.check("http://" + ZxfwSimulator.FILE_HOST + "/zxfw/sdfw/a.pdf").allowed());
        assertFalse(zxfwGuard.check("http://zxfw.court.gov.cn.evil.com/").allowed());
        EgressGuard gdemsGuard = EgressGuard.of(gdems.egressHosts(URI.create("https://sd.gdems.com/v3/dzsd/abc12")), true);
        assertFalse(gdemsGuard.check("https://zxfw.court.gov.cn/").allowed(), "each portal only its own hosts");
    }

    @Test
    void zxfwFastPathFetchesStorageFilesThroughTheGuardedClient() throws Exception {
        List<SimDoc> docs = SimDocs.sampleZxfwDocs();
        String link = sim.zxfw().addDelivery(docs);
        long filesBefore = sim.zxfw().requestCount(ZxfwSimulator.FILE_HOST, "/");
        try (TestSession session = guarded(zxfw, link)) {
            zxfw.download(session);
            assertDocs(docs, session);
            assertEquals(List.of(), session.blocked);
        }
        assertEquals(filesBefore + docs.size(), sim.zxfw().requestCount(ZxfwSimulator.FILE_HOST, "/"));
    }

    @Test
    void zxfwBrowserCaptureAndClickThroughWorkBehindTheGuard() throws Exception {
        sim.zxfw().rejectDirectApiCalls(true);
        List<SimDoc> docs = SimDocs.sampleZxfwDocs();
        try (TestSession session = guarded(zxfw, sim.zxfw().addDelivery(docs))) {
            zxfw.download(session);
            assertDocs(docs, session);
            assertEquals(List.of(), session.blocked);
        }
        sim.zxfw().hideListFromCapture(true);
        try (TestSession session = guarded(zxfw, sim.zxfw().addDelivery(docs))) {
            zxfw.download(session);
            assertDocs(docs, session);
            assertEquals(List.of(), session.blocked);
        }
    }

    @Test
    void gdemsDownloadsBehindTheGuard() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("传票.pdf", TestPdfs.pdf("summons"));
        entries.put("起诉状副本.pdf", TestPdfs.pdf("complaint"));
        for (Variant variant : List.of(Variant.DEFAULT,
                new Variant(Confirm.SUBMIT_CLASS, Navigation.FORM_POST, DownloadLink.TEXT_LINK),
                new Variant(Confirm.CONFIRM_CLASS, Navigation.POPUP, DownloadLink.PACK_CLASS))) {
            String link = sim.gdems().addDelivery(SimDocs.zip(entries), "送达材料.zip", variant);
            try (TestSession session = guarded(gdems, link)) {
                gdems.download(session);
                assertEquals(2, session.accepted.size(), variant.toString());
                assertEquals(List.of(), session.blocked, variant.toString());
            }
            assertEquals(1, sim.gdems().downloads(link), variant.toString());
        }
    }

    @Test
    void directDownloadsBehindTheGuard() throws Exception {
        byte[] pdf = TestPdfs.pdf("direct");
        String link = sim.direct().addPdf(pdf);
        try (TestSession session = guarded(direct, link)) {
            direct.download(session);
            assertEquals(1, session.accepted.size());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
            assertEquals(List.of(), session.blocked);
        }
    }
}
