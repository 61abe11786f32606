package io.riptide.schemas.topics;

import io.riptide.embedded.internal.EmbeddedKafka;
import io.riptide.schemas.avro.Trade;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
}
