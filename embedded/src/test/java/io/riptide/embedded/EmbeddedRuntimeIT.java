package io.riptide.embedded;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRuntimeIT {
    /**
     * Singletons that libraries start once per JVM and reuse (the JDK's process reaper, the PostgreSQL driver's
     * cleaner, Yammer metrics ticks of the Kafka server); they are not per-runtime leaks.
     */
    private static final Set<String> JVM_WIDE_THREADS =
            Set.of("process reaper", "PostgreSQL-JDBC-Cleaner", "metrics-meter-tick-thread");
    private static EmbeddedRuntime runtime;
    private static Set<String> threadsBefore;

    @BeforeAll
    static void start() {
        threadsBefore = liveThreadNames();
        long t0 = System.nanoTime();
        runtime = EmbeddedRuntime.start();
        System.out.printf("EmbeddedRuntime.start() took %d ms (wall, measured by the test)%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() throws InterruptedException {
        runtime.close();
        runtime.close(); // idempotent
        assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?"))
                .toList(), "child processes after close");
        Set<String> leaked = Set.of();
        for (int i = 0; i < 50; i++) {
            leaked = liveThreadNames().stream().filter(n -> !threadsBefore.contains(n))
                    .filter(n -> !JVM_WIDE_THREADS.contains(n.replaceAll("-\\d+$", "")))
                    .filter(n -> !n.startsWith("ForkJoinPool") && !n.startsWith("HttpClient"))
                    .collect(Collectors.toSet());
            if (leaked.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(Set.of(), leaked, "threads left behind by the runtime");
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void allTopicsExistAndModelVersionsIsCompactedWithLargeMessages() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            Topics.ALL.forEach(t -> assertTrue(names.contains(t.name()), "missing topic " + t.name()));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODEL_VERSIONS.name());
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertTrue(Integer.parseInt(config.get("max.message.bytes").value()) >= 16 * 1024 * 1024);
        }
    }

    @Test
    void producesAndConsumesTransactionallyThroughTheSerdeAndTheRegistry() {
        SerdeFactory serdes = new SerdeFactory(new HttpSchemaRegistryClient(runtime.schemaRegistryUrl()));
        Serde<Trade> tradeSerde = serdes.valueSerde(Topics.TRADES);
        Trade committed = trade("committed");
        Trade aborted = trade("aborted");
        try (KafkaProducer<String, Trade> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-it"),
                serdes.keySerde().serializer(), tradeSerde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.TRADES.name(), "BINANCE:BTCUSDT", aborted));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.TRADES.name(), "BINANCE:BTCUSDT", committed));
            producer.commitTransaction();
        }
        List<Trade> seen = consumeAll(Topics.TRADES.name(), tradeSerde, 1);
        assertEquals(List.of(committed), seen, "read_committed sees only the committed record");
    }

    @Test
    void modelVersionsAcceptsAMultiMegabyteArtifact() {
        SerdeFactory serdes = new SerdeFactory(new HttpSchemaRegistryClient(runtime.schemaRegistryUrl()));
        Serde<ModelVersion> serde = serdes.valueSerde(Topics.MODEL_VERSIONS);
        byte[] artifact = new byte[12 * 1024 * 1024];
        new Random(7).nextBytes(artifact); // incompressible, so the broker really stores 12 MiB
        ModelVersion version = ModelVersion.newBuilder()
                .setModelKey("liquidation-15m").setRole(ModelRole.values()[0]).setVersion(1)
                .setFormat("lightgbm-text").setSha256("00").setFeatureSetId("fs").setFeatureSetHash("h")
                .setFeatureNames(List.of("a")).setTrainedAtMs(1).setPublishedAtMs(2).setTrainingExamples(3)
                .setMetrics(Map.of("auc", 0.7)).setReferenceDistributions(List.of())
                .setArtifactGzip(ByteBuffer.wrap(artifact)).setArtifactBytes(artifact.length).setReason("it")
                .build();
        try (KafkaProducer<String, ModelVersion> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 17 * 1024 * 1024,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-it-models"),
                serdes.keySerde().serializer(), serde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.MODEL_VERSIONS.name(),
                    Topics.modelVersionKey("liquidation-15m", ModelRole.values()[0]), version));
            producer.commitTransaction();
        }
        List<ModelVersion> seen = consumeAll(Topics.MODEL_VERSIONS.name(), serde, 1);
        assertEquals(1, seen.size());
        byte[] read = new byte[seen.get(0).getArtifactGzip().remaining()];
        seen.get(0).getArtifactGzip().get(read);
        assertArrayEquals(artifact, read);
    }

    @Test
    void runsSqlOnTheRiptideDatabase() throws Exception {
        try (Connection connection = runtime.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE it_check (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO it_check VALUES (1, 'hello'), (2, 'world')");
            try (ResultSet rs = statement.executeQuery("SELECT current_database(), count(*) FROM it_check")) {
                assertTrue(rs.next());
                assertEquals(EmbeddedRuntime.DATABASE, rs.getString(1));
                assertEquals(2, rs.getInt(2));
            }
        }
        try (Connection connection = DriverManager.getConnection(runtime.jdbcUrl(), runtime.jdbcUser(),
                runtime.jdbcPassword());
             ResultSet rs = connection.createStatement().executeQuery("SELECT note FROM it_check WHERE id = 2")) {
            assertTrue(rs.next());
            assertEquals("world", rs.getString(1));
        }
    }

    private static <V> List<V> consumeAll(String topic, Serde<V> serde, int expected) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 20 * 1024 * 1024),
                org.apache.kafka.common.serialization.Serdes.String().deserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            List<V> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            // poll past the expected count for a moment, so an aborted record that leaked through would be seen
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                if (values.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.currentTimeMillis() + 1_000;
                }
            }
            return values;
        }
    }

    private static Trade trade(String id) {
        return Trade.newBuilder().setInstrument("BINANCE:BTCUSDT").setExchangeTimeMs(1_700_000_000_000L)
                .setPrice(37_000.5).setQty(0.25).setAggressorSide(Side.BUY).setTradeId(id).build();
    }
}
