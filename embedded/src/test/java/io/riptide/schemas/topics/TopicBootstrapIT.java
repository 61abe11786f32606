package io.riptide.schemas.topics;

import io.riptide.embedded.internal.EmbeddedKafka;
import io.riptide.schemas.avro.Trade;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TopicBootstrap} against a real broker (it lives here because this module has one). */
class TopicBootstrapIT {
    @TempDir
    static Path work;
    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(work);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        kafka.close();
    }

    @Test
    void createsMissingTopicsWithSpecConfigsAndIsIdempotent() throws Exception {
        TopicBootstrap.ensureTopics(admin, Topics.ALL, (short) 1);
        TopicBootstrap.ensureTopics(admin, Topics.ALL, (short) 1);

        var descriptions = admin.describeTopics(Topics.ALL.stream().map(Topic::name).toList()).allTopicNames().get();
        for (Topic<?> topic : Topics.ALL) {
            assertEquals(topic.spec().partitions(), descriptions.get(topic.name()).partitions().size(), topic.name());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODEL_VERSIONS.name());
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        Topics.MODEL_VERSIONS.spec().configs().forEach((key, value) -> assertEquals(value, config.get(key).value(), key));
    }

    @Test
    void existingTopicWithOtherPartitionCountIsAnErrorNamingIt() throws Exception {
        admin.createTopics(List.of(new NewTopic("bootstrap-it.mismatch", 2, (short) 1))).all().get();
        Topic<Trade> wanted = new Topic<>(new TopicSpec("bootstrap-it.mismatch", 3, Map.of()), Trade.class);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicBootstrap.ensureTopics(admin, List.of(wanted), (short) 1));
        assertTrue(e.getMessage().contains("bootstrap-it.mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("2 partitions"), e.getMessage());
    }

    @Test
    void invalidReplicationFactorFailsWithTheTopicName() {
        Topic<Trade> topic = new Topic<>(new TopicSpec("bootstrap-it.rf", 1, Map.of()), Trade.class);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicBootstrap.ensureTopics(admin, List.of(topic), (short) 3));
        assertTrue(e.getMessage().contains("bootstrap-it.rf"), e.getMessage());
    }

    @Test
    void existingTopicWithDriftedConfigsIsBroughtToTheSpec() throws Exception {
        admin.createTopics(List.of(new NewTopic("bootstrap-it.drifted", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "delete")))).all().get();
        Topic<Trade> spec = new Topic<>(new TopicSpec("bootstrap-it.drifted", 1,
                Map.of("cleanup.policy", "compact", "max.message.bytes", "16777216")), Trade.class);

        TopicBootstrap.ensureTopics(admin, List.of(spec), (short) 1);

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "bootstrap-it.drifted");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertEquals("compact", config.get("cleanup.policy").value());
        assertEquals("16777216", config.get("max.message.bytes").value());
    }

    /**
     * A topic just created is written at once by an idempotent producer with several requests in flight, the way
     * every feed and bench writes. Without the wait for the leaders, the first request can fail NOT_LEADER while a
     * later one is appended, and the first then spins on OUT_OF_ORDER_SEQUENCE_NUMBER until it expires (KAFKA-15591).
     */
    @Test
    void everyPartitionTakesWritesAsSoonAsTheTopicsAreEnsured() throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        for (int round = 0; round < 5; round++) {
            List<Topic<?>> topics = TopicNamespace.of("ready-it-" + round + ".").all();
            TopicBootstrap.ensureTopics(admin, topics, (short) 1);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 50; i++) {
                    for (Topic<?> topic : topics) {
                        for (int p = 0; p < topic.spec().partitions(); p++) {
                            sent.add(producer.send(new ProducerRecord<>(topic.name(), p, new byte[]{(byte) i},
                                    new byte[]{(byte) i})));
                            partitions.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                        }
                    }
                }
                producer.flush();
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(); // an expired batch throws here
            }
            admin.listOffsets(partitions).all().get().forEach((tp, offset) ->
                    assertEquals(50, offset.offset(), tp.toString()));
        }
    }
}
