package law.courtdocs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import law.courtdocs.sim.JysdSimulator;
import law.courtdocs.sim.SimDoc;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;

/**
 * jysd through the whole service: REST with phones as credentials → outbox → RabbitMQ → worker →
 * Chromium → simulator (delivery page + sifayun iframe) via the outbound proxy → PostgreSQL → REST.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class JysdDownloadTest {

    static final String RIGHT = "13812341234";
    static final String WRONG = "13900005678";
    static final String OTHER_WRONG = "15000009999";

    @Test
    void aWrongPhoneThenTheRightOneDownloadsEveryRowWithChineseNames() {
        List<SimDoc> docs = List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("e2e jysd judgment")),
                new SimDoc("（2026）浙0106民初1234号传票", "pdf", TestPdfs.pdf("e2e jysd summons")));
        String link = SimulatorResource.sim().jysd().addDeliveryWithCheckDialog(docs, RIGHT);

        try (AppLog log = AppLog.start()) {
            String id = Jobs.submit(Map.of("url", link, "caseRef", JysdSimulator.CASE_NUMBER,
                    "credentials", Map.of("phones", List.of(WRONG, RIGHT))));
            JsonPath job = Jobs.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "RETRY_SCHEDULED");

            assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
            assertEquals("jysd", job.getString("portal"));
            assertFalse(job.getBoolean("hasCredentials"), "erased when the job succeeded");
            assertEquals(List.of(WRONG, RIGHT), SimulatorResource.sim().jysd().loginPhones(link));
            Documents.assertExactly(job, docs);
            log.assertFree(WRONG, RIGHT, link.substring(link.indexOf("key=") + 4));
        }
    }

    @Test
    void noAcceptedPhoneFailsAtOnceWithLoginFailed() {
        String link = SimulatorResource.sim().jysd()
                .addDelivery(List.of(new SimDoc("传票", "pdf", TestPdfs.pdf("e2e jysd x"))), RIGHT);
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("phones", List.of(WRONG, OTHER_WRONG))));
        Documents.assertFailedAtOnce(Jobs.awaitStatus(id, Duration.ofSeconds(120), "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED"), "LOGIN_FAILED");
        assertEquals(List.of(WRONG, OTHER_WRONG), SimulatorResource.sim().jysd().loginPhones(link));
    }

    @Test
    void anExpiredLinkFailsAtOnceWithLinkExpired() {
        String link = SimulatorResource.sim().jysd().expiredLink();
        String id = Jobs.submit(Map.of("url", link, "credentials", Map.of("phones", List.of(RIGHT))));
        Documents.assertFailedAtOnce(Jobs.awaitStatus(id, Duration.ofSeconds(120), "FAILED", "SUCCEEDED",
                "RETRY_SCHEDULED"), "LINK_EXPIRED");
        assertEquals(List.of(), SimulatorResource.sim().jysd().loginPhones(link));
    }
}
