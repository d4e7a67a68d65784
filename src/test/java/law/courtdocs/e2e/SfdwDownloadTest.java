package law.courtdocs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import law.courtdocs.sim.SfdwSimulator.Instance;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * sfdw through the whole service: code and phones as credentials, the page's own Vue state and
 * download function in Chromium, both instances (Chengdu by name, Guangxi by IP and port).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class SfdwDownloadTest {

    static final String CODE = "5T8q2W";
    static final String PHONE = "13812345678";
    static final String TAIL = "345678";

    @Test
    void aWrongCodeThenThePhoneTailOpensTheGuangxiDeliveryAndDownloadsEverything() {
        List<SimDoc> docs = List.of(
                new SimDoc("民事裁定书", "pdf", TestPdfs.pdf("e2e sfdw ruling")),
                new SimDoc("（2026）桂0103民初321号举证通知书", "pdf", TestPdfs.pdf("e2e sfdw evidence")));
        String link = SimulatorResource.sim().sfdw().addDelivery(Instance.GUANGXI, docs, TAIL);

        try (AppLog log = AppLog.start()) {
            String id = Jobs.submit(Map.of("url", link,
                    "credentials", Map.of("code", "9999", "phones", List.of(PHONE))));
            JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

            assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
            assertEquals("sfdw", job.getString("portal"));
            assertFalse(job.getBoolean("hasCredentials"));
            assertEquals(List.of("9999", TAIL), SimulatorResource.sim().sfdw().codesTried(link));
            Documents.assertExactly(job, docs);
            log.assertFree(PHONE, TAIL, link.substring(link.lastIndexOf('/') + 1));
        }
    }

    @Test
    void theSmsCodeOpensTheChengduDelivery() {
        List<SimDoc> docs = List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("e2e sfdw summons")));
        String link = SimulatorResource.sim().sfdw().addDelivery(Instance.CHENGDU, docs, CODE);
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("code", CODE)));
        JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        Documents.assertExactly(job, docs);
    }

    @Test
    void everyCandidateWrongFailsAtOnceWithLoginFailed() {
        String link = SimulatorResource.sim().sfdw()
                .addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("e2e sfdw x"))), CODE);
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("code", "0000", "phones", List.of(PHONE))));
        Documents.assertFailedAtOnce(Jobs.awaitStatus(id, Duration.ofSeconds(120), "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED"), "LOGIN_FAILED");
        assertEquals(List.of("0000", TAIL), SimulatorResource.sim().sfdw().codesTried(link));
    }

    @Test
    void anExpiredLinkFailsAtOnceWithLinkExpired() {
        String link = SimulatorResource.sim().sfdw().expiredLink();
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("code", CODE)));
        Documents.assertFailedAtOnce(Jobs.awaitStatus(id, Duration.ofSeconds(120), "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED"), "LINK_EXPIRED");
    }
}
