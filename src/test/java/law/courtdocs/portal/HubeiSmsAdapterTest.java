package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.portal.HubeiSmsAdapter.Outcome;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.HubeiSmsSimulator;
import law.courtdocs.sim.HubeiSmsSimulator.CaptchaStyle;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HubeiSmsAdapter against the Hubei SMS simulator, reached as the real site would be: through
 * the daolv simulator, which owns the shared host. No browser.
 */
class HubeiSmsAdapterTest {

    static PortalSimulator sim;
    static HubeiSmsSimulator hubei;

    final HubeiSmsAdapter adapter = new HubeiSmsAdapter();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        DaolvSimulator daolv = new DaolvSimulator();
        hubei = daolv.hubeiSms();
        sim.route(DaolvSimulator.HUBEI_HOST, daolv);
        sim.route(DaolvSimulator.JIANGXI_HOST, daolv);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @AfterEach
    void defaultCaptchaStyle() {
        hubei.captchaStyle(CaptchaStyle.GET_PLAIN);
    }

    TestSession session(String link) {
        TestSession s = new TestSession(link, sim.port());
        s.captchaSolver = hubei::answerFor;
        return s;
    }

    @Test
    void withoutCaptchaEveryDocumentIsNamedDocNamePlusTheExtensionOfPdfPath() throws Exception {
        byte[] judgment = TestPdfs.pdf("hubei judgment");
        byte[] summons = TestPdfs.pdf("hubei summons");
        byte[] notice = "ofd bytes 举证通知书".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String link = hubei.addMessage(false,
                new SimDoc("（2026）鄂0102民初1234号民事判决书", "pdf", judgment),
                new SimDoc("传票", "pdf", summons),
                new SimDoc("举证通知书", "ofd", notice));
        AtomicInteger asked = new AtomicInteger();

        try (TestSession session = session(link)) {
            session.captchaSolver = image -> {
                asked.incrementAndGet();
                return hubei.answerFor(image);
            };
            adapter.download(session);

            assertEquals(List.of("（2026）鄂0102民初1234号民事判决书.pdf", "传票.pdf", "举证通知书.ofd"),
                    session.accepted.stream().map(DownloadedFile::fileName).toList());
            assertArrayEquals(judgment, session.acceptedBytes.get(0));
            assertArrayEquals(summons, session.acceptedBytes.get(1));
            assertArrayEquals(notice, session.acceptedBytes.get(2));
            DownloadedFile first = session.accepted.get(0);
            assertEquals("（2026）鄂0102民初1234号民事判决书", first.title());
            assertTrue(first.sourceId().startsWith("/file/download?fileId="), first.sourceId());
            assertTrue(first.file().startsWith(session.workDir()));
            assertEquals(0, asked.get(), "no captcha when the portal asks none");
            assertEquals(3, hubei.downloads(link));
        }
    }

    @Test
    void parksOnTheCaptchaAndAFreshSessionResumesWithThePersonsAnswer() throws Exception {
        byte[] pdf = TestPdfs.pdf("hubei parked");
        String link = hubei.addMessage(true, new SimDoc("传票", "pdf", pdf));

        CaptchaParked parked;
        try (TestSession first = session(link)) {
            first.parkOnCaptcha = true;
            parked = assertThrows(CaptchaParked.class, () -> adapter.download(first));
            assertTrue(first.accepted.isEmpty());
        }
        String right = hubei.answerFor(parked.image());
        assertTrue(right != null, "the parked image is the portal's");
        // the state crosses attempts as JSON (sealed in the database)
        ParkedSession kept = ParkedSession.fromJson(parked.session().toJson());
        int issued = hubei.captchasIssued();

        try (TestSession second = session(link)) {
            second.parkOnCaptcha = true; // a second image would park again: the test would fail
            second.resume = new PortalSession.Resume(kept, right);
            adapter.download(second);
            assertEquals(1, second.accepted.size());
            assertArrayEquals(pdf, second.acceptedBytes.get(0));
        }
        assertEquals(issued, hubei.captchasIssued(), "the answer was checked against the parked image");
    }

