package io.riptide.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment files: the top-level docker-compose.yml as docker-compose itself reads it (Debian's docker-compose
 * 1.29 validates and resolves a file without a Docker daemon; .ci/run installs it), the Prometheus rules, the
 * Grafana dashboard and the Kubernetes manifests. Nothing here starts a container.
 */
class DeployFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ONE_SHOT = Set.of("topic-init");

    private static Optional<Path> dockerCompose() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "docker-compose");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run compose(String envFile) throws Exception {
        Optional<Path> binary = dockerCompose();
        if (binary.isEmpty()) {
            System.err.println("\n*** SKIPPED: no docker-compose on this machine (apt-get install docker-compose; .ci/run "
                    + "installs it). docker-compose.yml was NOT validated by docker-compose. ***\n");
            Assumptions.abort("docker-compose is not installed");
        }
        Path out = Files.createTempFile("compose-config", ".yml");
        Path err = Files.createTempFile("compose-config", ".err");
        ProcessBuilder builder = new ProcessBuilder(binary.get().toString(), "--project-directory", ROOT.toString(),
                "-f", ROOT.resolve("docker-compose.yml").toString(), "--env-file", envFile, "config")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.contains("PASSWORD") || k.contains("TOKEN") || k.contains("SECRET"));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "docker-compose config finishes");
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    @Test
    void composeIsValidAndEveryServiceWaitsForWhatItNeeds() throws Exception {
        Run run = compose(ROOT.resolve(".env.example").toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode services = YAML.readTree(run.out()).get("services");
        for (String name : List.of("kafka", "topic-init", "schema-registry", "postgres", "riptide-stream",
                "riptide-trigger", "riptide-feed", "kafka-ui", "prometheus", "grafana")) {
            assertNotNull(services.get(name), "service " + name);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            JsonNode service = s.getValue();
            assertTrue(service.has("restart"), s.getKey() + " has a restart policy");
            if (!ONE_SHOT.contains(s.getKey()) && !s.getKey().equals("riptide-feed")) {
                assertTrue(service.has("healthcheck"), s.getKey() + " has a healthcheck");
            }
            for (Iterator<Map.Entry<String, JsonNode>> d = service.path("depends_on").fields(); d.hasNext(); ) {
                Map.Entry<String, JsonNode> dependency = d.next();
                String condition = dependency.getValue().path("condition").asText();
                String expected = ONE_SHOT.contains(dependency.getKey()) ? "service_completed_successfully"
                        : "service_healthy";
                assertEquals(expected, condition, s.getKey() + " waits for " + dependency.getKey());
                if (expected.equals("service_healthy")) {
                    assertTrue(services.get(dependency.getKey()).has("healthcheck"), dependency.getKey()
                            + " has the healthcheck " + s.getKey() + " waits for");
                }
            }
        }
        JsonNode kafka = services.at("/kafka/environment");
        assertEquals("false", kafka.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText(), "no topic auto-creation race");
        String advertised = kafka.path("KAFKA_ADVERTISED_LISTENERS").asText();
        assertTrue(advertised.contains("kafka:9092") && advertised.contains("localhost:29092"), advertised);
        assertTrue(services.at("/kafka/ports").toString().contains("29092"), "the host listener is published");
        assertEquals("[\"topics\",\"create\"]", services.at("/topic-init/command").toString());
        for (String app : List.of("riptide-stream", "riptide-trigger", "riptide-feed")) {
            assertTrue(services.at("/" + app + "/depends_on").has("topic-init"), app + " waits for the topics");
            assertTrue(services.at("/" + app + "/depends_on").has("schema-registry"), app + " waits for the registry");
        }
        assertTrue(services.at("/kafka-ui/image").asText().startsWith("ghcr.io/kafbat/kafka-ui:"));
        assertEquals("http://schema-registry:8081", services.at("/kafka-ui/environment/KAFKA_CLUSTERS_0_SCHEMAREGISTRY")
                .asText());
        assertTrue(services.at("/prometheus/volumes").toString().contains("deploy/prometheus"));
        assertTrue(services.at("/grafana/volumes").toString().contains("deploy/grafana/provisioning"));
        assertTrue(services.at("/riptide-trigger/environment/RIPTIDE_OPS_API_TOKENS").asText().startsWith("sha256:"));
        for (String app : List.of("riptide-stream", "riptide-trigger")) {
            assertTrue(services.at("/" + app + "/environment/RIPTIDE_MODELS_SIGNING_SECRET").asText().length() >= 16,
                    app + " has the models' signing secret");
        }
    }

    @Test
    void passwordsComeFromTheEnvironmentAndComposeRefusesToRunWithoutThem() throws Exception {
        String raw = Files.readString(ROOT.resolve("docker-compose.yml"));
        Matcher secrets = Pattern.compile("(?m)^\\s*([A-Z_]*(PASSWORD|TOKEN|SECRET)[A-Z_]*):\\s*(.+)$").matcher(raw);
        int found = 0;
        while (secrets.find()) {
            found++;
            assertTrue(secrets.group(3).contains("${"), secrets.group(1) + " is a literal: " + secrets.group(3));
        }
        assertTrue(found >= 4, "passwords and the token are set at all");
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).lines().anyMatch(".env"::equals), ".env is ignored");
        Path empty = Files.createTempFile("empty", ".env");
        Run run = compose(empty.toString());
        Files.delete(empty);
        assertTrue(run.exit() != 0, "compose refuses to start without the secrets");
        assertTrue(run.err().contains("POSTGRES_PASSWORD") || run.err().contains("OPS_TOKEN_SHA256")
                || run.err().contains("GRAFANA_ADMIN_PASSWORD"), run.err());
    }

    @Test
    void alertRulesCoverTheOpsConditions() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        assertEquals("/etc/prometheus/alerts.yml", config.at("/rule_files/0").asText());
        JsonNode groups = YAML.readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile()).get("groups");
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.get("rules")) {
                alerts.add(rule.get("alert").asText());
                assertFalse(rule.path("expr").asText().isBlank(), rule.toString());
                assertTrue(Set.of("warning", "critical").contains(rule.at("/labels/severity").asText()), rule.toString());
                assertFalse(rule.at("/annotations/summary").asText().isBlank(), rule.toString());
                assertBalanced(rule.get("expr").asText());
            }
        }
        assertEquals(Set.of("RiptideStreamNotRunning", "RiptideConsumerLagGrowing", "RiptideNoPredictions",
                "RiptideJobFailed", "RiptidePublicationPending", "RiptideCriticalDrift", "RiptideAutomaticRollback"),
                alerts);
    }

    @Test
    void theDashboardIsProvisionedAndEveryPanelQueriesPrometheus() throws IOException {
        JsonNode datasources = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")
                .toFile());
        String uid = datasources.at("/datasources/0/uid").asText();
        assertEquals("/var/lib/grafana/dashboards", YAML.readTree(ROOT.resolve(
                "deploy/grafana/provisioning/dashboards/riptide.yml").toFile()).at("/providers/0/options/path").asText());
        JsonNode dashboard = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/riptide.json").toFile());
        Set<Integer> ids = new HashSet<>();
        List<String> rows = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "unique panel id " + panel.get("id"));
            if (panel.get("type").asText().equals("row")) {
                rows.add(panel.get("title").asText());
                continue;
            }
            assertEquals(uid, panel.at("/datasource/uid").asText(), panel.get("title").asText());
            assertTrue(panel.get("targets").size() > 0, panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                assertBalanced(target.get("expr").asText());
            }
        }
        assertEquals(List.of("Pipeline health", "Predictions", "Model quality", "Jobs"), rows);
    }

    private static void assertBalanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth += c == '(' || c == '{' || c == '[' ? 1 : c == ')' || c == '}' || c == ']' ? -1 : 0;
            assertTrue(depth >= 0, "unbalanced: " + expr);
        }
        assertEquals(0, depth, "unbalanced: " + expr);
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    @Test
    void kubernetesManifestsProbeHealthKeepStateAndNeverRunTwoTriggers() throws IOException {
        List<JsonNode> docs = documents(ROOT.resolve("deploy/k8s/riptide.yaml"));
        JsonNode statefulSet = kind(docs, "StatefulSet", "riptide-stream");
        String serviceName = statefulSet.at("/spec/serviceName").asText();
        assertEquals("None", kind(docs, "Service", serviceName).at("/spec/clusterIP").asText(), "headless Service");
        JsonNode trigger = kind(docs, "Deployment", "riptide-trigger");
        assertEquals("Recreate", trigger.at("/spec/strategy/type").asText());
        for (JsonNode workload : List.of(statefulSet, trigger)) {
            JsonNode pod = workload.at("/spec/template/spec");
            assertTrue(pod.at("/securityContext/fsGroup").isInt(), "fsGroup");
            for (JsonNode container : pod.get("containers")) {
                assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
                assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
                assertTrue(container.at("/resources/limits/memory").isTextual(), "a memory limit to size the heap from");
            }
        }
        assertTrue(kind(docs, "ConfigMap", "riptide").at("/data/JAVA_TOOL_OPTIONS").asText()
                .contains("MaxRAMPercentage"));
        assertEquals("[\"topics\",\"create\"]", kind(docs, "Job", "riptide-topics")
                .at("/spec/template/spec/containers/0/args").toString());
        JsonNode secret = documents(ROOT.resolve("deploy/k8s/secret.example.yaml")).get(0);
        assertEquals("Secret", secret.get("kind").asText());
        assertTrue(secret.at("/stringData/ops-tokens").asText().startsWith("sha256:"));
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"), StandardCharsets.UTF_8);
        assertTrue(dockerfile.contains("-Pruntime-image") && dockerfile.contains("MaxRAMPercentage"), dockerfile);
    }

    private static JsonNode kind(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
