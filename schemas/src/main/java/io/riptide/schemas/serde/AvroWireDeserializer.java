package io.riptide.schemas.serde;

import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.registry.SchemaRegistryException;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.avro.Schema;
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
 *
 * <p>The bytes are untrusted. Every declared length is bounded by the bytes left in the record ({@link BoundedDecoder})
 * and by Avro's global limits ({@link AvroLimits}, installed when this class loads), so decoding allocates in
 * proportion to the record's size. Whatever decoding throws is a fault of this record and becomes a
 * {@link SerializationException}, {@link Error}s included (a {@link StackOverflowError} from absurd nesting, an
 * {@link AssertionError}, ...), with one exception: a {@link VirtualMachineError} that says the JVM itself is in
 * trouble ({@link OutOfMemoryError} other than an impossible array size, {@link InternalError}, ...) is rethrown
 * unchanged. With allocation bounded by the record's size, running out of heap while decoding means the heap was
 * all but exhausted anyway; blaming the record would dead-letter good data while the JVM fails.
 *
 * <p>A registry that cannot be asked about the writer schema (down, timing out, 5xx) is not the record's fault
 * either: that is a {@link SchemaRegistryUnavailableException}, not a {@link SerializationException}, and the caller
 * must retry the record later instead of dead-lettering it. An id the registry does not know is a bad record
 * ({@code unknown schema id N}).
 */
public final class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    static {
        AvroLimits.install();
    }

    private final SchemaRegistryClient client;
    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, Reader<T>> readersById = new ConcurrentHashMap<>();

    /** The resolving reader for one writer schema, and what the bounded decoder must know about that schema. */
    private record Reader<T>(SpecificDatumReader<T> datumReader, boolean arrayItemsMayBeEmpty) {
    }

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
        Reader<T> reader = readersById.get(id);
        if (reader == null) {
            Schema writer = writerSchema(id, topic);
            reader = new Reader<>(new SpecificDatumReader<>(writer, readerSchema, model),
                    BoundedDecoder.hasArraysOfZeroByteItems(writer));
            readersById.putIfAbsent(id, reader);
        }
        BoundedDecoder decoder = new BoundedDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE,
                reader.arrayItemsMayBeEmpty());
        T value;
        int trailing;
        try {
            value = reader.datumReader().read(null, decoder);
            trailing = decoder.remaining();
        } catch (VirtualMachineError e) {
            if (!isThisRecordsFault(e)) {
                throw e;
            }
            throw notValid(reason(e), id, topic, e);
        } catch (Throwable e) {
            throw notValid(reason(e), id, topic, e);
        }
        if (trailing > 0) {
            throw notValid(trailing + " trailing bytes after the record", id, topic, null);
        }
        return value;
    }

    private Schema writerSchema(int id, String topic) {
        try {
            return client.getById(id);
        } catch (SchemaRegistryUnavailableException e) {
            // not this record's fault: the caller keeps it and retries (see the exception's contract)
            throw new SchemaRegistryUnavailableException("cannot read " + type.getSimpleName() + where(topic) + ": "
                    + e.getMessage(), e.httpStatus(), e.errorCode(), e);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("unknown schema id " + id + where(topic), e);
            }
            throw new SerializationException("cannot fetch schema id " + id + where(topic) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a {@link VirtualMachineError} thrown while decoding is this record's doing: a stack overflow (the stack
     * has unwound by the time we catch it) or an array larger than any JVM allows. Any other one is the JVM's.
     */
    static boolean isThisRecordsFault(VirtualMachineError e) {
        return e instanceof StackOverflowError
                || e instanceof OutOfMemoryError && String.valueOf(e.getMessage()).contains("exceeds VM limit");
    }

    private static String reason(Throwable e) {
        if (e instanceof BoundedDecoder.DeclaredLengthException) {
            return e.getMessage();
        }
        if (e instanceof StackOverflowError) {
            return "nested too deeply to decode (" + e + ")";
        }
        return e.toString();
    }

    private SerializationException notValid(String reason, int id, String topic, Throwable cause) {
        return new SerializationException("not valid Avro for " + type.getSimpleName() + ": " + reason
                + context(id, topic), cause);
    }

    private static String context(int id, String topic) {
        return " (schema id " + id + (topic == null ? "" : ", topic " + topic) + ")";
    }

    private static String where(String topic) {
        return topic == null ? "" : " (topic " + topic + ")";
    }
}