    @Test
    void aWrongAnswerToTheParkedCaptchaParksAgainWithANewImage() throws Exception {
        String link = hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("hubei parked wrong")));
        CaptchaParked parked;
        try (TestSession first = session(link)) {
            first.parkOnCaptcha = true;
            parked = assertThrows(CaptchaParked.class, () -> adapter.download(first));
        }
        try (TestSession second = session(link)) {
            second.parkOnCaptcha = true;
            second.resume = new PortalSession.Resume(parked.session(), "0000".equals(hubei.answerFor(parked.image()))
                    ? "1111" : "0000");
            CaptchaParked again = assertThrows(CaptchaParked.class, () -> adapter.download(second));
            assertFalse(java.util.Arrays.equals(parked.image(), again.image()));
            assertTrue(hubei.answerFor(again.image()) != null);
        }
    }

    @Test
    void captchaWrongOnceThenRight() throws Exception {
        byte[] pdf = TestPdfs.pdf("hubei captcha");
        String link = hubei.addMessage(true, new SimDoc("应诉通知书", "pdf", pdf));
        List<byte[]> images = new ArrayList<>();

        try (TestSession session = session(link)) {
            session.captchaSolver = image -> {
                images.add(image);
                String right = hubei.answerFor(image);
                return images.size() == 1 ? right + "7" : right;
            };
            adapter.download(session);

            assertEquals(2, images.size());
            assertTrue(DaolvAdapterTest.isPng(images.get(1)), "the Base64 was decoded to the PNG itself");
            assertEquals(List.of("应诉通知书.pdf"), session.accepted.stream().map(DownloadedFile::fileName).toList());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(CaptchaStyle.class)
    void captchaRightFirstTimeInEitherAnswerStyle(CaptchaStyle style) throws Exception {
        hubei.captchaStyle(style);
        byte[] pdf = TestPdfs.pdf("hubei style " + style);
        String link = hubei.addMessage(true, new SimDoc("传票", "pdf", pdf));
        int before = hubei.captchasIssued();

        try (TestSession session = session(link)) {
            adapter.download(session);
            assertEquals(1, hubei.captchasIssued() - before);
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
        }
    }

    @Test
    void fiveWrongCaptchaAnswersAreLoginFailed() {
        String link = hubei.addMessage(true, new SimDoc("传票", "pdf", TestPdfs.pdf("never")));
        AtomicInteger asked = new AtomicInteger();

        try (TestSession session = session(link)) {
            session.captchaSolver = image -> {
                asked.incrementAndGet();
                return "x" + hubei.answerFor(image);
            };
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals("hubei-sms: captcha answered wrong 5 times", e.getMessage());
            assertEquals(5, asked.get());
            assertEquals(0, hubei.downloads(link));
        }
    }

    @Test
    void expiredMessageIsLinkExpiredWithThePortalsWords() {
        String link = hubei.expiredMessage();
        String code = link.substring(link.indexOf("msg=") + 4);

        try (TestSession session = session(link)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code());
            assertTrue(e.getMessage().contains("短信已过期"), e.getMessage());
            assertFalse(e.getMessage().contains(code), "the code is never in a message");
        }
    }

    @Test
    void unknownCodeIsLinkExpired() {
        try (TestSession session = session(hubei.unknownLink())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code());
            assertTrue(e.getMessage().contains("短信信息不存在"), e.getMessage());
        }
    }

    @Test
    void serverErrorIsPortalError() {
        String link = hubei.addMessage(false, new SimDoc("传票", "pdf", TestPdfs.pdf("5xx")));
        hubei.failNext("/delimobile/tDeliSms/findSmsInfo", 502);

        try (TestSession session = session(link)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_ERROR, e.code());
            assertTrue(e.getMessage().contains("502"), e.getMessage());
        }
    }

    @Test
    void missingDocumentIsPortalRejected() {
        String link = hubei.addMessage(false, new SimDoc("传票", "pdf", TestPdfs.pdf("4xx")));
        hubei.failNext("/delimobile/file/download", 404);

        try (TestSession session = session(link)) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_REJECTED, e.code());
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void droppedConnectionIsNetworkError() {
        try (TestSession session = session(hubei.droppedMessage())) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NETWORK_ERROR, e.code(), e.getMessage());
        }
    }

    @Test
    void slowAnswerIsTimeout() {
        String link = hubei.slowMessage(Duration.ofSeconds(3), new SimDoc("传票", "pdf", TestPdfs.pdf("slow")));

        try (TestSession session = session(link)) {
            long start = System.nanoTime();
            PortalException e = assertThrows(PortalException.class,
                    () -> adapter.download(new ShortTimeouts(session, Duration.ofMillis(500))));
            assertEquals(ErrorCode.TIMEOUT, e.code(), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(2500)) < 0,
                    "gave up at the timeout, not when the answer came");
        }
    }

    @Test
    void handlesOnlyHubeiSmsLinks() {
        assertTrue(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/hb/msg=Ab3dE9xY")));
        assertTrue(adapter.handles(URI.create("https://dzsd.hbfy.gov.cn/hb/msg=Ab3dE9xY")));
        assertFalse(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/hb/msg=")));
        assertFalse(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/sfsddz")));
        assertFalse(adapter.handles(URI.create("http://sfsd.jxfy.gov.cn/hb/msg=Ab3dE9xY")));
        assertFalse(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/hb/msg=Ab3/../x")));
        assertFalse(adapter.handles(URI.create("ftp://dzsd.hbfy.gov.cn/hb/msg=Ab3dE9xY")));
        assertEquals("hubei-sms", adapter.id());
    }

    @Test
    void outcomeOfTheAnswerShapes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(Outcome.DOCUMENTS, HubeiSmsAdapter.outcome(json.readTree(
                "{\"code\":200,\"data\":{\"isNeedCaptcha\":\"N\",\"docList\":[{\"docName\":\"传票\",\"downloadPath\":\"/f/1\"}]}}"),
                false));
        JsonNode askCaptcha = json.readTree(
                "{\"code\":200,\"data\":{\"isNeedCaptcha\":\"Y\",\"docList\":[{\"docName\":\"传票\",\"downloadPath\":\"\"}]}}");
        assertEquals(Outcome.CAPTCHA, HubeiSmsAdapter.outcome(askCaptcha, false));
        assertEquals(Outcome.CAPTCHA, HubeiSmsAdapter.outcome(askCaptcha, true), "still asked: the answer was wrong");
        JsonNode noPaths = json.readTree("{\"code\":200,\"data\":{\"docList\":[]}}");
        assertEquals(Outcome.CAPTCHA, HubeiSmsAdapter.outcome(noPaths, false));
        assertEquals(Outcome.EMPTY, HubeiSmsAdapter.outcome(noPaths, true));
        assertEquals(Outcome.CAPTCHA, HubeiSmsAdapter.outcome(json.readTree("{\"code\":500,\"msg\":\"验证码错误\"}"), true));
        assertEquals(Outcome.EXPIRED, HubeiSmsAdapter.outcome(json.readTree("{\"code\":500,\"msg\":\"短信已过期\"}"), false));
        assertEquals(Outcome.DOCUMENTS, HubeiSmsAdapter.outcome(json.readTree(
                "{\"isNeedCaptcha\":\"N\",\"docList\":{\"docName\":\"传票\",\"downloadPath\":\"/f/1\"}}"), false),
                "unwrapped answer, single document");
    }

    @Test
    void namesAndDocumentUris() throws Exception {
        assertEquals("传票.pdf", HubeiSmsAdapter.fileName("传票", "/upload/a/b.pdf"));
        assertEquals("传票.ofd", HubeiSmsAdapter.fileName("传票", "/upload/a/b.OFD"));
        assertEquals("传票.pdf", HubeiSmsAdapter.fileName("传票", ""));
        assertEquals("传票.pdf", HubeiSmsAdapter.fileName("传票.pdf", "/upload/a/b.pdf"));
        assertEquals("a_b.pdf", HubeiSmsAdapter.fileName("a/b", "x.pdf"));
        URI origin = URI.create("http://dzsd.hbfy.gov.cn");
        assertEquals(URI.create("http://dzsd.hbfy.gov.cn/delimobile/file/download?fileId=1"),
                HubeiSmsAdapter.documentUri(origin, "/file/download?fileId=1"));
        assertEquals(URI.create("http://dzsd.hbfy.gov.cn/delimobile/file/%E4%BC%A0.pdf"),
                HubeiSmsAdapter.documentUri(origin, "file/传.pdf"));
        PortalException e = assertThrows(PortalException.class,
                () -> HubeiSmsAdapter.documentUri(origin, "http://169.254.169.254/latest/meta-data"));
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
    }

    /** The test session with a short navigation timeout. */
    private record ShortTimeouts(TestSession delegate, Duration navigation) implements PortalSession {
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
        public PortalCredentials credentials() {
            return delegate.credentials();
        }

        @Override
        public String solveCaptcha(byte[] image) throws PortalException {
            return delegate.solveCaptcha(image);
        }

        @Override
        public String solveCaptcha(byte[] image, ParkedSession resumeWith) throws PortalException {
            return delegate.solveCaptcha(image, resumeWith);
        }

        @Override
        public java.util.Optional<Resume> resume() {
            return delegate.resume();
        }

        @Override
        public void accept(DownloadedFile document) {
            delegate.accept(document);
        }
    }
}
