package io.riptide.app.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.app.services.http.OpsRole;
import io.riptide.app.services.http.OpsTokens;
import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code riptide stream} and {@code riptide trigger} commands, each in its own JVM as a user runs them,
 * configured by a properties file and RIPTIDE_* variables against Kafka, the registry and PostgreSQL they did not
 * start themselves.
 */
class ServicesCliIT {
    private static EmbeddedRuntime runtime;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static Process riptide(Map<String, String> env, String... args) throws IOException {
        Path jar = Path.of("target", "riptide.jar");
        assertTrue(Files.isRegularFile(jar), "the packaged command exists: " + jar.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(args[0] + "-" + System.nanoTime() + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("RIPTIDE_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(int port) {
        return get(port, "/metrics", null).body();
    }

    private record Answer(int status, String body) {
    }

    private static Answer get(int port, String path, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "");
        }
    }

    /** Metric names the alert rules and the Grafana dashboard query (histograms by their _bucket series). */
    private static Set<String> metricsReferencedByTheDeployment() throws IOException {
        Set<String> names = new TreeSet<>();
        Path deploy = Path.of("..", "deploy");
        String text = Files.readString(deploy.resolve("prometheus/alerts.yml"))
                + Files.readString(deploy.resolve("grafana/dashboards/riptide.json"));
        Matcher m = Pattern.compile("\\b((?:riptide|kafka|jvm)_[a-z0-9_]+)").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void streamAndTriggerRunAsCommandsAgainstGivenEndpointsAndStopCleanly() throws Exception {
        Path config = dir.resolve("riptide.properties");
        Files.writeString(config, String.join("\n",
                "kafka.bootstrap.servers=" + runtime.bootstrapServers(),
                "schema.registry.url=" + runtime.schemaRegistryUrl(),
                "stream.horizons.minutes=5",
                "stream.state.dir=" + dir.resolve("state"),
                "db.url=" + runtime.jdbcUrl(),
                "db.user=" + runtime.jdbcUser(), ""));
        String token = OpsTokens.generate();
        // the signing secret from the environment, as a Secret would give it, never in the file
        Map<String, String> env = new HashMap<>(Map.of("RIPTIDE_MODELS_SIGNING_SECRET", "cli-it-signing-secret-0123",
                "RIPTIDE_DB_PASSWORD", runtime.jdbcPassword(),
                "RIPTIDE_STREAM_APPLICATION_ID", "cli-it", "RIPTIDE_HTTP_BIND_ADDRESS", "127.0.0.1",
                "RIPTIDE_OPS_WATCH_INTERVAL_MS", "1000",
                "RIPTIDE_OPS_API_TOKENS", OpsTokens.line(token, "cli-it-ops", EnumSet.allOf(OpsRole.class))));
        int streamMetrics = freePort();
        int triggerMetrics = freePort();
        Process stream = riptide(env, "stream", "--config", config.toString(), "--http-port", "" + streamMetrics);
        // the deprecated spelling still works
        Process trigger = riptide(env, "trigger", "--config", config.toString(), "--metrics-port", "" + triggerMetrics);
        try {
            KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                    runtime.schemaRegistryUrl(), (short) 1, Map.of()));
            long start = (System.currentTimeMillis() - 3_600_000L) / 60_000 * 60_000;
            try (KafkaMarketEventSink sink = new KafkaMarketEventSink(clients.producer("cli-it-feed", null))) {
                new MarketSimulator(SimulatorConfig.defaults(7, start)).runUntil(start + 20 * 60_000L,
                        io.riptide.feed.Heartbeats.exact(sink, io.riptide.feed.Heartbeats.TRADE_INPUTS));
            }
            try (KafkaConsumer<String, LiquidationRisk> predictions =
                         clients.consumer("cli-it-check", Topics.PREDICTIONS_LIQUIDATION)) {
                predictions.subscribe(List.of(Topics.PREDICTIONS_LIQUIDATION.name()));
                int[] seen = {0};
                await("predictions from the stream command", Duration.ofSeconds(90), () -> {
                    predictions.poll(Duration.ofMillis(200)).forEach(r -> seen[0]++);
                    return seen[0] > 0;
                });
            }
            await("examples stored by the trigger command", Duration.ofSeconds(90), () ->
                    get(triggerMetrics).lines().anyMatch(l -> l.startsWith("riptide_trigger_examples_stored_total ")
                            && !l.endsWith(" 0.0")));
            // Kafka Streams' thread metrics exist once its threads run, and are picked up on the binder's next refresh
            await("Kafka Streams metrics on the stream's /metrics", Duration.ofSeconds(60),
                    () -> get(streamMetrics).contains("kafka_stream_thread_process_total"));
            String metrics = get(streamMetrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("riptide_prediction_batches_total ")
                    && !l.endsWith(" 0.0")), "micro-batch counters on the stream's /metrics");
            assertTrue(metrics.contains("# TYPE riptide_predictions_total counter"), "counters are counters");
            assertTrue(metrics.contains("# TYPE riptide_prediction_batch_wait_seconds histogram"),
                    "latency is a histogram in seconds");
            assertTrue(metrics.contains("riptide_stream_state{state=\"RUNNING\"} 1.0"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(metrics.contains("# TYPE riptide_stream_restore_records_total counter")
                    && metrics.contains("riptide_stream_restore_partitions 0.0"), "restore progress, none running");
            Answer ready = get(streamMetrics, "/health/ready", null);
            assertEquals(200, ready.status(), ready.body());
            assertEquals("RUNNING", new ObjectMapper().readTree(ready.body()).at("/checks/kafka-streams/detail")
                    .asText(), ready.body());
            assertEquals(200, get(streamMetrics, "/health/live", null).status());

            // the trigger command's ops API: what it sees of the stream, and a request over it
            ObjectMapper json = new ObjectMapper();
            assertEquals(401, get(triggerMetrics, "/api/status", null).status());
            await("the trigger to see the stream group and its predictions", Duration.ofSeconds(60), () -> {
                Answer status = get(triggerMetrics, "/api/status", token);
                try {
                    JsonNode s = json.readTree(status.body());
                    return s.at("/stream/members").asInt() >= 1 && s.path("lastPredictions").size() > 0;
                } catch (IOException e) {
                    return false;
                }
            });
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + triggerMetrics + "/api/models/liquidation-5m/rollback"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("no earlier version"), refused.body());
            assertEquals(200, get(triggerMetrics, "/health/ready", null).status());

            // every metric the alert rules and the dashboard query is one the services export
            Set<String> exported = new TreeSet<>();
            for (String scrape : List.of(get(streamMetrics), get(triggerMetrics))) {
                scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
            }
            Set<String> missing = new TreeSet<>(metricsReferencedByTheDeployment());
            missing.removeAll(exported);
            assertTrue(missing.isEmpty(), "queried by deploy/ but not exported: " + missing);
        } finally {
            stream.destroy();
            trigger.destroy();
        }
        assertTrue(stream.waitFor(60, TimeUnit.SECONDS), "stream stops on SIGTERM");
        assertTrue(trigger.waitFor(60, TimeUnit.SECONDS), "trigger stops on SIGTERM");
    }

