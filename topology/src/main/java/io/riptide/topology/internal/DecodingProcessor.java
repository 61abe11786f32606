package io.riptide.topology.internal;

import io.riptide.features.MarketSource;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import io.riptide.schemas.topics.MarketHeartbeat;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Turns raw bytes from a market topic into a validated record. Anything that cannot be decoded (whatever the decoder
 * throws, an Error included: a crafted record must not kill the stream thread), fails validation, has no key, or is
 * keyed by something other than its instrument goes to the dead-letter topic with the reason; the stream goes on.
 * A schema registry that can't be reached is an outage, not a bad record: the record is retried with backoff for up
 * to {@link #OUTAGE_MAX_WAIT_MS}, then the exception is rethrown, the task fails without committing (see
 * {@link DeadLetterProcessingExceptionHandler}) and the record is read again once the thread is replaced.
 * A feed's heartbeat ({@link MarketHeartbeat}: null value, watermark header) is passed on as a
 * {@link Messages.Heartbeat} of this topic's source.
 */
public final class DecodingProcessor<T extends SpecificRecord> implements Processor<byte[], byte[], String, Object> {
    /** Header carrying the record's original value bytes to the processors after decoding. */
    static final String RAW_VALUE_HEADER = "riptide.raw-value";
    /** How long one record waits out a registry outage in place, well inside the consumer's max.poll.interval. */
    static final long OUTAGE_MAX_WAIT_MS = 60_000;
    private static final long OUTAGE_FIRST_BACKOFF_MS = 100;
    private static final long OUTAGE_MAX_BACKOFF_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(DecodingProcessor.class);

    private final String stage;
    private final MarketSource source;
    private final Deserializer<T> deserializer;
    private final Function<T, String> instrumentOf;
    private final String next;
    private final long outageMaxWaitMs;
    private ProcessorContext<String, Object> context;

    public DecodingProcessor(String stage, MarketSource source, Deserializer<T> deserializer,
                             Function<T, String> instrumentOf, String next) {
        this(stage, source, deserializer, instrumentOf, next, OUTAGE_MAX_WAIT_MS);
    }

    DecodingProcessor(String stage, MarketSource source, Deserializer<T> deserializer,
                      Function<T, String> instrumentOf, String next, long outageMaxWaitMs) {
        this.stage = stage;
        this.source = source;
        this.deserializer = deserializer;
        this.instrumentOf = instrumentOf;
        this.next = next;
        this.outageMaxWaitMs = outageMaxWaitMs;
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
        if (record.key() == null) {
            deadLetter(record, "record without a key: a market record is keyed by its instrument", null);
            return;
        }
        T decoded;
        String instrument;
        String problem;
        try {
            decoded = decodeWaitingOutRegistryOutages(topic, record.value());
            if (decoded == null) {
                deadLetter(record, "empty value (tombstone) on a market topic", null);
                return;
            }
            instrument = instrumentOf.apply(decoded);
            problem = MarketRecordValidator.check(decoded);
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            // decoding is bounded (AvroWireDeserializer), so this is the JVM's memory, not the record's doing
            throw e;
        } catch (Throwable e) {
            deadLetter(record, "cannot decode: " + describe(e), e);
            return;
        }
        if (problem == null) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (!key.equals(instrument)) {
                problem = "record key '" + key + "' does not match instrument '" + instrument + "'";
            }
        }
        if (problem != null) {
            deadLetter(record, problem, null);
            return;
        }
        // the original bytes ride along, so a later stage that refuses the record can still dead-letter them
        Headers headers = new RecordHeaders().add(RAW_VALUE_HEADER, record.value());
        context.forward(new Record<>(instrument, decoded, record.timestamp(), headers), next);
    }

    private T decodeWaitingOutRegistryOutages(String topic, byte[] value) {
        long waitedMs = 0;
        long backoffMs = OUTAGE_FIRST_BACKOFF_MS;
        while (true) {
            try {
                return deserializer.deserialize(topic, value);
            } catch (SchemaRegistryUnavailableException e) {
                if (waitedMs >= outageMaxWaitMs) {
                    LOG.error("{}: schema registry still unreachable after {} ms; failing the task so the record is "
                            + "read again, not dead-lettered: {}", stage, waitedMs, e.getMessage());
                    throw e;
                }
                if (waitedMs == 0) {
                    LOG.warn("{}: schema registry unreachable, retrying the record: {}", stage, e.getMessage());
                }
                long sleepMs = Math.min(backoffMs, outageMaxWaitMs - waitedMs);
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitedMs += sleepMs;
                backoffMs = Math.min(backoffMs * 2, OUTAGE_MAX_BACKOFF_MS);
            }
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
