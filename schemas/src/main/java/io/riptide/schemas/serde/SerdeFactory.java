package io.riptide.schemas.serde;

import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** One place to get the serde of a {@link Topic}; serdes are cached per topic and share one registry client. */
public final class SerdeFactory {
    private final SchemaRegistryClient client;
    private final Map<String, Serde<?>> valueSerdes = new ConcurrentHashMap<>();
    private final Serializer<SpecificRecord> anyValueSerializer;

    public SerdeFactory(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.anyValueSerializer = new AvroWireSerializer<>(client, false);
    }

    public SchemaRegistryClient client() {
        return client;
    }

    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> Serde<V> valueSerde(Topic<V> topic) {
        return (Serde<V>) valueSerdes.computeIfAbsent(topic.name(),
                name -> new AvroWireSerde<>(client, topic.valueClass(), false));
    }

    /** Keys are plain UTF-8 strings (instrument id, model key), not Avro. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** Writes any record to any topic, registering its schema under {@code <topic>-value}. */
    public Serializer<SpecificRecord> anyValueSerializer() {
        return anyValueSerializer;
    }
}
