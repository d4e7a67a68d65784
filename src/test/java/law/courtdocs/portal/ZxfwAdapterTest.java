package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import law.courtdocs.sim.ZxfwSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The zxfw adapter against the simulator, with real Chromium for the fallbacks. */
class ZxfwAdapterTest {

    static final String COURT = "广州市天河区人民法院";
    static final String HEX32 = "0123456789abcdef0123456789abcdef";

    static PortalSimulator sim;
    static BrowserLauncher.Launched browser;
    final ZxfwAdapter adapter = new ZxfwAdapter();

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
        zxfw().rejectDirectApiCalls(false);
        zxfw().hideListFromCapture(false);
        zxfw().expireFileUrls(false);
        zxfw().failListApi(0);
        zxfw().failStorage(0);
        zxfw().delayStorage(Duration.ZERO);
        zxfw().redesign(false);
    }

    static ZxfwSimulator zxfw() {
        return sim.zxfw();
    }

    static long pageLoads() {
        return zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.APP_PATH);
    }

    static long listCalls() {
        return zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.LIST_API_PATH);
    }

    static long fileRequests() {
        return zxfw().requestCount(ZxfwSimulator.FILE_HOST, "/");
    }

    static String sdbhOf(String link) {
        return ZxfwAdapter.parseFragment(URI.create(link).getRawFragment()).orElseThrow().sdbh();
    }

    // --- downloads ------------------------------------------------------------------------------

    @Test
    void fastPathDownloadsEveryDocumentWithoutTheBrowser() throws Exception {
        List<SimDoc> docs = SimDocs.sampleZxfwDocs();
        String link = zxfw().addDelivery(docs);
        long pagesBefore = pageLoads();
        long listBefore = listCalls();

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);

            assertEquals(docs.size(), session.accepted.size());
            Set<String> sourceIds = new HashSet<>();
            for (int i = 0; i < docs.size(); i++) {
                DownloadedFile got = session.accepted.get(i);
                assertArrayEquals(docs.get(i).bytes(), session.acceptedBytes.get(i), "bytes of " + docs.get(i).title());
                assertEquals(docs.get(i).title() + ".pdf", got.fileName());
                assertEquals(docs.get(i).title(), got.title());
                assertEquals(COURT, got.court());
                assertTrue(got.sourceId().matches("[0-9a-f]{32}:" + sdbhOf(link)), got.sourceId());
                assertEquals(session.workDir(), got.file().getParent());
                sourceIds.add(got.sourceId());
            }
            assertEquals(docs.size(), sourceIds.size(), "every document has its own sourceId");
            assertEquals("民事判决书.pdf", session.accepted.get(0).fileName());
        }
        assertEquals(pagesBefore, pageLoads(), "fast path must not open the page");
        assertEquals(listBefore + 1, listCalls());
    }

    @Test
    void documentsWithTheSameTitleAreBothKept() throws Exception {
        byte[] first = TestPdfs.pdf("summons one");
        byte[] second = TestPdfs.pdf("summons two");
        String link = zxfw().addDelivery(List.of(new SimDoc("传票", "pdf", first), new SimDoc("传票", "pdf", second)));

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);

            assertEquals(2, session.accepted.size());
            assertEquals("传票.pdf", session.accepted.get(0).fileName());
            assertEquals("传票.pdf", session.accepted.get(1).fileName());
            assertNotEquals(session.accepted.get(0).file(), session.accepted.get(1).file());
            assertNotEquals(session.accepted.get(0).sourceId(), session.accepted.get(1).sourceId());
            assertArrayEquals(first, session.acceptedBytes.get(0));
            assertArrayEquals(second, session.acceptedBytes.get(1));
        }
    }

    @Test
    void browserCapturesThePagesOwnListCallWhenDirectCallsAreRejected() throws Exception {
        zxfw().rejectDirectApiCalls(true);
        List<SimDoc> docs = SimDocs.sampleZxfwDocs();
        String link = zxfw().addDelivery(docs);
        long pagesBefore = pageLoads();
        long listBefore = listCalls();
        long viewerBefore = zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.VIEWER_PATH);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);

            assertEquals(docs.size(), session.accepted.size());
            for (int i = 0; i < docs.size(); i++) {
                DownloadedFile got = session.accepted.get(i);
                assertArrayEquals(docs.get(i).bytes(), session.acceptedBytes.get(i));
                assertEquals(docs.get(i).title() + ".pdf", got.fileName());
                // court and sourceId come only from the JSON answer, so it was captured, not clicked
                assertEquals(COURT, got.court());
                assertTrue(got.sourceId().endsWith(":" + sdbhOf(link)), got.sourceId());
            }
        }
        assertEquals(pagesBefore + 1, pageLoads(), "the page was opened once");
        assertEquals(listBefore + 2, listCalls(), "one rejected direct call, one by the page");
        assertEquals(viewerBefore, zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.VIEWER_PATH),
                "no click-through needed");
    }

    @Test
    void clicksThroughThePageWhenTheListAnswerCannotBeRead() throws Exception {
        zxfw().rejectDirectApiCalls(true);
        zxfw().hideListFromCapture(true);
        List<SimDoc> docs = SimDocs.sampleZxfwDocs();
        String link = zxfw().addDelivery(docs);
        long viewerBefore = zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.VIEWER_PATH);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);

            assertEquals(docs.size(), session.accepted.size());
            Set<Path> files = new HashSet<>();
            for (int i = 0; i < docs.size(); i++) {
                DownloadedFile got = session.accepted.get(i);
                assertArrayEquals(docs.get(i).bytes(), session.acceptedBytes.get(i), "bytes of " + docs.get(i).title());
                assertEquals(docs.get(i).title() + ".pdf", got.fileName(), "name from Content-Disposition");
                assertEquals(docs.get(i).title(), got.title());
                assertNull(got.sourceId(), "clicking through never sees the document numbers");
                files.add(got.file());
            }
            assertEquals(docs.size(), files.size());
        }
        assertEquals(viewerBefore + docs.size(), zxfw().requestCount(ZxfwSimulator.HOST, ZxfwSimulator.VIEWER_PATH),
                "one viewer per document");
    }

    @Test
    void expiredLinkIsPermanentAndFetchesNoFiles() throws Exception {
        String link = zxfw().expiredLink();
        long filesBefore = fileRequests();
        long pagesBefore = pageLoads();

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.LINK_EXPIRED, e.code());
            assertEquals("送达信息不存在", e.getMessage());
            assertTrue(session.accepted.isEmpty());
        }
        assertEquals(filesBefore, fileRequests(), "no file requests");
        assertEquals(pagesBefore, pageLoads(), "the direct answer was final; no browser");
    }

    @Test
    void expiredLinkIsRecognisedOnThePageWhenOnlyClickingThroughIsLeft() throws Exception {
        zxfw().rejectDirectApiCalls(true);
        zxfw().hideListFromCapture(true);
        String link = zxfw().expiredLink();
        long filesBefore = fileRequests();

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.LINK_EXPIRED, e.code());
            assertTrue(e.getMessage().contains("送达信息不存在"), e.getMessage());
        }
        assertEquals(filesBefore, fileRequests());
    }

    // --- failures -------------------------------------------------------------------------------

    @Test
    void expiredFileUrlIsRejectedAndLeavesNoFileBehind() throws Exception {
        zxfw().expireFileUrls(true);
        String link = zxfw().addDelivery(SimDocs.sampleZxfwDocs());

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.PORTAL_REJECTED, e.code());
            assertTrue(e.getMessage().contains(ZxfwSimulator.FILE_HOST + "/"), e.getMessage());
            assertFalse(e.getMessage().contains("Signature"), "signed URL must not leak: " + e.getMessage());
            assertTrue(session.accepted.isEmpty());
            try (Stream<Path> left = Files.list(session.workDir())) {
                assertEquals(0, left.count(), "partial download removed");
            }
        }
    }

    @Test
    void storageOutageIsAPortalError() throws Exception {
        zxfw().failStorage(503);
        String link = zxfw().addDelivery(SimDocs.sampleZxfwDocs());

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.PORTAL_ERROR, e.code());
        }
    }

    @Test
    void listApiOutageTriesTheBrowserThenReportsAPortalError() throws Exception {
        zxfw().failListApi(502);
        String link = zxfw().addDelivery(SimDocs.sampleZxfwDocs());
        long pagesBefore = pageLoads();
        long filesBefore = fileRequests();

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.PORTAL_ERROR, e.code());
        }
        assertEquals(pagesBefore + 1, pageLoads(), "a 5xx on the direct call sends the adapter to the browser");
        assertEquals(filesBefore, fileRequests());
    }

    @Test
    void stalledDownloadIsATimeout() throws Exception {
        zxfw().delayStorage(Duration.ofSeconds(5));
        String link = zxfw().addDelivery(SimDocs.sampleZxfwDocs());

        try (TestSession rig = new TestSession(link, browser, sim.port())) {
            PortalSession session = new WithTimeouts(rig, rig.navigationTimeout(), Duration.ofMillis(500));
            long start = System.nanoTime();
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.TIMEOUT, e.code());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 4_000, "bounded by the download timeout");
        }
    }

    @Test
    void unknownPageIsUnsupported() throws Exception {
        zxfw().redesign(true);
        String link = zxfw().addDelivery(SimDocs.sampleZxfwDocs());
        long pagesBefore = pageLoads();
        long filesBefore = fileRequests();

        try (TestSession rig = new TestSession(link, browser, sim.port())) {
            PortalSession session = new WithTimeouts(rig, Duration.ofSeconds(2), rig.downloadTimeout());
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));

            assertEquals(ErrorCode.UNSUPPORTED_PAGE, e.code(), e.getMessage());
        }
        assertEquals(pagesBefore + 1, pageLoads(), "the browser looked at the page");
        assertEquals(filesBefore, fileRequests());
    }

    /** The rig's session with other timeouts, so failure cases stay fast. */
    record WithTimeouts(TestSession rig, Duration navigationTimeout, Duration downloadTimeout) implements PortalSession {
        @Override
        public URI link() {
            return rig.link();
        }

        @Override
        public BrowserContext browser() {
            return rig.browser();
        }

        @Override
        public HttpClient http() {
            return rig.http();
        }

        @Override
        public Path workDir() {
            return rig.workDir();
        }

        @Override
        public void accept(DownloadedFile document) {
            rig.accept(document);
        }
    }

    // --- links ----------------------------------------------------------------------------------

    @Test
    void handlesZxfwLinksWithAllThreeFragmentParameters() {
        String fragment = "#/pagesAjkj/app/wssd/index?qdbh=" + HEX32 + "&sdbh=" + HEX32 + "&sdsin=" + HEX32;

        assertTrue(adapter.handles(URI.create(zxfw().addDelivery(SimDocs.sampleZxfwDocs()))));
        assertTrue(adapter.handles(URI.create("https://zxfw.court.gov.cn/zxfw/" + fragment)));
        assertTrue(adapter.handles(URI.create("http://zxfw.court.gov.cn/zxfw/" + fragment)));
        assertTrue(adapter.handles(URI.create("https://ZXFW.court.gov.cn/zxfw/" + fragment)));
        assertEquals("zxfw", adapter.id());
    }

    @Test
    void rejectsOtherPortalsAndIncompleteLinks() {
        String fragment = "#/pagesAjkj/app/wssd/index?qdbh=" + HEX32 + "&sdbh=" + HEX32 + "&sdsin=" + HEX32;

        assertFalse(adapter.handles(URI.create("https://sd.gdems.com/v3/dzsd/AbC123")));
        assertFalse(adapter.handles(URI.create("https://sd.gdems.com/zxfw/" + fragment)));
        assertFalse(adapter.handles(URI.create("https://zxfw.court.gov.cn.example.com/zxfw/" + fragment)));
        assertFalse(adapter.handles(URI.create("ftp://zxfw.court.gov.cn/zxfw/" + fragment)));
        assertFalse(adapter.handles(URI.create("https://zxfw.court.gov.cn/zxfw/")));
        assertFalse(adapter.handles(URI.create(
                "https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=" + HEX32 + "&sdbh=" + HEX32)));
        assertFalse(adapter.handles(URI.create(
                "https://zxfw.court.gov.cn/zxfw/?qdbh=" + HEX32 + "&sdbh=" + HEX32 + "&sdsin=" + HEX32)),
                "parameters belong in the fragment");
    }

    @Test
    void parsesFragmentParametersInAnyOrder() {
        Optional<ZxfwAdapter.DeliveryParams> p =
                ZxfwAdapter.parseFragment("/pagesAjkj/app/wssd/index?sdsin=CCC3&qdbh=aaa1&from=sms&sdbh=bbb2");

        assertEquals(Optional.of(new ZxfwAdapter.DeliveryParams("aaa1", "bbb2", "CCC3")), p);
        assertFalse(p.orElseThrow().toString().contains("CCC3"), "toString must not reveal sdsin");
        assertEquals("bbb2",
                ZxfwAdapter.parseFragment("/x?qdbh=aaa1&sdbh=%62bb2&sdsin=c").orElseThrow().sdbh(), "percent-decoded");
    }

    @Test
    void fragmentWithoutEveryParameterIsNotADelivery() {
        assertTrue(ZxfwAdapter.parseFragment(null).isEmpty());
        assertTrue(ZxfwAdapter.parseFragment("/pagesAjkj/app/wssd/index").isEmpty());
        assertTrue(ZxfwAdapter.parseFragment("/index?qdbh=a&sdbh=b").isEmpty());
        assertTrue(ZxfwAdapter.parseFragment("/index?qdbh=a&sdbh=b&sdsin=").isEmpty());
        assertTrue(ZxfwAdapter.parseFragment("/index?qdbh=a&sdbh=b&sdsin=c%3Cscript%3E").isEmpty());
        assertTrue(ZxfwAdapter.parseFragment("/index?qdbh=a&sdbh=b&sdsin=%zz").isEmpty());
    }

    // --- list answers ---------------------------------------------------------------------------

    @Test
    void listAnswerWithErrorCodeOrNoDocumentsMeansExpired() {
        PortalException notFound = assertThrows(PortalException.class,
                () -> adapter.parseList("{\"code\":500,\"msg\":\"送达信息不存在\",\"data\":null}"));
        assertEquals(ErrorCode.LINK_EXPIRED, notFound.code());
        assertEquals("送达信息不存在", notFound.getMessage());

        PortalException empty = assertThrows(PortalException.class,
                () -> adapter.parseList("{\"code\":200,\"msg\":\"操作成功\",\"data\":[]}"));
        assertEquals(ErrorCode.LINK_EXPIRED, empty.code());
    }

    @Test
    void listAnswerThatIsNotTheKnownJsonIsUnreadableNotExpired() {
        assertThrows(ZxfwAdapter.UnreadableAnswer.class, () -> adapter.parseList("<html>403</html>"));
        assertThrows(ZxfwAdapter.UnreadableAnswer.class, () -> adapter.parseList("eyJjb2RlIjoyMDB9"));
        assertThrows(ZxfwAdapter.UnreadableAnswer.class, () -> adapter.parseList("{\"status\":\"ok\"}"));
        assertThrows(ZxfwAdapter.UnreadableAnswer.class,
                () -> adapter.parseList("{\"code\":200,\"data\":[{\"c_wsmc\":\"传票\"}]}"));
    }

    @Test
    void redactionKeepsHostAndPathOnly() {
        String message = "net::ERR_CONNECTION_RESET at https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh="
                + HEX32 + "&sdsin=secret123 and http://zxfw-oss.court.gov.cn/a/b.pdf?Expires=1&Signature=sig";

        String redacted = ZxfwAdapter.redact(message);

        assertFalse(redacted.contains("secret123"), redacted);
        assertFalse(redacted.contains("Signature"), redacted);
        assertTrue(redacted.contains("https://zxfw.court.gov.cn/zxfw/"), redacted);
        assertTrue(redacted.contains("http://zxfw-oss.court.gov.cn/a/b.pdf"), redacted);
    }
}