    @Test
    void aBadEnvironmentValueStopsTheCommandWithOneLineNamingTheKey() throws Exception {
        Process stream = riptide(Map.of("RIPTIDE_KAFKA_BOOTSTRAP_SERVERS", runtime.bootstrapServers(),
                "RIPTIDE_SCHEMA_REGISTRY_URL", runtime.schemaRegistryUrl(), "RIPTIDE_STREAM_NUM_THREADS", "many"),
                "stream");
        assertTrue(stream.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, stream.exitValue());
        Path log = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("stream-"))
                .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElseThrow();
        String output = Files.readString(log);
        assertTrue(output.contains("riptide: invalid value 'many' for stream.num.threads (from env "
                + "RIPTIDE_STREAM_NUM_THREADS): expected an integer"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    @Test
    void aTriggerWhoseLoopDiedExitsWithCodeFourNamingTheLoop() throws Exception {
        javax.sql.DataSource database = runtime.createDatabaseNamed("cli_it_dying");
        String url = runtime.jdbcUrl().substring(0, runtime.jdbcUrl().lastIndexOf('/') + 1) + "cli_it_dying";
        int port = freePort();
        Process trigger = riptide(Map.of("RIPTIDE_KAFKA_BOOTSTRAP_SERVERS", runtime.bootstrapServers(),
                "RIPTIDE_SCHEMA_REGISTRY_URL", runtime.schemaRegistryUrl(), "RIPTIDE_DB_URL", url,
                "RIPTIDE_DB_USER", runtime.jdbcUser(), "RIPTIDE_DB_PASSWORD", runtime.jdbcPassword(),
                "RIPTIDE_TRIGGER_GROUP_ID", "cli-it-dying", "RIPTIDE_HTTP_BIND_ADDRESS", "127.0.0.1",
                "RIPTIDE_MODELS_SIGNING_SECRET", "cli-it-signing-secret-0123"), "trigger", "--http-port", "" + port);
        try {
            await("the trigger to be ready", Duration.ofSeconds(90),
                    () -> get(port, "/health/ready", null).status() == 200);
            // the database loses the table the example sink writes to: that loop dies on its next batch
            try (java.sql.Connection c = database.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("DROP TABLE training_examples CASCADE");
            }
            KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                    runtime.schemaRegistryUrl(), (short) 1, Map.of()));
            try (var producer = clients.producer("cli-it-dying-examples", null)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        Topics.TRAINING_EXAMPLES.name(), "SIM:BTC", io.riptide.schemas.avro.LabeledExample.newBuilder()
                        .setExampleId("dying-1").setInstrument("SIM:BTC").setTimeMs(1_700_000_000_000L)
                        .setHorizonMinutes(5).setTask("liquidation").setFeatureSetId("test")
                        .setFeatureSetHash("hash-1").setFeatureNames(List.of("f")).setFeatures(List.of(1.0))
                        .setLabel(0).setRealizedValue(0.0).setRegime("sideways").build())).get();
            }
            assertTrue(trigger.waitFor(60, TimeUnit.SECONDS), "a trigger whose loop died exits by itself");
            assertEquals(4, trigger.exitValue());
        } finally {
            trigger.destroyForcibly();
        }
        Path log = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("trigger-"))
                .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElseThrow();
        String output = Files.readString(log);
        assertTrue(output.contains("riptide trigger: trigger loop example-sink stopped: "), output);
        assertTrue(output.contains("stopping with exit code 4 so that a supervisor restarts it"), output);
    }
}
