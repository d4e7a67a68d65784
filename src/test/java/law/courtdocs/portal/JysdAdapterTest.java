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
import law.courtdocs.sim.JysdSimulator;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JysdAdapter against the jysd simulator (delivery page + sifayun iframe), in a real Chromium. */
class JysdAdapterTest {

    static final String RIGHT = "13812341234";
    static final String WRONG = "13900005678";
    static final String OTHER_WRONG = "15000009999";

    static PortalSimulator sim;
    static JysdSimulator jysd;
    static BrowserLauncher.Launched browser;
    final JysdAdapter adapter = new JysdAdapter();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        jysd = new JysdSimulator();
        sim.route(JysdSimulator.HOST, jysd);
        sim.route(JysdSimulator.FRAME_HOST, jysd);
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
    void logsInAndDownloadsEveryRowWithChineseNames() throws Exception {
        List<SimDoc> docs = List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("judgment")),
                new SimDoc("（2026）浙0106民初1234号传票", "pdf", TestPdfs.pdf("summons")),
                new SimDoc("举证通知书", "docx", TestPdfs.pdf("evidence notice")));
        String link = jysd.addDelivery(docs, RIGHT);

        try (TestSession session = session(link, RIGHT)) {
            adapter.download(session);

            assertEquals(3, session.accepted.size());
            for (int i = 0; i < docs.size(); i++) {
                DownloadedFile d = session.accepted.get(i);
                SimDoc expected = docs.get(i);
                assertArrayEquals(expected.bytes(), session.acceptedBytes.get(i), expected.title());
                assertEquals(expected.title() + "." + expected.format(), d.fileName());
                assertEquals(expected.title(), d.title());
                assertEquals(JysdSimulator.COURT, d.court());
                assertEquals(expected.title() + "#" + (i + 1), d.sourceId());
                assertTrue(d.file().startsWith(session.workDir()), "saved inside the job's work directory");
            }
            assertEquals(List.of(RIGHT), jysd.loginPhones(link));
            assertEquals(3, jysd.downloads(link));
        }
    }

    @Test
    void confirmDialogIsAnsweredForEachDownload() throws Exception {
        // Two rows with the same title: both kept, told apart by their position.
        List<SimDoc> docs = List.of(
                new SimDoc("应诉通知书", "pdf", TestPdfs.pdf("first notice")),
                new SimDoc("应诉通知书", "pdf", TestPdfs.pdf("second notice")));
        String link = jysd.addDeliveryWithCheckDialog(docs, RIGHT);

        try (TestSession session = session(link, RIGHT)) {
            adapter.download(session);

            assertEquals(2, session.accepted.size());
            assertArrayEquals(docs.get(0).bytes(), session.acceptedBytes.get(0));
            assertArrayEquals(docs.get(1).bytes(), session.acceptedBytes.get(1));
            assertEquals(List.of("应诉通知书#1", "应诉通知书#2"),
                    session.accepted.stream().map(DownloadedFile::sourceId).toList());
            assertEquals("应诉通知书.pdf", session.accepted.get(1).fileName());
            assertEquals(2, jysd.downloads(link));
        }
    }

    @Test
    void wrongPhoneFirstThenTheRightOneAndNoPhoneOrKeyInTheLog() throws Exception {
        byte[] pdf = TestPdfs.pdf("after retry");
        String link = jysd.addDelivery(List.of(new SimDoc("传票", "pdf", pdf)), RIGHT);
        String key = link.substring(link.indexOf("key=") + 4);

        try (LogCapture log = LogCapture.start(); TestSession session = session(link, WRONG, RIGHT)) {
            adapter.download(session);

            assertEquals(List.of(WRONG, RIGHT), jysd.loginPhones(link), "reloaded and tried the second phone");
            assertEquals(1, session.accepted.size());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
            assertTrue(log.all().contains("138****1234"), log.all());
            assertFalse(log.all().contains(RIGHT), log.all());
            assertFalse(log.all().contains(WRONG), log.all());
            assertFalse(log.all().contains(key), log.all());
        }
    }

    @Test
    void allPhonesWrongIsLoginFailedAfterAtMostTen() {
        String link = jysd.addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("x"))), RIGHT);
        // the right phone comes 11th: past the cap, so it must not be tried
        List<String> phones = IntStream.range(0, 11)
                .mapToObj(i -> i == 10 ? RIGHT : "1370000%04d".formatted(i)).toList();

        try (TestSession session = session(link, phones.toArray(String[]::new))) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals(phones.subList(0, 10), jysd.loginPhones(link), "each of the first ten, in order");
            assertFalse(e.getMessage().contains("13700000000"), e.getMessage());
            assertTrue(session.accepted.isEmpty());
            assertEquals(0, jysd.downloads(link));
        }
    }

    @Test
    void noPhoneIsLoginFailedWithoutTryingTheForm() {
        String link = jysd.addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("x"))), RIGHT);

        try (TestSession session = session(link)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals(List.of(), jysd.loginPhones(link));
        }
    }

    @Test
    void expiredLinkIsLinkExpiredWithoutTheKey() {
        String link = jysd.expiredLink();
        String key = link.substring(link.indexOf("key=") + 4);

        try (TestSession session = session(link, RIGHT)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("已失效"), e.getMessage());
            assertFalse(e.getMessage().contains(key), e.getMessage());
            assertEquals(List.of(), jysd.loginPhones(link), "no phone is sent to an expired link");
        }
    }

    @Test
    void unknownKeyIsLinkExpired() {
        String link = "http://" + JysdSimulator.HOST + "/sd?key=0123456789abcdef0123456789abcdef";

        try (TestSession session = session(link, RIGHT)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code(), e.getMessage());
        }
    }

    @Test
    void emptyListIsNoDocuments() {
        String link = jysd.addDelivery(List.of(), RIGHT);

        try (TestSession session = session(link, RIGHT)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NO_DOCUMENTS, e.code(), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://jysd.10102368.com/sd?key=a1B2c3D4e5F6",
        "http://jysd.10102368.com/sd?key=a1B2c3D4e5F6",
        "https://JYSD.10102368.COM/sd?key=0f0f0f0f0f0f0f0f",
        "https://jysd.10102368.com/sd?key=abc_DEF-123&from=sms",
        "https://jysd.10102368.com:443/sd?key=a1B2c3D4e5F6"
    })
    void handlesJysdLinks(String link) {
        assertTrue(adapter.handles(URI.create(link)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://jysd.10102368.com/sd",                      // no key
        "https://jysd.10102368.com/sd?key=",                 // empty key
        "https://jysd.10102368.com/sd?token=a1B2c3D4e5F6",
        "https://jysd.10102368.com/sdx?key=a1B2c3D4e5F6",
        "https://jysd.10102368.com/?key=a1B2c3D4e5F6",
        "https://jysd.10102368.com:8443/sd?key=a1B2c3D4e5F6",
        "https://jysd.10102368.com.evil.example/sd?key=a1B2c3D4e5F6",
        "https://sd.sifayun.com/checkLoginPc?key=a1B2c3D4e5F6",
        "ftp://jysd.10102368.com/sd?key=a1B2c3D4e5F6",
        "mailto:jysd.10102368.com"
    })
    void doesNotHandleOtherLinks(String link) {
        assertFalse(adapter.handles(URI.create(link)));
    }

    @Test
    void idIsJysd() {
        assertEquals("jysd", adapter.id());
    }

    @Test
    void phonesAreMaskedAndKeysRedacted() {
        assertEquals("138****1234", JysdAdapter.maskPhone("13812341234"));
        assertEquals("***", JysdAdapter.maskPhone("1234"));
        assertEquals("jysd.10102368.com/sd?key=***",
                JysdAdapter.redacted(URI.create("https://jysd.10102368.com/sd?key=a1B2c3D4e5F6")));
    }

    @Test
    void candidatesAreTrimmedDistinctAndCapped() {
        PortalCredentials credentials = new PortalCredentials(
                List.of(" 138 1234 1234 ", "13812341234", "", "139-0000-5678"), null, null, null);
        assertEquals(List.of("13812341234", "13900005678"), JysdAdapter.candidates(credentials));
    }

    private static TestSession session(String link, String... phones) {
        TestSession session = new TestSession(link, browser, sim.port());
        session.credentials = new PortalCredentials(List.of(phones), null, null, null);
        return session;
    }
}
