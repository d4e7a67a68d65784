package law.courtdocs.e2e;

import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import law.courtdocs.sim.PortalSimulator;

/**
 * Starts the portal simulator for a {@code @QuarkusTest} and makes it the service's outbound
 * proxy, so the worker opens real-shaped portal links that all land on the simulator. Also
 * empties the test jobs queue: messages left by an earlier, aborted run name jobs that the
 * freshly cleaned schema no longer has.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    private static PortalSimulator sim;

    public static PortalSimulator sim() {
        return sim;
    }

    @Override
    public Map<String, String> start() {
        try {
            sim = PortalSimulator.start(0);
            purge("court.test" + suffix() + ".jobs");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the portal simulator", e);
        }
        return Map.of("court.http-proxy", sim.proxyUrl(), "courtdocs.test-suffix", suffix());
    }

    /** See {@code courtdocs.test-suffix} in application.properties. */
    public static String suffix() {
        return System.getProperty("courtdocs.test-suffix", "");
    }

    private static void purge(String queue) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.queuePurge(queue);
        } catch (Exception notThereYet) {
            // first run on this broker: nothing to purge
        }
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
        }
    }
}
