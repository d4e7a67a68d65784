package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.sim.GdemsSimulator;
import law.courtdocs.sim.GdemsSimulator.Confirm;
import law.courtdocs.sim.GdemsSimulator.DownloadLink;
import law.courtdocs.sim.GdemsSimulator.Navigation;
import law.courtdocs.sim.GdemsSimulator.Variant;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GdemsAdapter against the gdems simulator, in a real Chromium using the simulator as proxy. */
class GdemsAdapterTest {

    static final SafeUnzip.Limits LIMITS = new SafeUnzip.Limits(50, 20_000_000, 10_000_000);

    static PortalSimulator sim;
    static BrowserLauncher.Launched browser;
    final GdemsAdapter adapter = new GdemsAdapter(LIMITS);

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

    @Test
    void zipWithChineseNamesInSubFoldersGivesOneDocumentPerFile() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("（2026）粤0106民初1234号/起诉状副本.pdf", TestPdfs.pdf("complaint"));
        entries.put("（2026）粤0106民初1234号/证据/证据目录.pdf", TestPdfs.pdf("evidence"));
        entries.put("传票.pdf", TestPdfs.pdf("summons"));
        String link = sim.gdems().addDelivery(SimDocs.zip(entries), "（2026）粤0106民初1234号送达材料.zip");

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);

            assertSameDocuments(entries, session);
            DownloadedFile evidence = bySource(session, "（2026）粤0106民初1234号/证据/证据目录.pdf");
            assertEquals("证据目录.pdf", evidence.fileName());
            assertEquals("证据目录", evidence.title());
            assertTrue(evidence.file().startsWith(session.workDir()), "extracted inside the job's work directory");
            assertEquals(1, sim.gdems().downloads(link));
        }
    }

    @Test
    void notReadyCoverGivesTheCourtsNotice() {
        String notice = "法院尚未上传送达材料，请于\"24小时\"后再次查看。<联系电话：020-12345678>";
        String link = sim.gdems().notReadyLink(notice);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.DOCUMENTS_NOT_READY, e.code());
            assertEquals(notice, e.getMessage());
            assertTrue(session.accepted.isEmpty());
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant(Confirm.CONFIRM_ID, Navigation.SCRIPT, DownloadLink.LABEL_IMAGE),
                new Variant(Confirm.SUBMIT_CLASS, Navigation.FORM_POST, DownloadLink.TEXT_LINK),
                new Variant(Confirm.CONFIRM_CLASS, Navigation.POPUP, DownloadLink.PACK_CLASS),
                new Variant(Confirm.TEXT_BUTTON, Navigation.SCRIPT, DownloadLink.TEXT_LINK));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void pageVariantsAreFollowed(Variant variant) throws Exception {
        Map<String, byte[]> entries = Map.of(
                "判决书/民事判决书.pdf", TestPdfs.pdf("judgment " + variant.confirm()),
                "举证通知书.pdf", TestPdfs.pdf("notice " + variant.downloadLink()));
        String link = sim.gdems().addDelivery(SimDocs.zip(entries), "送达材料.zip", variant);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);
            assertSameDocuments(entries, session);
        }
    }

    @Test
    void singlePdfDeliveryIsOneDocument() throws Exception {
        byte[] pdf = TestPdfs.pdf("single");
        String link = sim.gdems().addDelivery(pdf, "（2026）粤0106民初1234号传票.pdf", Variant.DEFAULT);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            adapter.download(session);
            assertEquals(1, session.accepted.size());
            DownloadedFile doc = session.accepted.get(0);
            assertEquals("（2026）粤0106民初1234号传票.pdf", doc.fileName());
            assertEquals("（2026）粤0106民初1234号传票", doc.title());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
        }
    }

    @Test
    void maliciousZipIsUnsafeAndWritesNothingOutside() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("传票.pdf", TestPdfs.pdf("harmless"));
        entries.put("../../../gdems-evil.pdf", TestPdfs.pdf("evil"));
        String link = sim.gdems().addDelivery(SimDocs.zip(entries), "送达材料.zip");

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
            assertTrue(session.accepted.isEmpty(), "no document of a rejected archive is handed over");
            // workDir/gdems-*/files/../../../ is the work directory's parent
            assertFalse(Files.exists(session.workDir().getParent().resolve("gdems-evil.pdf")));
            assertEquals(Set.of(), namesUnder(session.workDir(), "gdems-evil.pdf"));
            assertEquals(Set.of(), namesUnder(session.workDir(), "传票.pdf"), "partial extraction removed");
        }
    }

    @Test
    void zipBombIsUnsafe() throws Exception {
        // 30 MB of zeros: a tiny download that expands past the caps.
        String link = sim.gdems().addDelivery(
                SimDocs.zip(Map.of("a.pdf", TestPdfs.pdf("a"), "b.bin", new byte[30_000_000])), "送达材料.zip");

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void zipWithoutFilesIsNoDocuments() {
        Map<String, byte[]> onlyFolder = new HashMap<>();
        onlyFolder.put("（2026）粤0106民初1234号/", new byte[0]);
        String link = sim.gdems().addDelivery(SimDocs.zip(onlyFolder), "送达材料.zip");

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NO_DOCUMENTS, e.code());
        }
    }

    @Test
    void previewWithoutDownloadControlIsUnsupported() {
        String link = sim.gdems().addDelivery(SimDocs.sampleZip(), "送达材料.zip",
                new Variant(Confirm.SUBMIT_ID, Navigation.SCRIPT, DownloadLink.NONE));

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class,
                    () -> adapter.download(new Timeouts(session, Duration.ofSeconds(2))));
            assertEquals(ErrorCode.UNSUPPORTED_PAGE, e.code());
            assertEquals(0, sim.gdems().downloads(link));
        }
    }

    @Test
    void droppedConnectionIsNetworkErrorWithoutTheCode() {
        String link = sim.gdems().brokenLink();
        String code = link.substring(link.lastIndexOf('/') + 1);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NETWORK_ERROR, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("ERR_EMPTY_RESPONSE"), e.getMessage());
            assertFalse(e.getMessage().contains(code), e.getMessage());
        }
    }

    @Test
    void slowCoverIsTimeout() {
        String link = sim.gdems().slowLink(Duration.ofSeconds(3));

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class,
                    () -> adapter.download(new Timeouts(session, Duration.ofSeconds(1))));
            assertEquals(ErrorCode.TIMEOUT, e.code());
            assertFalse(e.getMessage().contains(link.substring(link.lastIndexOf('/') + 1)), e.getMessage());
        }
    }

    @Test
    void unknownCodeIsRejected() {
        String link = "http://" + GdemsSimulator.HOST + "/v3/dzsd/ZZZZ99";
        try (TestSession session = new TestSession(link, browser, sim.port())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_REJECTED, e.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://sd.gdems.com/v3/dzsd/AbC12",
        "http://sd.gdems.com/v3/dzsd/a1B2c3D4",
        "https://SD.GDEMS.COM/v3/dzsd/x7Yk9Q",
        "https://sd.gdems.com/v3/dzsd/x7Yk9Q/"
    })
    void handlesGdemsLinks(String link) {
        assertTrue(adapter.handles(URI.create(link)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://sd.gdems.com/v3/dzsd/Ab12",          // code too short
        "https://sd.gdems.com/v3/dzsd/Ab12345678",    // code too long
        "https://sd.gdems.com/v3/dzsd/Ab-123",        // not letters/digits
        "https://sd.gdems.com/v3/dzsd/",
        "https://sd.gdems.com/v2/dzsd/AbC123",
        "https://sd.gdems.com/v3/dzsd/AbC123/preview",
        "ftp://sd.gdems.com/v3/dzsd/AbC123",
        "https://sd.gdems.com.evil.example/v3/dzsd/AbC123",
        "https://evil.example/v3/dzsd/AbC123",
        "https://zxfw.court.gov.cn/v3/dzsd/AbC123",
        "mailto:sd.gdems.com"
    })
    void doesNotHandleOtherLinks(String link) {
        assertFalse(adapter.handles(URI.create(link)));
    }

    @Test
    void idIsGdems() {
        assertEquals("gdems", adapter.id());
    }

    @Test
    void noticeFallsBackToAGenericText() {
        assertEquals(GdemsAdapter.GENERIC_NOT_READY, GdemsAdapter.notice("<html><body><canvas></canvas></body></html>"));
        assertEquals("请稍后\"查看\"\n谢谢", GdemsAdapter.notice("<script>var text = '请稍后\\\"查看\\\"\\n\\u8c22\\u8c22';</script>"));
    }

    @Test
    void logsShowHostAndPathButNotTheCode() {
        assertEquals("sd.gdems.com/v3/dzsd/***", GdemsAdapter.redacted(URI.create("https://sd.gdems.com/v3/dzsd/x7Yk9Q")));
    }

    // ---------------------------------------------------------------------------------------

    private static void assertSameDocuments(Map<String, byte[]> expected, TestSession session) {
        assertEquals(expected.keySet(),
                session.accepted.stream().map(DownloadedFile::sourceId).collect(Collectors.toSet()));
        assertEquals(expected.size(), session.accepted.size(), "one document per file, none twice");
        for (int i = 0; i < session.accepted.size(); i++) {
            DownloadedFile d = session.accepted.get(i);
            assertArrayEquals(expected.get(d.sourceId()), session.acceptedBytes.get(i), d.sourceId());
            String base = d.sourceId().substring(d.sourceId().lastIndexOf('/') + 1);
            assertEquals(base, d.fileName());
        }
    }

    private static DownloadedFile bySource(TestSession session, String sourceId) {
        return session.accepted.stream().filter(d -> sourceId.equals(d.sourceId())).findFirst().orElseThrow();
    }

    private static Set<String> namesUnder(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 6)) {
            return s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(name))
                    .map(Path::toString).collect(Collectors.toSet());
        }
    }

    /** The test rig's timeouts are generous; failure paths are tested with short ones. */
    private record Timeouts(TestSession delegate, Duration navigation) implements PortalSession {
        @Override
        public URI link() {
            return delegate.link();
        }

        @Override
        public BrowserContext browser() {
            return delegate.browser();
        }

        @Override
        public HttpClient http() {
            return delegate.http();
        }

        @Override
        public Path workDir() {
            return delegate.workDir();
        }

        @Override
        public Duration navigationTimeout() {
            return navigation;
        }

        @Override
        public Duration downloadTimeout() {
            return navigation;
        }

        @Override
        public void accept(DownloadedFile document) {
            delegate.accept(document);
        }
    }
}
