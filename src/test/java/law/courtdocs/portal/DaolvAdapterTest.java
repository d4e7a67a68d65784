package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.DaolvSimulator.Listing;
import law.courtdocs.sim.DaolvSimulator.NameStyle;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DaolvAdapter against the daolv simulator over plain HTTP, with the simulator as proxy. No browser. */
class DaolvAdapterTest {

    static PortalSimulator sim;
    static DaolvSimulator daolv;
    static final AtomicInteger ACCOUNTS = new AtomicInteger();

    final DaolvAdapter adapter = new DaolvAdapter();

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        daolv = new DaolvSimulator();
        sim.route(DaolvSimulator.HUBEI_HOST, daolv);
        sim.route(DaolvSimulator.JIANGXI_HOST, daolv);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** A fresh 18-digit account, so tests do not see each other's deliveries. */
    static String newAccount() {
        return String.format("4201022026%08d", ACCOUNTS.incrementAndGet());
    }

    TestSession session(String link, String account, String password) {
        TestSession s = new TestSession(link, sim.port());
        s.credentials = new PortalCredentials(List.of(), null, account, password);
        s.captchaSolver = daolv::answerFor;
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {DaolvSimulator.HUBEI_HOST, DaolvSimulator.JIANGXI_HOST})
    void downloadsEveryFileOfTheToDoAndDoneListsWithChineseNames(String host) throws Exception {
        String account = newAccount();
        String link = daolv.addAccount(host, account, "802461");
        byte[] summons = TestPdfs.pdf("summons " + host);
        byte[] notice = TestPdfs.pdf("notice " + host);
        byte[] judgment = TestPdfs.pdf("judgment " + host);
        String todo = daolv.addRecord(host, account, Listing.TODO, "（2026）鄂0102民初1234号 传票",
                new SimDoc("（2026）鄂0102民初1234号传票", "pdf", summons),
                new SimDoc("举证通知书", "pdf", notice));
        String done = daolv.addRecord(host, account, Listing.DONE, "（2025）鄂0102民初999号 民事判决书",
                new SimDoc("民事判决书", "pdf", judgment));
        String expired = daolv.addRecord(host, account, Listing.EXPIRED, "（2024）鄂0102民初1号 旧文书",
                new SimDoc("旧文书", "pdf", TestPdfs.pdf("old")));

        try (TestSession session = session(link, account, "802461")) {
            adapter.download(session);

            Map<String, byte[]> got = byName(session);
            assertEquals(Set.of("（2026）鄂0102民初1234号传票.pdf", "举证通知书.pdf", "民事判决书.pdf"), got.keySet());
            assertArrayEquals(summons, got.get("（2026）鄂0102民初1234号传票.pdf"));
            assertArrayEquals(notice, got.get("举证通知书.pdf"));
            assertArrayEquals(judgment, got.get("民事判决书.pdf"));
            DownloadedFile first = session.accepted.stream()
                    .filter(d -> d.fileName().equals("民事判决书.pdf")).findFirst().orElseThrow();
            assertEquals("民事判决书", first.title());
            assertTrue(first.sourceId().startsWith(done + "|/uploadfiles/deli/"), first.sourceId());
            assertTrue(first.file().startsWith(session.workDir()));
            assertEquals(3, session.accepted.stream().map(DownloadedFile::sourceId).distinct().count());
            assertEquals(2, daolv.downloads(todo), "each file once, although the page links it twice");
            assertEquals(0, daolv.downloads(expired), "expired deliveries are left alone");
            assertEquals(1, daolv.loginAttempts(host, account));
        }
    }

