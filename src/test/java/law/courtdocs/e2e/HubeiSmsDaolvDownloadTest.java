package law.courtdocs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * The daolv platform's two modes through the whole service, over the worker's guarded HTTP client
 * (no browser), where no captcha is answered: a Hubei SMS link the portal opens without one, and
 * a daolv link that fails before its captcha because the job brought no account. The captcha
 * rounds answered through the API are covered by {@link DaolvAccountDownloadTest} (daolv account
 * mode, which always asks one before its login) and {@link CaptchaTest} (Hubei SMS links that ask).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class HubeiSmsDaolvDownloadTest {

    @Test
    void aHubeiSmsLinkWithoutCaptchaDownloadsEveryDocumentWithChineseNames() {
        SimDoc judgment = new SimDoc("（2026）鄂0102民初88号民事判决书", "pdf", TestPdfs.pdf("e2e hubei judgment"));
        SimDoc notice = new SimDoc("送达回证", "pdf", TestPdfs.pdf("e2e hubei receipt"));
        String link = SimulatorResource.sim().hubeiSms().addMessage(false, judgment, notice);

        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("hubei-sms", job.getString("portal"));
        Documents.assertExactly(job, List.of(judgment, notice));
        assertEquals(2, SimulatorResource.sim().hubeiSms().downloads(link));
        assertEquals(0, SimulatorResource.sim().hubeiSms().captchasIssued(), "no captcha was asked");
    }

    @Test
    void anExpiredHubeiSmsFailsAtOnceWithLinkExpired() {
        String id = Jobs.submit(SimulatorResource.sim().hubeiSms().expiredMessage());
        Documents.assertFailedAtOnce(Jobs.awaitStatus(id, Duration.ofSeconds(90), "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED"), "LINK_EXPIRED");
    }

    @Test
    void aDaolvLinkWithoutAccountAndPasswordFailsAtOnceWithLoginFailedBeforeAnyCaptcha() {
        String link = SimulatorResource.sim().daolv().addAccount("sfsd.jxfy.gov.cn", "360102202611300009", "Jx#4455");
        String id = Jobs.submit(link);
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(90), "FAILED", "SUCCEEDED", "RETRY_SCHEDULED");
        Documents.assertFailedAtOnce(job, "LOGIN_FAILED");
        assertTrue(job.getString("error.message").contains("account"), job.getString("error.message"));
    }
}
