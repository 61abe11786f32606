package io.riptide.schemas.serde;

import io.riptide.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link AvroWireSerializer} and {@link AvroWireDeserializer} for one record type, as a Kafka {@link Serde}. */
public final class AvroWireSerde<T extends SpecificRecord> implements Serde<T> {
    private final AvroWireSerializer<T> serializer;
    private final AvroWireDeserializer<T> deserializer;

    public AvroWireSerde(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        this.serializer = new AvroWireSerializer<>(client, isKey);
        this.deserializer = new AvroWireDeserializer<>(client, type);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
