package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import law.courtdocs.auth.TestTokens;
import law.courtdocs.sim.DaolvSimulator;
import law.courtdocs.sim.DaolvSimulator.Listing;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * daolv account mode through the whole service: the job comes in over REST (or as an SMS) with
 * the account and default password, the worker meets the portal's login captcha and parks the
 * job (WAITING_FOR_CAPTCHA), a person reads the image off {@code GET …/captcha} and answers it,
 * and the next attempt logs in with the portal session it parked and downloads every file.
 * Real PostgreSQL, RabbitMQ and worker; the daolv simulator behind the outbound proxy checks the
 * captcha against the HTTP session it was served to and the password hash.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class DaolvAccountDownloadTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    DaolvSimulator daolv = SimulatorResource.sim().daolv();

    /** A fresh 18-digit account per test, so no test sees another's deliveries. */
    static String account(String prefix) {
        return prefix + String.format("%06d%06d", ProcessHandle.current().pid() % 1_000_000,
                ACCOUNTS.incrementAndGet());
    }

    @Test
    void accountAndPasswordThenACaptchaAnsweredThroughTheApiDownloadEveryFile() {
        String host = DaolvSimulator.JIANGXI_HOST;
        String account = account("360102");
        String password = "Jx#4455";
        String link = daolv.addAccount(host, account, password);
        SimDoc judgment = new SimDoc("（2026）赣0102民初321号民事判决书", "pdf", TestPdfs.pdf("daolv e2e judgment"));
        SimDoc receipt = new SimDoc("送达回证", "pdf", TestPdfs.pdf("daolv e2e receipt"));
        SimDoc summons = new SimDoc("传票", "pdf", TestPdfs.pdf("daolv e2e summons"));
        String todo = daolv.addRecord(host, account, Listing.TODO, "民事判决书", judgment, receipt);
        String done = daolv.addRecord(host, account, Listing.DONE, "传票", summons);

        String id = submit(link, account, password);
        JsonPath waiting = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        assertEquals("daolv", waiting.getString("portal"));
        assertNotNull(waiting.getString("captchaRequestedAt"));
        assertTrue(waiting.getBoolean("hasCredentials"), "kept while the job waits: the login is still to come");
        assertTrue(waiting.getList("documents").isEmpty());
        assertEquals(0, daolv.loginAttempts(host, account), "no login before the captcha is answered");
        assertTrue(CaptchaTest.captchaRowExists(id));

        byte[] image = given().when().get("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(200).contentType("image/png").header("Cache-Control", "no-store")
                .extract().asByteArray();
        assertTrue(image.length > 8 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
        String answer = daolv.answerFor(image);
        assertNotNull(answer, "the API serves the very image the portal drew for the job's session");

        given().contentType(ContentType.JSON).body(Map.of("answer", answer))
                .when().post("/api/v1/jobs/" + id + "/captcha")
                .then().statusCode(202).body("id", equalTo(id)).body("status", equalTo("QUEUED"));

        JsonPath job = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals(2, job.getInt("attempts"));
        assertNull(job.get("error"));
        assertNull(job.get("captchaRequestedAt"));
        Documents.assertExactly(job, List.of(judgment, receipt, summons));
        assertEquals(2, daolv.downloads(todo));
        assertEquals(1, daolv.downloads(done));
        assertEquals(1, daolv.loginAttempts(host, account), "one login, with the answered captcha");

        assertFalse(job.getBoolean("hasCredentials"));
        assertNull(JobCredentialsTest.row(id).credentials, "credentials column erased at SUCCEEDED");
        assertFalse(CaptchaTest.captchaRowExists(id), "the sealed portal session is gone");
        // the resumed attempt checked the answer in the parked session: another image would have parked again
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "SUCCEEDED"), CaptchaTest.outcomes(id));
        given().when().get("/api/v1/jobs/" + id + "/captcha").then().statusCode(404);
    }

    @Test
    void aWrongAnswerShowsANewImageAndTheRightOneThenLogsIn() {
        String host = DaolvSimulator.HUBEI_HOST;
        String account = account("420106");
        String password = "Hb@2026ab";
        String link = daolv.addAccount(host, account, password);
        SimDoc notice = new SimDoc("（2026）鄂0102民初77号应诉通知书", "pdf", TestPdfs.pdf("daolv e2e wrong once"));
        daolv.addRecord(host, account, Listing.TODO, "应诉通知书", notice);

        String id = submit(link, account, password);
        JsonPath waiting = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        byte[] first = CaptchaTest.image(id);
        String right = daolv.answerFor(first);
        assertNotNull(right);

        CaptchaTest.answer(id, CaptchaTest.wrong(right)).then().statusCode(202);
        JsonPath again = CaptchaTest.awaitWaitingAgain(id, 2);
        assertNotNull(again.getString("captchaRequestedAt"));
        assertTrue(again.getBoolean("hasCredentials"), "still there for the login to come");
        assertEquals(0, daolv.loginAttempts(host, account), "a wrong captcha is not followed by a login");
        byte[] second = CaptchaTest.image(id);
        assertFalse(Arrays.equals(first, second), "a new image for the new round");
        assertNotNull(daolv.answerFor(second));

        CaptchaTest.answer(id, daolv.answerFor(second)).then().statusCode(202);
        JsonPath job = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        Documents.assertExactly(job, List.of(notice));
        assertEquals(1, daolv.loginAttempts(host, account));
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "WAITING_FOR_CAPTCHA", "SUCCEEDED"), CaptchaTest.outcomes(id));
        assertNull(JobCredentialsTest.row(id).credentials);
        assertFalse(CaptchaTest.captchaRowExists(id));
    }

    @Test
    void aWrongPasswordAfterTheRightCaptchaFailsAtOnceWithLoginFailed() {
        String host = DaolvSimulator.JIANGXI_HOST;
        String account = account("360103");
        String link = daolv.addAccount(host, account, "Right#111");
        String record = daolv.addRecord(host, account, Listing.TODO, "传票",
                new SimDoc("传票", "pdf", TestPdfs.pdf("daolv e2e wrong password")));

        String id = submit(link, account, "Wrong#222");
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        CaptchaTest.answer(id, daolv.answerFor(CaptchaTest.image(id))).then().statusCode(202);

        JsonPath job = Jobs.awaitStatus(id, WAIT, "FAILED", "SUCCEEDED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals("LOGIN_FAILED", job.getString("error.code"));
        assertTrue(job.getString("error.message").contains("用户名或密码错误"), job.getString("error.message"));
        assertNull(job.get("nextAttemptAt"), "a rejected password is not tried again");
        assertEquals(2, job.getInt("attempts"));
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "FAILED"), CaptchaTest.outcomes(id));
        assertEquals(1, daolv.loginAttempts(host, account), "one login only: accounts lock after a few");
        assertEquals(0, daolv.downloads(record));
        assertFalse(job.getBoolean("hasCredentials"));
        assertNull(JobCredentialsTest.row(id).credentials, "credentials column erased at FAILED");
        assertFalse(CaptchaTest.captchaRowExists(id));
    }

    @Test
    void deliveriesOnlyInTheExpiredListFailAtOnceWithLinkExpired() {
        String host = DaolvSimulator.HUBEI_HOST;
        String account = account("420107");
        String password = "Hb#expired1";
        String link = daolv.addAccount(host, account, password);
        String record = daolv.addRecord(host, account, Listing.EXPIRED, "判决书",
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("daolv e2e expired")));

        JsonPath job = answerOnce(submit(link, account, password));
        assertPermanent(job, "LINK_EXPIRED");
        assertEquals(1, daolv.loginAttempts(host, account));
        assertEquals(0, daolv.downloads(record), "an expired delivery is not fetched");
    }

    @Test
    void anAccountWithNoDeliveryFailsAtOnceWithNoDocuments() {
        String host = DaolvSimulator.JIANGXI_HOST;
        String account = account("360104");
        String password = "Jx#none22";
        String link = daolv.addAccount(host, account, password);

        JsonPath job = answerOnce(submit(link, account, password));
        assertPermanent(job, "NO_DOCUMENTS");
        assertEquals(1, daolv.loginAttempts(host, account));
    }

    @Test
    void aDaolvSmsWithAccountAndDefaultPasswordBecomesAJobThatDownloadsOnceTheCaptchaIsAnswered() {
        String host = DaolvSimulator.HUBEI_HOST;
        String account = account("420102");
        String password = "Ab123456";
        String link = daolv.addAccount(host, account, password);
        SimDoc summons = new SimDoc("（2026）鄂0102民初1357号传票", "pdf", TestPdfs.pdf("daolv sms summons"));
        SimDoc evidence = new SimDoc("举证通知书", "pdf", TestPdfs.pdf("daolv sms evidence"));
        daolv.addRecord(host, account, Listing.TODO, "传票", summons, evidence);
        String text = "【武汉市江岸区人民法院】李四律师：您有（2026）鄂0102民初1357号案件的电子送达文书，请登录" + link
                + "查看，账号：" + account + "，默认密码：" + password + "。请及时签收。";

        String answer = given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.links.size()", equalTo(1))
                .body("parsed.links[0].portal", equalTo("daolv"))
                .body("parsed.links[0].outcome", equalTo("JOB_CREATED"))
                .body("parsed.court", equalTo("武汉市江岸区人民法院"))
                .body("parsed.hasAccount", equalTo(true))
                .body("parsed.hasPassword", equalTo(true))
                .body("jobs.size()", equalTo(1))
                .body("jobs[0].portal", equalTo("daolv"))
                .body("jobs[0].caseRef", equalTo("（2026）鄂0102民初1357号"))
                .body("jobs[0].hasCredentials", equalTo(true))
                .extract().asString();
        assertFalse(answer.contains(password), "the password is not echoed");
        assertFalse(answer.contains(account), "the account is not echoed");
        String id = JsonPath.from(answer).getString("jobs[0].id");

        JsonPath waiting = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        CaptchaTest.answer(id, daolv.answerFor(CaptchaTest.image(id))).then().statusCode(202);

        JsonPath job = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        Documents.assertExactly(job, List.of(summons, evidence));
        assertEquals(1, daolv.loginAttempts(host, account), "logged in with the SMS's account and password");
        assertNull(JobCredentialsTest.row(id).credentials);
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "SUCCEEDED"), CaptchaTest.outcomes(id));
    }

    /**
     * Captcha rounds are not failed attempts: after three wrong answers and the right fourth, a
     * transient failure (the portal drops the fresh login session) is retried like any other,
     * with the job's credentials kept for the retry, which asks a new captcha and succeeds.
     */
    @Test
    void aTransientFailureAfterSeveralCaptchaRoundsIsStillRetriedWithTheCredentials() {
        String host = DaolvSimulator.JIANGXI_HOST;
        String account = account("360105");
        String password = "Jx#retry9";
        String link = daolv.addAccount(host, account, password);
        SimDoc ruling = new SimDoc("民事裁定书", "pdf", TestPdfs.pdf("daolv e2e transient"));
        daolv.addRecord(host, account, Listing.DONE, "裁定书", ruling);

        String id = submit(link, account, password);
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        for (int round = 1; round <= 3; round++) {
            CaptchaTest.answer(id, CaptchaTest.wrong(daolv.answerFor(CaptchaTest.image(id)))).then().statusCode(202);
            CaptchaTest.awaitWaitingAgain(id, round + 1);
        }
        daolv.dropNextSession();
        CaptchaTest.answer(id, daolv.answerFor(CaptchaTest.image(id))).then().statusCode(202);

        JsonPath retrying = Jobs.awaitStatus(id, WAIT, "RETRY_SCHEDULED", "FAILED", "SUCCEEDED");
        assertEquals("RETRY_SCHEDULED", retrying.getString("status"), retrying.prettify());
        assertEquals("PORTAL_ERROR", retrying.getString("error.code"));
        assertEquals(5, retrying.getInt("attempts"), "four captcha rounds, then the login that lost its session");
        assertNotNull(retrying.getString("nextAttemptAt"));
        assertTrue(retrying.getBoolean("hasCredentials"), "kept for the retry: the job has not ended");
        assertFalse(CaptchaTest.captchaRowExists(id), "the spent portal session is not reused");

        // the retry starts afresh: a new login page, a new captcha for a person
        JsonPath again = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "FAILED", "SUCCEEDED");
        assertEquals("WAITING_FOR_CAPTCHA", again.getString("status"), again.prettify());
        assertEquals(6, again.getInt("attempts"));
        CaptchaTest.answer(id, daolv.answerFor(CaptchaTest.image(id))).then().statusCode(202);

        JsonPath job = Jobs.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        Documents.assertExactly(job, List.of(ruling));
        assertEquals(2, daolv.loginAttempts(host, account));
        assertNull(JobCredentialsTest.row(id).credentials);
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "WAITING_FOR_CAPTCHA", "WAITING_FOR_CAPTCHA",
                "WAITING_FOR_CAPTCHA", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA", "SUCCEEDED"), CaptchaTest.outcomes(id));
    }

    /**
     * A Hubei court's SMS with both of its links, the public SMS one and the account login: two
     * jobs, the first downloads at once, the second after its captcha; each its own documents.
     */
    @Test
    void anSmsWithTwoDeliveryLinksMakesTwoJobsThatBothDownload() {
        String host = DaolvSimulator.HUBEI_HOST;
        String account = account("420103");
        String password = "Hb2026cd";
        String daolvLink = daolv.addAccount(host, account, password);
        SimDoc judgment = new SimDoc("（2026）鄂0103民初2468号民事判决书", "pdf", TestPdfs.pdf("two links daolv"));
        daolv.addRecord(host, account, Listing.TODO, "民事判决书", judgment);
        SimDoc receipt = new SimDoc("送达回证", "pdf", TestPdfs.pdf("two links hubei sms"));
        String smsLink = SimulatorResource.sim().hubeiSms().addMessage(false, receipt);
        String text = "【武汉市江汉区人民法院】王五律师：（2026）鄂0103民初2468号案件文书已送达，请点击" + smsLink
                + "查看，或登录" + daolvLink + "，账号：" + account + "，默认密码：" + password + "。";

        JsonPath sms = given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.links.size()", equalTo(2))
                .body("parsed.links.outcome", equalTo(List.of("JOB_CREATED", "JOB_CREATED")))
                .body("jobs.size()", equalTo(2))
                .extract().jsonPath();
        assertEquals(List.of(smsLink, daolvLink), sms.getList("parsed.links.url"));
        assertEquals(List.of("hubei-sms", "daolv"), sms.getList("parsed.links.portal"));
        String hubeiId = sms.getString("parsed.links[0].jobId");
        String daolvId = sms.getString("parsed.links[1].jobId");
        assertFalse(hubeiId.equals(daolvId));
        assertEquals(List.of(hubeiId, daolvId).stream().sorted().toList(),
                sms.getList("jobs.id", String.class).stream().sorted().toList());

        JsonPath hubeiJob = Jobs.awaitStatus(hubeiId, WAIT, "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
        assertEquals("SUCCEEDED", hubeiJob.getString("status"), hubeiJob.prettify());
        Documents.assertExactly(hubeiJob, List.of(receipt));

        JsonPath daolvJob = answerOnce(daolvId);
        assertEquals("SUCCEEDED", daolvJob.getString("status"), daolvJob.prettify());
        Documents.assertExactly(daolvJob, List.of(judgment));
        assertEquals("（2026）鄂0103民初2468号", daolvJob.getString("caseRef"));
    }

    @Test
    void cancellingAWaitingDaolvJobErasesItsCredentialsAndPortalSession() {
        String host = DaolvSimulator.HUBEI_HOST;
        String account = account("420108");
        String link = daolv.addAccount(host, account, "Hb#cancel1");
        String id = submit(link, account, "Hb#cancel1");
        Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA");
        assertTrue(JobCredentialsTest.row(id).credentials != null, "kept while waiting");

        given().header("Authorization", TestTokens.bearer(TestTokens.admin(TestTokens.DEFAULT_TENANT)))
                .when().post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("hasCredentials", equalTo(false));
        assertNull(JobCredentialsTest.row(id).credentials);
        assertFalse(CaptchaTest.captchaRowExists(id));
        assertEquals(0, daolv.loginAttempts(host, account));
    }

    static String submit(String link, String account, String password) {
        return Jobs.submit(Map.of("url", link, "credentials", Map.of("account", account, "password", password)));
    }

    /** Waits for the captcha, answers it right, and waits for the job to end. */
    static JsonPath answerOnce(String id) {
        JsonPath waiting = Jobs.awaitStatus(id, WAIT, "WAITING_FOR_CAPTCHA", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("WAITING_FOR_CAPTCHA", waiting.getString("status"), waiting.prettify());
        String right = SimulatorResource.sim().daolv().answerFor(CaptchaTest.image(id));
        assertNotNull(right);
        CaptchaTest.answer(id, right).then().statusCode(202);
        return Jobs.awaitStatus(id, WAIT, "FAILED", "SUCCEEDED", "RETRY_SCHEDULED", "WAITING_FOR_CAPTCHA");
    }

    /** FAILED on the attempt after the captcha, not scheduled again, secrets and session gone. */
    static void assertPermanent(JsonPath job, String code) {
        String id = job.getString("id");
        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals(code, job.getString("error.code"), job.prettify());
        assertNull(job.get("nextAttemptAt"), "a permanent failure is not retried");
        assertEquals(2, job.getInt("attempts"), "the captcha's park, then the one that failed");
        assertEquals(List.of("WAITING_FOR_CAPTCHA", "FAILED"), CaptchaTest.outcomes(id));
        assertEquals(0, job.getList("documents").size());
        assertFalse(job.getBoolean("hasCredentials"));
        assertNull(JobCredentialsTest.row(id).credentials);
        assertFalse(CaptchaTest.captchaRowExists(id));
    }
}
