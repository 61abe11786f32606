package io.riptide.topology.internal;

import io.riptide.features.MarketSource;
import io.riptide.schemas.topics.MarketHeartbeat;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
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
 * A feed's heartbeat ({@link MarketHeartbeat}: null value, watermark header) is passed on as a
 * {@link Messages.Heartbeat} of this topic's source.
 */
public final class DecodingProcessor<T extends SpecificRecord> implements Processor<byte[], byte[], String, Object> {
    /** Header carrying the record's original value bytes to the processors after decoding. */
    static final String RAW_VALUE_HEADER = "riptide.raw-value";

    private final String stage;
    private final MarketSource source;
    private final Deserializer<T> deserializer;
    private final Function<T, String> instrumentOf;
    private final String next;
    private ProcessorContext<String, Object> context;

    public DecodingProcessor(String stage, MarketSource source, Deserializer<T> deserializer,
                             Function<T, String> instrumentOf, String next) {
        this.stage = stage;
        this.source = source;
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
        Header watermark = record.headers().lastHeader(MarketHeartbeat.HEADER);
        if (record.value() == null && watermark != null) {
            heartbeat(record, watermark);
            return;
        }
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

    private void heartbeat(Record<byte[], byte[]> record, Header watermark) {
        if (record.key() == null) {
            deadLetter(record, "heartbeat without a key: a heartbeat is keyed by its instrument", null);
            return;
        }
        long time;
        try {
            time = MarketHeartbeat.decode(watermark.value());
        } catch (IllegalArgumentException e) {
            deadLetter(record, e.getMessage(), null);
            return;
        }
        context.forward(new Record<>(new String(record.key(), StandardCharsets.UTF_8),
                new Messages.Heartbeat(source, time), record.timestamp()), next);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Throwable cause) {
        context.forward(new Record<>(stage, DeadLetters.of(context, record.timestamp(), record.key(), record.value(),
                stage, reason, cause), record.timestamp()), NodeNames.DEADLETTER_SINK);
    }
}
