package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import law.courtdocs.browser.BrowserLauncher;
import law.courtdocs.sim.PortalSimulator;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke test of the shared adapter test rig: real Chromium through the simulator proxy. */
class BrowserThroughSimulatorTest {

    static PortalSimulator sim;
    static BrowserLauncher.Launched browser;

    @BeforeAll
    static void start() throws Exception {
        sim = PortalSimulator.start(0);
        browser = TestSession.launchBrowser(sim.proxyUrl());
    }

    @AfterAll
    static void stop() {
        browser.close();
        sim.close();
    }

    @Test
    void chromiumReachesRealHostNamesThroughTheSimulator() throws Exception {
        byte[] pdf = TestPdfs.pdf("rig");
        String link = sim.direct().addPdf(pdf);
        try (TestSession session = new TestSession(link, browser, sim.port())) {
            var response = session.browser().request().get(link);
            assertEquals(200, response.status());
            assertArrayEquals(pdf, response.body());
        }
    }
}
