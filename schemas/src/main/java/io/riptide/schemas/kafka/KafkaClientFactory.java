package io.riptide.schemas.kafka;

import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.serde.AvroLimits;
import io.riptide.schemas.serde.ErrorsAsBadRecords;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicBootstrap;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place that builds Kafka clients: every producer is idempotent (transactional when given an id), every
 * consumer reads committed data only, and every serde speaks the Confluent wire format through one registry client.
 */
public final class KafkaClientFactory {
    static {
        // before any client of ours can decode a record (AvroWireDeserializer does it too)
        AvroLimits.install();
    }

    private final KafkaSettings settings;
    private final SchemaRegistryClient registry;
    private final SerdeFactory serdes;

    public KafkaClientFactory(KafkaSettings settings) {
        this(settings, new HttpSchemaRegistryClient(settings.schemaRegistryUrl()));
    }

    public KafkaClientFactory(KafkaSettings settings, SchemaRegistryClient registry) {
        this.settings = settings;
        this.registry = registry;
        this.serdes = new SerdeFactory(registry);
    }

    public KafkaSettings settings() {
        return settings;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public SerdeFactory serdes() {
        return serdes;
    }

    /** Properties every client shares: endpoints and the pass-through overrides. */
    public Map<String, Object> commonProperties(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.putAll(settings.clientOverrides());
        return props;
    }

    public Admin admin(String clientId) {
        return Admin.create(commonProperties(clientId));
    }

    /** Creates every Riptide topic (in the configured namespace) that does not exist yet. */
    public void ensureTopics() {
        try (Admin admin = admin("riptide-topic-bootstrap")) {
            TopicBootstrap.ensureTopics(admin, settings.topics().all(), settings.replicationFactor());
        }
    }

    /**
     * An idempotent producer of any Riptide record; transactional when {@code transactionalId} is not null.
     * Large enough for inline model artifacts.
     */
    public KafkaProducer<String, SpecificRecord> producer(String clientId, String transactionalId) {
        Map<String, Object> props = commonProperties(clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(props, serdes.keySerde().serializer(), serdes.anyValueSerializer());
    }

    /** A read_committed consumer of one topic's values, offsets committed by the caller. */
    public <V extends SpecificRecord> KafkaConsumer<String, V> consumer(String groupId, Topic<V> topic) {
        Map<String, Object> props = commonProperties(groupId + "-" + topic.name());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES);
        Serde<V> valueSerde = serdes.valueSerde(topic);
        return new KafkaConsumer<>(props, serdes.keySerde().deserializer(),
                new ErrorsAsBadRecords<>(valueSerde.deserializer()));
    }
}
