package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SfdwSimulator;
import law.courtdocs.sim.SfdwSimulator.Instance;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SfdwAdapter against the sfdw simulator (both instances), in a real Chromium. */
class SfdwAdapterTest {

    static final String CODE = "4821";
    static final String PHONE = "13812345678";
    static final String PHONE_TAIL = "345678";

    static PortalSimulator sim;
    static SfdwSimulator sfdw;
    static BrowserLauncher.Launched browser;
    final SfdwAdapter adapter = new SfdwAdapter();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        sfdw = new SfdwSimulator();
        sim.route(SfdwSimulator.HOST, sfdw);
        sim.route(SfdwSimulator.GX_HOST, sfdw);
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
    void smsCodeOpensTheChengduDeliveryAndEveryDocumentComesDown() throws Exception {
        List<SimDoc> docs = List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("judgment")),
                new SimDoc("送达回证:（2026）川0107民初5678号", "PDF", TestPdfs.pdf("receipt")),
                new SimDoc("举证通知书", "ofd", TestPdfs.pdf("evidence notice")));
        String link = sfdw.addDelivery(Instance.CHENGDU, docs, CODE);

        try (TestSession session = session(link, CODE)) {
            adapter.download(session);

            assertEquals(3, session.accepted.size());
            List<String> ids = sfdw.documentIds(link);
            for (int i = 0; i < docs.size(); i++) {
                DownloadedFile d = session.accepted.get(i);
                SimDoc expected = docs.get(i);
                assertArrayEquals(expected.bytes(), session.acceptedBytes.get(i), expected.title());
                assertEquals(FileNames.withExtension(expected.title(), expected.format()), d.fileName());
                assertEquals(expected.title(), d.title());
                assertEquals(Instance.CHENGDU.court, d.court());
                assertEquals(ids.get(i), d.sourceId());
                assertTrue(d.file().startsWith(session.workDir()), "saved inside the job's work directory");
            }
            assertEquals("送达回证_（2026）川0107民初5678号.pdf", session.accepted.get(1).fileName());
            assertEquals(List.of(CODE), sfdw.codesTried(link));
            assertEquals(3, sfdw.downloads(link));
        }
    }

    @Test
    void guangxiInstanceOnIpAndPortWorksWithAPhoneTail() throws Exception {
        List<SimDoc> docs = List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("guangxi summons")));
        String link = sfdw.addDelivery(Instance.GUANGXI, docs, PHONE_TAIL);
        assertTrue(link.startsWith("http://171.106.48.55:28083/sfsdw//r/"), link);

        try (TestSession session = session(link, null, PHONE)) {
            adapter.download(session);

            assertEquals(1, session.accepted.size());
            assertArrayEquals(docs.get(0).bytes(), session.acceptedBytes.get(0));
            assertEquals("传票.pdf", session.accepted.get(0).fileName());
            assertEquals(Instance.GUANGXI.court, session.accepted.get(0).court());
            assertEquals(List.of(PHONE_TAIL), sfdw.codesTried(link));
        }
    }

    @Test
    void simulatedGuangxiInstanceAnswersOnlyOnItsPort() {
        String link = sfdw.addDelivery(Instance.GUANGXI, List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("x"))), CODE);
        String token = link.substring(link.lastIndexOf('/') + 1);

        try (TestSession session = new TestSession(link, browser, sim.port())) {
            var request = session.browser().request();
            assertEquals(200, request.get(link).status());
            var elsewhere = "http://" + SfdwSimulator.GX_HOST + ":8080/sfsdw//r/" + token;
            assertThrows(com.microsoft.playwright.PlaywrightException.class, () -> request.get(elsewhere));
        }
    }

    @Test
    void wrongCodeThenPhoneTailAndNothingSecretInTheLog() throws Exception {
        byte[] pdf = TestPdfs.pdf("second candidate");
        String link = sfdw.addDelivery(List.of(new SimDoc("应诉通知书", "pdf", pdf)), PHONE_TAIL);
        String token = link.substring(link.lastIndexOf('/') + 1);

        try (LogCapture log = LogCapture.start(); TestSession session = session(link, "9999", PHONE)) {
            adapter.download(session);

            assertEquals(List.of("9999", PHONE_TAIL), sfdw.codesTried(link));
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
            assertTrue(log.all().contains("candidate 2 of 2"), log.all());
            assertFalse(log.all().contains("9999"), log.all());
            assertFalse(log.all().contains(PHONE_TAIL), log.all());
            assertFalse(log.all().contains(token), log.all());
        }
    }

    @Test
    void allCandidatesWrongIsLoginFailed() {
        String link = sfdw.addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("x"))), CODE);

        try (TestSession session = session(link, "1111", "13900001234", "13700005555")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals(List.of("1111", "001234", "005555"), sfdw.codesTried(link));
            assertFalse(e.getMessage().contains("1111"), e.getMessage());
            assertEquals(0, sfdw.downloads(link));
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void noCodeAndNoPhoneIsLoginFailedWithoutCallingCheckYzm() {
        String link = sfdw.addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("x"))), CODE);

        try (TestSession session = session(link, null)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals(List.of(), sfdw.codesTried(link));
        }
    }

    @Test
    void expiredLinkIsLinkExpiredWithoutTheToken() {
        String link = sfdw.expiredLink(Instance.GUANGXI);
        String token = link.substring(link.lastIndexOf('/') + 1);

        try (TestSession session = session(link, CODE)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("已失效"), e.getMessage());
            assertFalse(e.getMessage().contains(token), e.getMessage());
            assertEquals(List.of(), sfdw.codesTried(link));
        }
    }

    @Test
    void emptyDocumentListIsNoDocuments() {
        String link = sfdw.addDelivery(List.of(), CODE);

        try (TestSession session = session(link, CODE)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NO_DOCUMENTS, e.code(), e.getMessage());
            assertEquals(List.of(CODE), sfdw.codesTried(link));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://sfpt.cdfy12368.gov.cn/sfsdw//r/a1B2c3D4e5",
        "http://sfpt.cdfy12368.gov.cn/sfsdw//r/a1B2c3D4e5",
        "https://SFPT.CDFY12368.GOV.CN/sfsdw//r/a1B2c3D4e5/",
        "https://sfpt.cdfy12368.gov.cn:443/sfsdw//r/a1B2c3D4e5",
        "http://171.106.48.55:28083/sfsdw//r/a1B2c3D4e5",
        "https://171.106.48.55:28083/sfsdw//r/a1B2c3D4e5"
    })
    void handlesSfdwLinks(String link) {
        assertTrue(adapter.handles(URI.create(link)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://171.106.48.55/sfsdw//r/a1B2c3D4e5",              // the IP without the port
        "http://171.106.48.55:8080/sfsdw//r/a1B2c3D4e5",         // the IP on another port
        "http://171.106.48.56:28083/sfsdw//r/a1B2c3D4e5",        // another IP on the port
        "https://sfpt.cdfy12368.gov.cn:28083/sfsdw//r/a1B2c3D4e5",
        "https://sfpt.cdfy12368.gov.cn/sfsdw/r/a1B2c3D4e5",      // single slash
        "https://sfpt.cdfy12368.gov.cn/sfsdw//r/",
        "https://sfpt.cdfy12368.gov.cn/sfsdw//r/a1B2c3D4e5/extra",
        "https://sfpt.cdfy12368.gov.cn.evil.example/sfsdw//r/a1B2c3D4e5",
        "ftp://sfpt.cdfy12368.gov.cn/sfsdw//r/a1B2c3D4e5",
        "https://jysd.10102368.com/sfsdw//r/a1B2c3D4e5"
    })
    void doesNotHandleOtherLinks(String link) {
        assertFalse(adapter.handles(URI.create(link)));
    }

    @Test
    void operatorsAddInstancesOfThePlatformBySetting() {
        SfdwAdapter more = new SfdwAdapter(java.util.List.of("sfpt.cdfy12368.gov.cn", "SFSD.Example-Court.gov.cn",
                "10.9.8.7:8443"));

        assertTrue(more.handles(URI.create("https://sfsd.example-court.gov.cn/sfsdw//r/a1B2c3D4e5")));
        assertTrue(more.handles(URI.create("http://10.9.8.7:8443/sfsdw//r/a1B2c3D4e5")));
        assertFalse(more.handles(URI.create("http://10.9.8.7/sfsdw//r/a1B2c3D4e5")), "host:port means that port only");
        assertFalse(more.handles(URI.create("http://171.106.48.55:28083/sfsdw//r/a1B2c3D4e5")),
                "the setting replaces the defaults");
        assertFalse(more.handles(URI.create("https://sfsd.example-court.gov.cn/other//r/a1B2c3D4e5")));
    }

    @Test
    void idIsSfdw() {
        assertEquals("sfdw", adapter.id());
    }

    @Test
    void candidatesAreTheCodeThenPhoneTailsDistinctAndCapped() {
        assertEquals(List.of("A1b2", "345678", "001234"), SfdwAdapter.candidates(new PortalCredentials(
                List.of("138-1234-5678", "13812345678", "13900001234", "12345"), " A1b2 ", null, null)));
        assertEquals(List.of("345678"), SfdwAdapter.candidates(
                new PortalCredentials(List.of(PHONE), "验证码：1234", null, null)), "a code of the wrong shape is skipped");
        List<String> many = IntStream.range(0, 12).mapToObj(i -> "1380000%04d".formatted(i)).toList();
        assertEquals(10, SfdwAdapter.candidates(new PortalCredentials(many, null, null, null)).size());
    }

    @Test
    void logsShowHostPortAndPathButNotTheToken() {
        assertEquals("171.106.48.55:28083/sfsdw//r/***",
                SfdwAdapter.redacted(URI.create("http://171.106.48.55:28083/sfsdw//r/a1B2c3D4e5")));
        assertEquals("sfpt.cdfy12368.gov.cn/sfsdw//r/***",
                SfdwAdapter.redacted(URI.create("https://sfpt.cdfy12368.gov.cn/sfsdw//r/a1B2c3D4e5")));
    }

    private static TestSession session(String link, String code, String... phones) {
        TestSession session = new TestSession(link, browser, sim.port());
        session.credentials = new PortalCredentials(List.of(phones), code, null, null);
        return session;
    }
}
