package io.riptide.topology.internal;

import io.riptide.schemas.avro.DeadLetter;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Builds dead letters from the record being processed, so the original bytes and their origin are kept. */
public final class DeadLetters {
    private DeadLetters() {
    }

    public static DeadLetter of(ProcessorContext<?, ?> context, long timestampMs, byte[] key, byte[] value,
                                String stage, String error, Throwable cause) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return DeadLetter.newBuilder()
                .setSourceTopic(metadata.map(RecordMetadata::topic).orElse("(punctuation)"))
                .setPartition(metadata.map(RecordMetadata::partition).orElse(-1))
                .setOffset(metadata.map(RecordMetadata::offset).orElse(-1L))
                .setTimestampMs(timestampMs)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage)
                .setError(error)
                .setErrorClass(cause == null ? "validation" : cause.getClass().getName())
                .setDeadLetteredAtMs(System.currentTimeMillis())
                .build();
    }
}
