package io.riptide.feed;

import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.serde.SerdeFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;

/**
 * The one way market sources build their Kafka producer: idempotent (no duplicates or reordering on retries),
 * {@code acks=all}, string keys, Confluent wire-format Avro values registered in the schema registry.
 */
public final class MarketFeedProducer {
    private MarketFeedProducer() {
    }

    /**
     * @param bootstrapServers   e.g. localhost:9092
     * @param schemaRegistryUrl  e.g. http://localhost:8081
     * @param clientId           shows up in broker logs and metrics, e.g. riptide-feed-simulate
     * @param overrides          extra producer settings (may be empty)
     */
    public static Producer<String, SpecificRecord> create(String bootstrapServers, String schemaRegistryUrl,
                                                          String clientId, Map<String, Object> overrides) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers given (--bootstrap-servers or "
                    + "RIPTIDE_KAFKA_BOOTSTRAP_SERVERS)");
        }
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new IllegalArgumentException("no schema registry URL given (--schema-registry or "
                    + "RIPTIDE_SCHEMA_REGISTRY_URL)");
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // market data arrives in bursts; a short linger batches them without adding visible latency
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.putAll(overrides);
        SerdeFactory serdes = new SerdeFactory(new HttpSchemaRegistryClient(schemaRegistryUrl));
        return new KafkaProducer<>(props, new StringSerializer(), serdes.anyValueSerializer());
    }
}
