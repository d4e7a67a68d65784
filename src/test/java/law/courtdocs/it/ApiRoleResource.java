package law.courtdocs.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import law.courtdocs.e2e.SimulatorResource;

/**
 * For the packaged-jar tests: the jar under test runs as the {@code api} role only, with the
 * portal simulator as outbound proxy (which an api process never uses: that is the point).
 */
public class ApiRoleResource implements QuarkusTestResourceLifecycleManager {

    private final SimulatorResource simulator = new SimulatorResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(simulator.start());
        config.put("court.role", "api");
        // The packaged jar does not contain the test resources: point it at the TEST key's file.
        config.put("mp.jwt.verify.publickey.location",
                "file:" + Path.of("src/test/resources/auth/TEST-ONLY-jwt-public-key.pem").toAbsolutePath());
        // /q/health on a port of its own, random like the main test port, so parallel builds never collide.
        config.put("quarkus.management.port", "0");
        return config;
    }

    @Override
    public void stop() {
        simulator.stop();
    }
}
