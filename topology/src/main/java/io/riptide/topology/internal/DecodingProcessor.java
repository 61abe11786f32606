package io.riptide.topology.internal;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Turns raw bytes from a market topic into a validated record. Anything that cannot be decoded, fails validation, or
 * is keyed by something other than its instrument goes to the dead-letter topic with the reason; the stream goes on.
 */
public final class DecodingProcessor<T extends SpecificRecord> implements Processor<byte[], byte[], String, Object> {
    /** Header carrying the record's original value bytes to the processors after decoding. */
    static final String RAW_VALUE_HEADER = "riptide.raw-value";

    private final String stage;
    private final Deserializer<T> deserializer;
    private final Function<T, String> instrumentOf;
    private final String next;
    private ProcessorContext<String, Object> context;

    public DecodingProcessor(String stage, Deserializer<T> deserializer, Function<T, String> instrumentOf, String next) {
        this.stage = stage;
        this.deserializer = deserializer;
        this.instrumentOf = instrumentOf;
        this.next = next;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("?");
        T decoded;
        try {
            decoded = deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "cannot decode: " + e.getMessage(), e);
            return;
        }
        if (decoded == null) {
            deadLetter(record, "empty value (tombstone) on a market topic", null);
            return;
        }
        String problem = MarketRecordValidator.check(decoded);
        if (problem == null && record.key() != null) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (!key.equals(instrumentOf.apply(decoded))) {
                problem = "record key '" + key + "' does not match instrument '" + instrumentOf.apply(decoded) + "'";
            }
        }
        if (problem != null) {
            deadLetter(record, problem, null);
            return;
        }
        // the original bytes ride along, so a later stage that refuses the record can still dead-letter them
        Headers headers = new RecordHeaders().add(RAW_VALUE_HEADER, record.value());
        context.forward(new Record<>(instrumentOf.apply(decoded), decoded, record.timestamp(), headers), next);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Throwable cause) {
        context.forward(new Record<>(stage, DeadLetters.of(context, record.timestamp(), record.key(), record.value(),
                stage, reason, cause), record.timestamp()), NodeNames.DEADLETTER_SINK);
    }
}
