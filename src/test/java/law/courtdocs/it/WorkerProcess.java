package law.courtdocs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import law.courtdocs.e2e.SimulatorResource;

/**
 * The packaged jar as a separate {@code worker} process beside the api that Quarkus started for
 * a packaged-jar test: same schema and queues (the test suffix), portals through the simulator.
 */
final class WorkerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    final Process process;
    final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start() throws IOException {
        Path log = Files.createTempFile("worker", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=test",
                // the api process already cleaned and migrated the schema: never clean it again
                "-Dquarkus.flyway.clean-at-start=false",
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dcourtdocs.test-suffix=" + SimulatorResource.suffix(), "-jar", JAR.toString());
        pb.environment().put("COURT_ROLE", "worker");
        pb.environment().put("COURT_HTTP_PROXY", SimulatorResource.sim().proxyUrl());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new WorkerProcess(pb.start(), log);
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(worker log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
