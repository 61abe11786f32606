package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.MarketHeartbeat;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends market records to their topics, keyed by instrument id, and heartbeats ({@link MarketHeartbeat}) to the
 * inputs a {@link Heartbeats} decorator says are quiet. Records carry their exchange (event) time in the payload;
 * the record timestamp is the broker's append time (the topics are created with {@code LogAppendTime}), so a replay
 * of an old day is retained like live data.
 *
 * <p>Sends are asynchronous. The first send failure is kept (later ones are attached as suppressed) and thrown from
 * the next {@link #flush()} or {@link #close()}, so a broken pipeline never looks like a quiet market.
 */
public final class KafkaMarketEventSink implements MarketEventSink, AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final TopicNamespace topics;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private boolean failureThrown;
    private final AtomicLong failedSends = new AtomicLong();
    // written by the one producing thread, read by progress reporters
    private volatile long trades;
    private volatile long books;
    private volatile long liquidations;
    private volatile long bars;
    private volatile long heartbeats;
    private boolean closed;

    public KafkaMarketEventSink(Producer<String, SpecificRecord> producer) {
        this(producer, TopicNamespace.NONE);
    }

    public KafkaMarketEventSink(Producer<String, SpecificRecord> producer, TopicNamespace topics) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    public void onTrade(Trade trade) {
        send(Topics.TRADES, trade.getInstrument(), trade.getExchangeTimeMs(), trade);
        trades++;
    }

    @Override
    public void onBook(BookSnapshot book) {
        send(Topics.BOOKS, book.getInstrument(), book.getExchangeTimeMs(), book);
        books++;
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        send(Topics.LIQUIDATIONS, liquidation.getInstrument(), liquidation.getExchangeTimeMs(), liquidation);
        liquidations++;
    }

    @Override
    public void onKline(Bar kline) {
        send(Topics.KLINES, kline.getInstrument(), kline.getCloseTimeMs(), kline);
        bars++;
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        throwIfFailed();
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topics.name(input), null,
                (Long) Math.max(0, timeMs), instrument, (SpecificRecord) null);
        record.headers().add(MarketHeartbeat.HEADER, MarketHeartbeat.encode(timeMs));
        producer.send(record, (metadata, exception) -> onSent(record.topic(), instrument, exception));
        heartbeats++;
    }

    /** Heartbeats sent. */
    public long heartbeats() {
        return heartbeats;
    }

    /** Records handed to the producer, per type (sent or still in flight). */
    public long trades() {
        return trades;
    }

    public long books() {
        return books;
    }

    public long liquidations() {
        return liquidations;
    }

    /** Klines sent. */
    public long bars() {
        return bars;
    }

    /** Number of sends the broker refused so far. */
    public long failedSends() {
        return failedSends.get();
    }

    /** Waits for every send in flight and throws the first failure, if any. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        throwIfFailed();
    }

    private <V extends SpecificRecord> void send(Topic<V> topic, CharSequence instrument, long eventTimeMs, V value) {
        throwIfFailed();
        String key = instrument.toString();
        String name = topics.name(topic);
        producer.send(new ProducerRecord<>(name, null, eventTimeMs, key, value),
                (metadata, exception) -> onSent(name, key, exception));
    }

    private void onSent(String topic, String key, Exception exception) {
        if (exception != null) {
            failedSends.incrementAndGet();
            RuntimeException wrapped = new IllegalStateException(
                    "send to " + topic + " failed for key " + key + ": " + exception.getMessage(), exception);
            // one exception is shared by every record of a failed batch: attach it once
            if (!failure.compareAndSet(null, wrapped) && failure.get().getCause() != exception) {
                failure.get().addSuppressed(exception);
            }
        }
    }

    /**
     * Throws the first failure the first time; afterwards a new exception caused by it, so that flush() and then
     * close() in a try-with-resources do not throw the same instance twice (Java cannot suppress an exception into
     * itself).
     */
    private void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e == null) {
            return;
        }
        if (!failureThrown) {
            failureThrown = true;
            throw e;
        }
        throw new IllegalStateException("the sink failed earlier: " + e.getMessage(), e);
    }
}
