package law.courtdocs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks the deployment files (docker/, k8s/, .ci/run) for the properties the service relies on:
 * plain file parsing, no Quarkus, no Docker and no cluster needed.
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path K8S = ROOT.resolve("k8s");

    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    /** quarkus.management.port: /q/health and /q/metrics live there, not on the API port 8080. */
    static final int MANAGEMENT_PORT = 9000;

    /** What a committed secret value may be: an obvious placeholder, never a real credential. */
    static final Pattern PLACEHOLDER = Pattern.compile("(?i)change[-_]?me");

    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return str(body.get("kind"));
        }

        String name() {
            return str(at(body, "metadata", "name"));
        }
    }

    // ------------------------------------------------------------------ YAML in general

    @Test
    void everyYamlFileParsesAndK8sObjectsAreNamespaceAgnostic() throws IOException {
        List<Path> dockerYaml = yamlFiles(DOCKER);
        List<Path> k8sYaml = yamlFiles(K8S);
        assertFalse(dockerYaml.isEmpty(), "no YAML under docker/");
        assertFalse(k8sYaml.isEmpty(), "no YAML under k8s/");
        for (Path f : dockerYaml) {
            assertFalse(load(f).isEmpty(), f + " has no document");
        }
        for (Doc d : k8sDocs()) {
            assertNotNull(d.body().get("apiVersion"), d.file() + ": apiVersion missing");
            assertNotNull(d.kind(), d.file() + ": kind missing");
            if (!d.kind().equals("Kustomization")) {
                assertNotNull(d.name(), d.file() + ": metadata.name missing");
                assertNull(at(d.body(), "metadata", "namespace"),
                        d.file() + ": manifests must not pin a namespace");
            }
        }
    }

    // ------------------------------------------------------------------ Kubernetes

    @Test
    void everyDeploymentContainerProbesLiveAndReadyOnADeclaredPort() throws IOException {
        List<Doc> deployments = ofKind("Deployment");
        assertTrue(deployments.size() >= 2, "expected the api and worker Deployments");
        for (Doc d : deployments) {
            Map<String, Object> spec = map(d.body().get("spec"));
            Map<String, Object> selector = map(at(spec, "selector", "matchLabels"));
            Map<String, Object> podLabels = map(at(spec, "template", "metadata", "labels"));
            assertFalse(selector.isEmpty(), d.name() + ": empty selector");
            assertTrue(podLabels.entrySet().containsAll(selector.entrySet()),
                    d.name() + ": selector " + selector + " does not match pod labels " + podLabels);

            List<Map<String, Object>> containers = containers(d);
            assertFalse(containers.isEmpty(), d.name() + ": no containers");
            for (Map<String, Object> c : containers) {
                String where = d.name() + "/" + c.get("name");
                assertEquals(LIVE, at(c, "livenessProbe", "httpGet", "path"), where + ": liveness path");
                assertEquals(READY, at(c, "readinessProbe", "httpGet", "path"), where + ": readiness path");

                // Every HTTP probe must hit a port the container declares, all of them the same
                // one, and that one the management interface's.
                Set<Object> probePorts = new HashSet<>();
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    Object port = at(c, probe, "httpGet", "port");
                    if (at(c, probe) == null) {
                        continue;
                    }
                    assertNotNull(port, where + ": " + probe + " has no httpGet port");
                    assertTrue(declaresPort(c, port), where + ": " + probe + " port " + port + " is not declared");
                    probePorts.add(port);
                }
                assertEquals(1, probePorts.size(), where + ": probes use different ports " + probePorts);
                Object probePort = probePorts.iterator().next();
                assertEquals(MANAGEMENT_PORT, containerPort(c, probePort),
                        where + ": probes must hit the management port " + MANAGEMENT_PORT + ", not " + probePort);
            }
        }
    }

    @Test
    void eachDeploymentSetsItsRole() throws IOException {
        Doc api = deploymentWithRole("api");
        Doc worker = deploymentWithRole("worker");
        assertEquals("court-docs-api", api.name());
        assertEquals("court-docs-worker", worker.name());
        // The shared ConfigMap must not set the role, or it would fight the Deployments' env.
        for (Doc cm : ofKind("ConfigMap")) {
            assertFalse(map(cm.body().get("data")).containsKey("COURT_ROLE"), cm.file() + " sets COURT_ROLE");
        }
    }

    @Test
    void workerOutlivesItsJobTimeoutAndHasRoomForChromium() throws IOException {
        Doc worker = deploymentWithRole("worker");
        Map<String, Object> pod = map(at(worker.body(), "spec", "template", "spec"));

        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
        assertTrue(grace > 600, "terminationGracePeriodSeconds " + grace + " must exceed the 10 min job timeout");
        String timeout = configValue("COURT_WORKER_JOB_TIMEOUT").orElse("10m");
        assertTrue(grace > duration(timeout).toSeconds(),
                "terminationGracePeriodSeconds " + grace + " must exceed COURT_WORKER_JOB_TIMEOUT " + timeout);
        assertEquals(2, ((Number) at(worker.body(), "spec", "replicas")).intValue(), "worker replicas");

        Map<String, Object> c = containers(worker).get(0);
        Object memLimit = at(c, "resources", "limits", "memory");
        assertNotNull(memLimit, "worker needs a memory limit");
        assertTrue(bytes(str(memLimit)) >= bytes("1Gi"), "worker memory limit " + memLimit + " too small for Chromium");
        assertNotNull(at(c, "resources", "requests", "memory"), "worker needs a memory request");

        // /dev/shm must be a memory-backed emptyDir.
        String shmVolume = list(c.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                .filter(m -> "/dev/shm".equals(m.get("mountPath"))).map(m -> str(m.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("worker does not mount /dev/shm"));
        Map<String, Object> volume = list(pod.get("volumes")).stream().map(DeploymentFilesTest::map)
                .filter(v -> shmVolume.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + shmVolume));
        assertEquals("Memory", at(volume, "emptyDir", "medium"), "/dev/shm must be emptyDir medium Memory");

        for (Doc d : ofKind("Deployment")) {
            assertTrue(runsAsNonRoot(d), d.name() + " must set runAsNonRoot: true");
        }
    }

    /** Issue 19's cluster operations; the schemas themselves are checked by k8s/validate in .ci/run. */
    @Test
    void podsRunReadOnlyAndTheClusterScalesGuardsAndAlerts() throws IOException {
        for (Doc d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"), d.name() + " read-only root");
                assertEquals(List.of("ALL"), at(c, "securityContext", "capabilities", "drop"), d.name() + " capabilities");
                assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), d.name());
                assertTrue(list(c.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                        .anyMatch(m -> "/tmp".equals(m.get("mountPath"))), d.name() + " needs a writable /tmp");
            }
        }
        Doc worker = deploymentWithRole("worker");
        Doc scaled = ofKind("ScaledObject").get(0);
        assertEquals(worker.name(), at(scaled.body(), "spec", "scaleTargetRef", "name"), "KEDA scales the worker");
        Map<String, Object> trigger = map(list(at(scaled.body(), "spec", "triggers")).get(0));
        assertEquals("rabbitmq", trigger.get("type"));
        assertEquals("court.jobs", at(trigger, "metadata", "queueName"), "the jobs queue's default name");
        assertTrue(((Number) at(scaled.body(), "spec", "cooldownPeriod")).intValue() > 600,
                "cooldown longer than the job timeout");
        Doc hpa = ofKind("HorizontalPodAutoscaler").get(0);
        assertEquals(deploymentWithRole("api").name(), at(hpa.body(), "spec", "scaleTargetRef", "name"));
        Set<Object> guarded = ofKind("PodDisruptionBudget").stream()
                .map(d -> at(d.body(), "spec", "selector", "matchLabels", "app.kubernetes.io/component"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("api", "worker"), guarded, "a PodDisruptionBudget per component");
        Doc policy = ofKind("NetworkPolicy").get(0);
        assertEquals("worker", at(policy.body(), "spec", "podSelector", "matchLabels", "app.kubernetes.io/component"));
        assertTrue(list(at(policy.body(), "spec", "policyTypes")).contains("Egress"));
        assertFalse(ofKind("ServiceMonitor").isEmpty());
        Doc metrics = ofKind("Service").stream()
                .filter(d -> "metrics".equals(at(d.body(), "metadata", "labels", "app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError("no metrics Service for the ServiceMonitor"));
        assertEquals("None", at(metrics.body(), "spec", "clusterIP"), "the metrics Service is headless");
        String rules = ofKind("PrometheusRule").get(0).body().toString();
        for (String alert : List.of("CourtOldestQueuedJobTooOld", "CourtCaptchaWaiting", "CourtPortalFailureRate",
                "CourtOutboxBacklog")) {
            assertTrue(rules.contains(alert), "alert " + alert);
        }
        assertTrue(Files.readString(K8S.resolve("grafana-dashboard.json")).contains("court_attempt_seconds_bucket"));
    }

    @Test
    void referencedConfigMapsAndSecretsAreDefinedHere() throws IOException {
        Set<String> configMaps = ofKind("ConfigMap").stream().map(Doc::name).collect(Collectors.toSet());
        Set<String> secrets = ofKind("Secret").stream().map(Doc::name).collect(Collectors.toSet());
        for (Doc d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                for (Object from : list(c.get("envFrom"))) {
                    Object cm = at(map(from), "configMapRef", "name");
                    Object secret = at(map(from), "secretRef", "name");
                    if (cm != null) {
                        assertTrue(configMaps.contains(cm), d.name() + " uses unknown ConfigMap " + cm);
                    }
                    if (secret != null) {
                        assertTrue(secrets.contains(secret), d.name() + " uses Secret " + secret
                                + " with no example in k8s/");
                    }
                }
            }
        }
    }

    @Test
    void apiServiceSelectsApiPodsOnANamedPort() throws IOException {
        Doc api = deploymentWithRole("api");
        Map<String, Object> podLabels = map(at(api.body(), "spec", "template", "metadata", "labels"));
        // besides it only the headless metrics Service, which no Ingress or client uses
        List<Doc> services = ofKind("Service").stream()
                .filter(d -> !"metrics".equals(at(d.body(), "metadata", "labels", "app.kubernetes.io/component")))
                .toList();
        assertEquals(1, services.size(), "expected exactly the api Service");
        Doc svc = services.get(0);
        Map<String, Object> selector = map(at(svc.body(), "spec", "selector"));
        assertFalse(selector.isEmpty(), "Service without selector");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "Service selector misses the api pods");
        for (Object p : list(at(svc.body(), "spec", "ports"))) {
            Object target = map(p).get("targetPort");
            assertTrue(declaresPort(containers(api).get(0), target), "Service targetPort " + target + " not declared");
            // health and metrics need no token: they must not be reachable through the Service
            assertNotEquals(MANAGEMENT_PORT, containerPort(containers(api).get(0), target),
                    "the Service exposes the management port");
        }
    }

    @Test
    void kustomizationListsExistingFilesButNeverTheExampleSecret() throws IOException {
        Path k = K8S.resolve("kustomization.yaml");
        if (!Files.exists(k)) {
            return; // optional
        }
        List<Object> resources = list(map(load(k).get(0)).get("resources"));
        assertFalse(resources.isEmpty(), "kustomization without resources");
        for (Object r : resources) {
            assertTrue(Files.isRegularFile(K8S.resolve(str(r))), "kustomization lists missing " + r);
            assertFalse(str(r).contains("secret"), "kustomization must not apply " + r);
        }
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void theSecretsKeyComesFromTheSecretAndComposeFallsBackToTheTestKeyOnly() throws IOException {
        Doc secret = ofKind("Secret").stream().findFirst().orElseThrow();
        assertTrue(map(secret.body().get("stringData")).containsKey("COURT_SECRETS_KEY"),
                "the example Secret names COURT_SECRETS_KEY");
        for (String svc : List.of("api", "worker")) {
            String key = environment(composeServices().get(svc)).get("COURT_SECRETS_KEY");
            assertTrue(key != null && key.startsWith("${COURT_SECRETS_KEY:-"),
                    "compose " + svc + ": COURT_SECRETS_KEY overridable from the shell, is " + key);
        }
    }


    @Test
    void committedSecretsHoldOnlyPlaceholders() throws IOException {
        List<Doc> secrets = new ArrayList<>();
        for (Path dir : List.of(DOCKER, K8S)) {
            for (Path f : yamlFiles(dir)) {
                for (Object o : load(f)) {
                    if (o instanceof Map<?, ?> m && "Secret".equals(m.get("kind"))) {
                        secrets.add(new Doc(f, map(o)));
                    }
                }
            }
        }
        assertFalse(secrets.isEmpty(), "expected k8s/secret.example.yaml");
        for (Doc s : secrets) {
            assertTrue(s.file().getFileName().toString().contains("example"),
                    s.file() + ": a committed Secret must be an example file");
            Map<String, String> values = new LinkedHashMap<>();
            map(s.body().get("stringData")).forEach((k, v) -> values.put(k, str(v)));
            map(s.body().get("data")).forEach((k, v) -> values.put(k,
                    new String(Base64.getDecoder().decode(str(v)), StandardCharsets.UTF_8)));
            assertFalse(values.isEmpty(), s.file() + ": Secret without keys");
            values.forEach((k, v) -> assertTrue(PLACEHOLDER.matcher(v).find(),
                    s.file() + ": " + k + " is not a placeholder"));
        }

        // compose: every password is a placeholder default that the shell can override.
        for (Map.Entry<String, Map<String, Object>> svc : composeServices().entrySet()) {
            environment(svc.getValue()).forEach((k, v) -> {
                if (k.contains("PASSWORD") || k.endsWith("_PASS")) {
                    assertTrue(PLACEHOLDER.matcher(v).find(),
                            "compose " + svc.getKey() + ": " + k + " must be a placeholder, is " + v);
                }
            });
        }
    }

    // ------------------------------------------------------------------ compose

    @Test
    void composeRunsTheWholeStackWithHealthGatedStartup() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        assertTrue(services.keySet().containsAll(List.of("postgres", "rabbitmq", "api", "worker")),
                "compose services: " + services.keySet());
        assertTrue(str(services.get("postgres").get("image")).startsWith("postgres:15"));
        assertTrue(str(services.get("rabbitmq").get("image")).startsWith("rabbitmq:3.10-management"));
        for (String infra : List.of("postgres", "rabbitmq")) {
            assertNotNull(services.get(infra).get("healthcheck"), infra + " needs a healthcheck");
        }

        for (String role : List.of("api", "worker")) {
            Map<String, Object> svc = services.get(role);
            assertEquals(role, environment(svc).get("COURT_ROLE"), "compose " + role + " COURT_ROLE");
            Map<String, Object> deps = map(svc.get("depends_on"));
            for (String infra : List.of("postgres", "rabbitmq")) {
                assertEquals("service_healthy", at(deps, infra, "condition"),
                        role + " must wait for a healthy " + infra);
            }
            String check = String.valueOf(at(svc, "healthcheck", "test"));
            assertTrue(check.contains(READY), role + " healthcheck must probe " + READY);
            String port = check.contains("HEALTH_PORT") ? environment(svc).get("HEALTH_PORT") : check;
            assertTrue(port != null && port.contains(String.valueOf(MANAGEMENT_PORT)),
                    role + " healthcheck must probe the management port " + MANAGEMENT_PORT + ": " + check);
            assertFalse(list(svc.get("ports")).stream().map(String::valueOf)
                    .anyMatch(p -> p.contains(":" + MANAGEMENT_PORT)), role + " must not publish the management port");
            Path context = DOCKER.resolve(str(at(svc, "build", "context"))).normalize();
            Path dockerfile = context.resolve(str(at(svc, "build", "dockerfile")));
            assertTrue(Files.isRegularFile(dockerfile), role + " builds from missing " + dockerfile);
        }

        Map<String, Object> worker = services.get("worker");
        assertEquals(Boolean.TRUE, worker.get("init"), "worker needs init: true to reap Chromium zombies");
        assertNotNull(worker.get("shm_size"), "worker needs shm_size for Chromium");
        Object stop = worker.get("stop_grace_period");
        assertNotNull(stop, "worker needs a stop_grace_period above the job timeout");
        assertTrue(duration(str(stop)).toSeconds() > 600, "worker stop_grace_period " + stop);
    }

    // ------------------------------------------------------------------ Dockerfiles

    @Test
    void bothImagesBuildTheFastJarAndRunItAsNonRoot() throws IOException {
        for (String role : List.of("api", "worker")) {
            Path f = DOCKER.resolve(role + ".Dockerfile");
            assertTrue(Files.isRegularFile(f), f + " missing");
            List<String[]> ins = dockerInstructions(f);
            List<String> froms = args(ins, "FROM");
            assertTrue(froms.size() >= 2, role + ": expected a multi-stage build");
            assertTrue(froms.get(0).matches("eclipse-temurin:17-jdk\\S* (?i:as) \\S+"),
                    role + ": build stage is " + froms.get(0));
            assertTrue(args(ins, "RUN").stream().anyMatch(r -> r.contains("./mvnw -B package")),
                    role + ": no ./mvnw -B package");
            String runtime = froms.get(froms.size() - 1);
            assertTrue(role.equals("api") ? runtime.startsWith("eclipse-temurin:17-jre")
                    : runtime.startsWith("debian:bookworm"), role + ": runtime base " + runtime);

            List<String> users = args(ins, "USER");
            assertFalse(users.isEmpty(), role + ": no USER");
            String uid = users.get(users.size() - 1).split(":")[0];
            assertTrue(uid.matches("\\d+") && Integer.parseInt(uid) > 0,
                    role + ": USER must be a numeric non-root uid (runAsNonRoot), is " + uid);

            String env = String.join(" ", args(ins, "ENV"));
            assertTrue(env.contains("-XX:MaxRAMPercentage="), role + ": JAVA_OPTS without MaxRAMPercentage");
            assertTrue(env.contains("COURT_ROLE=" + role), role + ": image must default COURT_ROLE=" + role);
            List<String> entry = args(ins, "ENTRYPOINT");
            assertEquals(1, entry.size(), role + ": one ENTRYPOINT");
            assertTrue(entry.get(0).contains("quarkus-run.jar") && entry.get(0).contains("$JAVA_OPTS"),
                    role + ": ENTRYPOINT must run quarkus-run.jar with $JAVA_OPTS");
        }
    }

    @Test
    void workerImageHasChromiumCjkFontsAndTini() throws IOException {
        List<String[]> ins = dockerInstructions(DOCKER.resolve("worker.Dockerfile"));
        String install = args(ins, "RUN").stream().filter(r -> r.contains("apt-get install")).findFirst()
                .orElseThrow(() -> new AssertionError("worker image installs nothing with apt-get"));
        List<String> words = List.of(install.split("\\s+"));
        for (String pkg : List.of("chromium", "fonts-noto-cjk", "tini", "--no-install-recommends")) {
            assertTrue(words.contains(pkg), "worker apt-get install lacks " + pkg);
        }
        String entry = args(ins, "ENTRYPOINT").get(0);
        assertTrue(entry.matches("\\[\\s*\"(/usr/bin/)?tini\".*"), "worker ENTRYPOINT must start with tini: " + entry);
        String env = String.join(" ", args(ins, "ENV"));
        assertTrue(env.contains("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"), "worker must skip Playwright's browser download");
    }

    @Test
    void dockerignoreKeepsBuildOutputAndGitOutOfTheContext() throws IOException {
        Path f = ROOT.resolve(".dockerignore");
        assertTrue(Files.isRegularFile(f), ".dockerignore missing");
        List<String> lines = Files.readAllLines(f).stream().map(String::trim).toList();
        assertTrue(lines.contains("target/") || lines.contains("target"), ".dockerignore must exclude target/");
        assertTrue(lines.contains(".git"), ".dockerignore must exclude .git");
    }

    @Test
    void ciScriptIsStrictAndRunsTheTestCommand() throws IOException {
        Path f = ROOT.resolve(".ci/run");
        assertTrue(Files.isRegularFile(f), ".ci/run missing");
        assertTrue(Files.isExecutable(f), ".ci/run must be executable");
        String text = Files.readString(f);
        assertTrue(text.startsWith("#!/usr/bin/env bash") || text.startsWith("#!/bin/bash"), ".ci/run shebang");
        assertTrue(text.contains("set -euo pipefail"), ".ci/run must set -euo pipefail");
        assertTrue(text.contains("./mvnw -B verify"), ".ci/run must run ./mvnw -B verify");
    }

    // ------------------------------------------------------------------ helpers

    static List<Path> yamlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("node_modules")) // k8s/validate's npm packages
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }

    /** Every non-empty document of a (possibly multi-document) YAML file. */
    static List<Object> load(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object o : yaml.loadAll(r)) {
                if (o != null) {
                    docs.add(o);
                }
            }
        } catch (RuntimeException e) {
            fail(file + " is not valid YAML: " + e.getMessage());
        }
        return docs;
    }

    static List<Doc> k8sDocs() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Path f : yamlFiles(K8S)) {
            for (Object o : load(f)) {
                assertTrue(o instanceof Map, f + ": document is not a mapping");
                docs.add(new Doc(f, map(o)));
            }
        }
        return docs;
    }

    static List<Doc> ofKind(String kind) throws IOException {
        return k8sDocs().stream().filter(d -> kind.equals(d.kind())).toList();
    }

    static List<Map<String, Object>> containers(Doc deployment) {
        return list(at(deployment.body(), "spec", "template", "spec", "containers")).stream()
                .map(DeploymentFilesTest::map).toList();
    }

    /** COURT_ROLE as set by a container's env list. */
    static Optional<String> role(Map<String, Object> container) {
        return list(container.get("env")).stream().map(DeploymentFilesTest::map)
                .filter(e -> "COURT_ROLE".equals(e.get("name"))).map(e -> str(e.get("value"))).findFirst();
    }

    static Doc deploymentWithRole(String role) throws IOException {
        List<Doc> found = new ArrayList<>();
        for (Doc d : ofKind("Deployment")) {
            if (containers(d).stream().anyMatch(c -> role(c).filter(role::equals).isPresent())) {
                found.add(d);
            }
        }
        assertEquals(1, found.size(), "Deployments with env COURT_ROLE=" + role + ": " + found.size());
        return found.get(0);
    }

    static Optional<String> configValue(String key) throws IOException {
        return ofKind("ConfigMap").stream().map(d -> map(d.body().get("data")).get(key))
                .filter(v -> v != null).map(DeploymentFilesTest::str).findFirst();
    }

    static boolean declaresPort(Map<String, Object> container, Object port) {
        return list(container.get("ports")).stream().map(DeploymentFilesTest::map).anyMatch(p ->
                port instanceof Number n ? n.intValue() == ((Number) p.get("containerPort")).intValue()
                        : String.valueOf(port).equals(p.get("name")));
    }

    /** The number of a container port given by name or number (-1 when not declared). */
    static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Number n) {
            return n.intValue();
        }
        return list(container.get("ports")).stream().map(DeploymentFilesTest::map)
                .filter(p -> String.valueOf(port).equals(p.get("name")))
                .mapToInt(p -> ((Number) p.get("containerPort")).intValue()).findFirst().orElse(-1);
    }

    static boolean runsAsNonRoot(Doc d) {
        Object pod = at(d.body(), "spec", "template", "spec", "securityContext", "runAsNonRoot");
        return containers(d).stream().allMatch(c -> {
            Object own = at(c, "securityContext", "runAsNonRoot");
            return Boolean.TRUE.equals(own != null ? own : pod);
        });
    }

    static Map<String, Map<String, Object>> composeServices() throws IOException {
        Path f = DOCKER.resolve("compose.yml");
        assertTrue(Files.isRegularFile(f), "docker/compose.yml missing");
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(map(load(f).get(0)).get("services")).forEach((k, v) -> services.put(k, map(v)));
        return services;
    }

    /** A compose service's environment, whether written as a mapping or as KEY=VALUE items. */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(str(k), str(v)));
        } else {
            for (Object item : list(e)) {
                String[] kv = str(item).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    /** Dockerfile instructions as {KEYWORD, arguments}, continuation lines joined, comments dropped. */
    static List<String[]> dockerInstructions(Path f) throws IOException {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(f)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                String text = current.toString().strip().replaceAll("\\s+", " ");
                current.setLength(0);
                if (!text.isEmpty()) {
                    String[] parts = text.split(" ", 2);
                    out.add(new String[] {parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""});
                }
            }
        }
        return out;
    }

    static List<String> args(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    /** "660s", "10m", "2h" or ISO-8601 "PT10M". */
    static Duration duration(String text) {
        if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(text);
        }
        Matcher m = DURATION.matcher(text.strip());
        assertTrue(m.matches(), "not a duration: " + text);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static final Pattern QUANTITY = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?");

    /** Kubernetes memory quantity in bytes. */
    static long bytes(String quantity) {
        Matcher m = QUANTITY.matcher(quantity);
        assertTrue(m.matches(), "unsupported quantity: " + quantity);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "Ti" -> n << 40;
            case "k" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            case "T" -> n * 1_000_000_000_000L;
            default -> n;
        };
    }

    static Object at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
