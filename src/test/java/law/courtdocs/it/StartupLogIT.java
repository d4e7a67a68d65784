package law.courtdocs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A first start as a newcomer sees it: the packaged jar in the production profile (JSON log
 * lines) and in the dev profile (what {@code ./mvnw quarkus:dev} reads) starts, serves, and stops
 * without one ERROR line, without an unknown setting and without looking for Docker.
 *
 * <p>Only the resources are the test's own (schema, queues, ports), so neither run touches a
 * developer's dev schema or a deployment's queues.
 */
class StartupLogIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    static final Duration START_LIMIT = Duration.ofSeconds(90);

    /** A plain line's level is its third word; a JSON line says {@code "level":"ERROR"}. */
    static final Pattern ERROR_LINE = Pattern.compile("^\\S+ \\S+ ERROR |\"level\":\"(ERROR|FATAL)\"");

    @ParameterizedTest
    @ValueSource(strings = {"prod", "dev"})
    void startsWithoutAnErrorOrAnUnknownSetting(String profile) throws Exception {
        String name = "courtdocs_test" + SimulatorResource.suffix() + "_startup_" + profile;
        Path log = Files.createTempFile("startup-" + profile, ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=" + profile,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=" + name,
                "-Dquarkus.flyway.schemas=" + name,
                "-Dcourt.queue.exchange=" + name.replace('_', '.') + ".jobs",
                "-Dcourt.queue.jobs=" + name.replace('_', '.') + ".jobs",
                "-Dcourt.queue.dead-letter=" + name.replace('_', '.') + ".jobs.dead",
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                // production reads the identity provider's key from a file it is given; dev's
                // default is relative to a source checkout, which the test runs in as well
                "-Dmp.jwt.verify.publickey.location=file:"
                        + Path.of("src/test/resources/auth/TEST-ONLY-jwt-public-key.pem").toAbsolutePath(),
                "-Dmp.jwt.verify.issuer=https://court-docs.invalid/test-issuer",
                "-jar", JAR.toString()));
        Process jar = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitStarted(jar, log);
        } finally {
            jar.destroy();
            if (!jar.waitFor(30, TimeUnit.SECONDS)) {
                jar.destroyForcibly();
            }
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> bad = lines.stream()
                .filter(l -> ERROR_LINE.matcher(l).find() || l.contains("Unrecognized configuration key")
                        || l.contains("Docker"))
                // A scheduled pass handed to an executor just before the stop may start after the
                // container is gone, when the machine is loaded; Quarkus tags what fails then. Seen
                // in CI on 2026-12-07 (CaptchaReaper, RetryScheduler, LeaseReaper): noise of the
                // stop, not of the start this test guards.
                .filter(l -> !l.contains("[Error Occurred After Shutdown]"))
                .toList();
        assertEquals(List.of(), bad, "the " + profile + " start logged what a newcomer takes for a broken install");
        assertTrue(lines.stream().anyMatch(l -> l.contains("Profile " + profile + " activated")),
                "the log is the " + profile + " profile's: " + log);
        if (profile.equals("prod")) {
            assertTrue(lines.stream().filter(l -> l.contains("started in")).allMatch(l -> l.startsWith("{")),
                    "production logs one JSON object per line");
        }
    }

    static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^\\s\"]+?:(\\d+)");

    /** Until the start is logged and readiness answers UP: a person would now use it, then stop it. */
    private static void awaitStarted(Process jar, Path log) throws IOException, InterruptedException {
        Instant limit = Instant.now().plus(START_LIMIT);
        HttpClient http = HttpClient.newHttpClient();
        while (Instant.now().isBefore(limit)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Matcher management = MANAGEMENT.matcher(text);
            if (text.contains("started in") && management.find()
                    && ready(http, "http://127.0.0.1:" + management.group(1))) {
                return;
            }
            if (!jar.isAlive()) {
                throw new AssertionError("the jar exited with " + jar.exitValue() + " before it started:\n" + text);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the jar did not start within " + START_LIMIT + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static boolean ready(HttpClient http, String base) throws InterruptedException {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
