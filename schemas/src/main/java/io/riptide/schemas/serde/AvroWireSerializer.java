package io.riptide.schemas.serde;

import io.riptide.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes any {@link SpecificRecord} in the Confluent wire format. The writer schema is the record's own; it is
 * registered under {@code <topic>-value} (or {@code -key}) the first time a (topic, schema) pair is seen and the id
 * is cached, so the steady state makes no registry calls. Thread-safe.
 */
public final class AvroWireSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient client;
    private final boolean isKey;
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public AvroWireSerializer(SchemaRegistryClient client, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> writer(record)).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getName() + " to topic " + topic + ": " + e, e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        Map<Schema, Integer> ids = idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        Integer id = ids.get(schema);
        if (id == null) {
            try {
                id = client.register(WireFormat.subject(topic, isKey), schema);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot register " + schema.getFullName() + " under subject "
                        + WireFormat.subject(topic, isKey) + ": " + e.getMessage(), e);
            }
            ids.put(schema, id);
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writer(SpecificRecord record) {
        // the generated class's own model carries its logical-type conversions
        SpecificData model = record instanceof SpecificRecordBase base ? base.getSpecificData()
                : SpecificData.getForSchema(record.getSchema());
        return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(record.getSchema(), model);
    }
}
