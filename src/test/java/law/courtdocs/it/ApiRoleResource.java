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
        // /q/health on a port of its own, free like the main port, so parallel builds never collide.
        // Both are concrete free ports, never 0: Micrometer tags an HTTP server's meters with
        // server.port only when its port is above 0, and one server with the tag beside one
        // without fails Prometheus registration and hangs the start. The main port would be 0
        // for the first packaged-jar test and a concrete one (the last test port) for the next.
        int[] ports = twoFreePorts();
        config.put("quarkus.http.port", String.valueOf(ports[0]));
        config.put("quarkus.management.port", String.valueOf(ports[1]));
        return config;
    }

    /**
     * Both sockets are held open together: asked one after the other, the OS may hand out the same
     * port twice, and the jar then serves the API and /q on one port whose router answers the API
     * paths 404 (seen in a CI run).
     */
    private static int[] twoFreePorts() {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        try (java.net.ServerSocket a = new java.net.ServerSocket(0, 1, loopback);
                java.net.ServerSocket b = new java.net.ServerSocket(0, 1, loopback)) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void stop() {
        simulator.stop();
    }
}
