package law.courtdocs.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
        return config;
    }

    @Override
    public void stop() {
        simulator.stop();
    }
}