    @ParameterizedTest
    @EnumSource(NameStyle.class)
    void fileNameFromEveryContentDispositionStyle(NameStyle style) throws Exception {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "135790");
        byte[] pdf = TestPdfs.pdf("style " + style);
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "案件", style,
                new SimDoc("（2026）鄂0102民初1234号应诉通知书", "pdf", pdf));

        try (TestSession session = session(link, account, "135790")) {
            adapter.download(session);
            assertEquals(1, session.accepted.size());
            assertEquals("（2026）鄂0102民初1234号应诉通知书.pdf", session.accepted.get(0).fileName());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
        }
    }

    @Test
    void parksOnTheCaptchaAndResumesInTheSamePortalSessionWithThePersonsAnswer() throws Exception {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "135790");
        byte[] pdf = TestPdfs.pdf("daolv parked");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票", new SimDoc("传票", "pdf", pdf));

        CaptchaParked parked;
        try (TestSession first = session(link, account, "135790")) {
            first.parkOnCaptcha = true;
            parked = assertThrows(CaptchaParked.class, () -> adapter.download(first));
        }
        assertEquals(0, daolv.loginAttempts(DaolvSimulator.HUBEI_HOST, account), "no login before the answer");
        assertFalse(parked.session().cookies().isEmpty(), "the portal's session cookie is kept");
        assertNotNull(parked.session().value("t"));
        String right = daolv.answerFor(parked.image());
        int images = daolv.captchaImages();

        try (TestSession second = session(link, account, "135790")) {
            second.parkOnCaptcha = true;
            second.resume = new PortalSession.Resume(ParkedSession.fromJson(parked.session().toJson()), right);
            adapter.download(second);
            assertEquals(1, second.accepted.size());
            assertArrayEquals(pdf, second.acceptedBytes.get(0));
        }
        assertEquals(images, daolv.captchaImages(), "no new image: the answer fits the parked one");
        assertEquals(1, daolv.loginAttempts(DaolvSimulator.HUBEI_HOST, account));
    }

    @Test
    void withoutItsCookiesTheParkedAnswerIsNotAcceptedAndTheJobParksAgain() throws Exception {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "135791");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("daolv no cookies")));
        CaptchaParked parked;
        try (TestSession first = session(link, account, "135791")) {
            first.parkOnCaptcha = true;
            parked = assertThrows(CaptchaParked.class, () -> adapter.download(first));
        }
        ParkedSession noCookies = new ParkedSession(List.of(), parked.session().values());
        try (TestSession second = session(link, account, "135791")) {
            second.parkOnCaptcha = true;
            second.resume = new PortalSession.Resume(noCookies, daolv.answerFor(parked.image()));
            assertThrows(CaptchaParked.class, () -> adapter.download(second),
                    "the captcha lives in the portal's HTTP session: this proves the cookies matter");
        }
        assertEquals(0, daolv.loginAttempts(DaolvSimulator.HUBEI_HOST, account));
    }

    @Test
    void wrongCaptchaOnceThenRight() throws Exception {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        byte[] pdf = TestPdfs.pdf("captcha retry");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票", new SimDoc("传票", "pdf", pdf));
        List<byte[]> images = new ArrayList<>();

        try (TestSession session = session(link, account, "246810")) {
            session.captchaSolver = image -> {
                images.add(image);
                String right = daolv.answerFor(image);
                assertNotNull(right, "the solver is shown the portal's image");
                return images.size() == 1 ? wrong(right) : right;
            };
            adapter.download(session);

            assertEquals(2, images.size());
            assertFalse(java.util.Arrays.equals(images.get(0), images.get(1)), "a new image after a wrong answer");
            assertTrue(isPng(images.get(0)));
            assertEquals(1, session.accepted.size());
            assertArrayEquals(pdf, session.acceptedBytes.get(0));
        }
    }

    @Test
    void fiveWrongCaptchaAnswersAreLoginFailedWithoutALoginAttempt() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("x")));
        AtomicInteger asked = new AtomicInteger();

        try (TestSession session = session(link, account, "246810")) {
            session.captchaSolver = image -> {
                asked.incrementAndGet();
                return wrong(daolv.answerFor(image));
            };
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals("daolv: captcha answered wrong 5 times", e.getMessage());
            assertEquals(5, asked.get());
            assertEquals(0, daolv.loginAttempts(DaolvSimulator.HUBEI_HOST, account));
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void wrongPasswordIsLoginFailedAfterOneAttempt() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.JIANGXI_HOST, account, "246810");
        daolv.addRecord(DaolvSimulator.JIANGXI_HOST, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("x")));

        try (TestSession session = session(link, account, "123456")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertTrue(e.getMessage().contains("用户名或密码错误"), e.getMessage());
            assertFalse(e.getMessage().contains("123456") || e.getMessage().contains(account), "no secrets in messages");
            assertEquals(1, daolv.loginAttempts(DaolvSimulator.JIANGXI_HOST, account), "never hammer an account");
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void accountOfTheOtherHostIsRejected() {
        String account = newAccount();
        daolv.addAccount(DaolvSimulator.JIANGXI_HOST, account, "246810");
        String hubeiLink = "http://" + DaolvSimulator.HUBEI_HOST + "/sfsddz";

        try (TestSession session = session(hubeiLink, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"account", "password", "both"})
    void missingCredentialsAreLoginFailedBeforeAnyCaptcha(String missing) {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        AtomicInteger asked = new AtomicInteger();

        try (TestSession session = session(link, missing.equals("password") ? account : " ",
                missing.equals("account") ? "246810" : null)) {
            session.captchaSolver = image -> {
                asked.incrementAndGet();
                return daolv.answerFor(image);
            };
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LOGIN_FAILED, e.code());
            assertEquals(0, asked.get(), "nobody is asked a captcha for a login that cannot work");
        }
    }

    @Test
    void deliveriesOnlyInTheExpiredListAreLinkExpired() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        String old = daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.EXPIRED, "（2024）鄂0102民初1号 传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("expired")));

        try (TestSession session = session(link, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.LINK_EXPIRED, e.code());
            assertEquals(0, daolv.downloads(old));
            assertTrue(session.accepted.isEmpty());
        }
    }

    @Test
    void noDeliveriesAnywhereIsNoDocuments() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");

        try (TestSession session = session(link, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.NO_DOCUMENTS, e.code());
            assertEquals(1, daolv.loginAttempts(DaolvSimulator.HUBEI_HOST, account), "it did log in");
        }
    }

    @Test
    void serverErrorOnAListIsPortalError() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("x")));
        daolv.failNext("/deli/TdeliPubRecord/tdelipubrecord!todoList.action", 503);

        try (TestSession session = session(link, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_ERROR, e.code());
            assertTrue(e.getMessage().contains("503"), e.getMessage());
        }
    }

    @Test
    void sessionLostAfterLoginIsPortalErrorNotAnEmptyList() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        daolv.addRecord(DaolvSimulator.HUBEI_HOST, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("x")));
        daolv.dropNextSession();

        try (TestSession session = session(link, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_ERROR, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("session"), e.getMessage());
        }
    }

    @Test
    void notFoundOnTheLoginPageIsPortalRejected() {
        String account = newAccount();
        String link = daolv.addAccount(DaolvSimulator.HUBEI_HOST, account, "246810");
        daolv.failNext("/sfsddz", 404);

        try (TestSession session = session(link, account, "246810")) {
            PortalException e = assertThrows(PortalException.class, () -> adapter.download(session));
            assertEquals(ErrorCode.PORTAL_REJECTED, e.code());
        }
    }

    @Test
    void handlesOnlyTheAccountLinksOfItsHosts() {
        assertTrue(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/sfsddz")));
        assertTrue(adapter.handles(URI.create("https://dzsd.hbfy.gov.cn/sfsddz/")));
        assertTrue(adapter.handles(URI.create("http://sfsd.jxfy.gov.cn/sfsddz?from=sms")));
        assertTrue(adapter.handles(URI.create("HTTP://SFSD.JXFY.GOV.CN/sfsddz")));
        assertFalse(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/hb/msg=Ab3dE9")), "Hubei SMS mode");
        assertFalse(adapter.handles(URI.create("http://dzsd.hbfy.gov.cn/deli/login.jsp")));
        assertFalse(adapter.handles(URI.create("http://sd.gdems.com/sfsddz")));
        assertFalse(adapter.handles(URI.create("ftp://dzsd.hbfy.gov.cn/sfsddz")));
        assertFalse(adapter.handles(URI.create("http://evil.example/sfsddz?dzsd.hbfy.gov.cn")));

        DaolvAdapter more = new DaolvAdapter(List.of("dzsd.hbfy.gov.cn", " SFSD.Example.gov.cn "));
        assertTrue(more.handles(URI.create("http://sfsd.example.gov.cn/sfsddz")));
        assertFalse(more.handles(URI.create("http://sfsd.jxfy.gov.cn/sfsddz")));
        assertEquals("daolv", adapter.id());
    }

    @Test
    void recordIdsAndFileLinksFromPages() {
        String list = "<td><a onclick=\"toViewInput('8a81f2a0');return false;\">查看</a></td>"
                + "<td><a onclick=\"toViewInput( \"8a81f2a1\" )\">查看</a></td>"
                + "<td><a onclick=\"toViewInput('8a81f2a0');return false;\">查看</a></td>";
        assertEquals(List.of("8a81f2a0", "8a81f2a1"), List.copyOf(DaolvAdapter.recordIds(list)));

        String detail = "<a href=\"/deli/TsysFilesInfo/tsysfilesinfo!downloadByPath.action?path=%2Fa%2F%E4%BC%A0.pdf&amp;isPdf=1\">"
                + "<a href='/deli/TsysFilesInfo/tsysfilesinfo!downloadByPath.action?path=/b/c.pdf'>";
        List<String> links = DaolvAdapter.fileLinks(detail);
        assertEquals(2, links.size());
        assertEquals("/a/传.pdf", DaolvAdapter.queryParam(links.get(0), "path"));
        assertEquals("1", DaolvAdapter.queryParam(links.get(0), "isPdf"));
        assertEquals("/b/c.pdf", DaolvAdapter.queryParam(links.get(1), "path"));
    }

    static String wrong(String right) {
        return right == null ? "0000" : new StringBuilder(right).reverse().append('9').toString();
    }

    static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    static Map<String, byte[]> byName(TestSession session) {
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0; i < session.accepted.size(); i++) {
            assertTrue(out.put(session.accepted.get(i).fileName(), session.acceptedBytes.get(i)) == null,
                    "duplicate " + session.accepted.get(i).fileName());
        }
        return out;
    }
}
