package io.riptide.schemas.serde;

import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the Confluent wire format into {@code T}. The writer schema is fetched by id (cached) and resolved against
 * {@code T}'s schema, so records written with an older or newer compatible schema read fine. Anything else fails
 * with a {@link SerializationException} whose message says exactly what is wrong with the bytes. Thread-safe.
 */
public final class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistryClient client;
    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    public AvroWireDeserializer(SchemaRegistryClient client, Class<T> type) {
        this.client = Objects.requireNonNull(client, "client");
        this.type = Objects.requireNonNull(type, "type");
        // the generated class's own model carries its logical-type conversions
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("record of " + data.length + " bytes is shorter than the "
                    + WireFormat.HEADER_SIZE + "-byte header" + where(topic));
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format("unknown magic byte 0x%02x (expected %d)%s",
                    data[0] & 0xff, WireFormat.MAGIC_BYTE, where(topic)));
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        SpecificDatumReader<T> reader = readersById.get(id);
        if (reader == null) {
            reader = new SpecificDatumReader<>(writerSchema(id, topic), readerSchema, model);
            readersById.putIfAbsent(id, reader);
        }
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        T value;
        int trailing;
        try {
            value = reader.read(null, decoder);
            trailing = decoder.inputStream().available();
        } catch (Exception e) {
            throw new SerializationException(
                    "not valid Avro for " + type.getSimpleName() + ": " + e + context(id, topic), e);
        }
        if (trailing > 0) {
            throw new SerializationException("not valid Avro for " + type.getSimpleName() + ": " + trailing
                    + " trailing bytes after the record" + context(id, topic));
        }
        return value;
    }

    private Schema writerSchema(int id, String topic) {
        try {
            return client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("unknown schema id " + id + where(topic), e);
            }
            throw new SerializationException("cannot fetch schema id " + id + where(topic) + ": " + e.getMessage(), e);
        }
    }

    private static String context(int id, String topic) {
        return " (schema id " + id + (topic == null ? "" : ", topic " + topic) + ")";
    }

    private static String where(String topic) {
        return topic == null ? "" : " (topic " + topic + ")";
    }
}
