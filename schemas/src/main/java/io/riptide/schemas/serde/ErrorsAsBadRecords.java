package io.riptide.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;

/**
 * A consumer's value deserializer whose Errors (a StackOverflowError on a crafted record, say) come out as
 * {@link SerializationException}s, which the consumer reports as a
 * {@link org.apache.kafka.common.errors.RecordDeserializationException} naming the record, so the caller can
 * dead-letter it and read on; an Error would escape {@code poll()} as is and stop the loop. OutOfMemoryError is the
 * JVM's, not the record's (every decode is bounded), and passes through.
 */
public final class ErrorsAsBadRecords<V> implements Deserializer<V> {
    private final Deserializer<V> delegate;

    public ErrorsAsBadRecords(Deserializer<V> delegate) {
        this.delegate = delegate;
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        return guarded(() -> delegate.deserialize(topic, data));
    }

    @Override
    public V deserialize(String topic, Headers headers, byte[] data) {
        return guarded(() -> delegate.deserialize(topic, headers, data));
    }

    @Override
    public V deserialize(String topic, Headers headers, ByteBuffer data) {
        return guarded(() -> delegate.deserialize(topic, headers, data));
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Runs a decode, turning any Error but a real OutOfMemoryError into a bad record. */
    private V guarded(java.util.function.Supplier<V> decode) {
        try {
            return decode.get();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            throw failed(e);
        }
    }

    private static SerializationException failed(Error e) {
        return new SerializationException("the decoder failed with " + e, e);
    }
}
