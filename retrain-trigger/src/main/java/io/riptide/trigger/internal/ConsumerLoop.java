package io.riptide.trigger.internal;

import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Polls one topic on its own thread and hands each batch to a handler; offsets are committed only after the
 * handler returns, so a crash re-delivers the batch (handlers are idempotent). A handler failure stops the loop
 * loudly rather than skipping data. A record that can't be decoded is not data: it goes to the dead-letter topic with
 * the reason and the loop reads on past it; a schema registry that can't be reached is an outage, waited out with
 * backoff on the same record.
 */
public final class ConsumerLoop<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Processes a batch of values (never empty). */
    public interface BatchHandler<V> {
        void handle(List<ConsumerRecord<String, V>> batch);
    }

    /** Writes a dead letter durably (returns once the broker has it). */
    public interface DeadLetterSink {
        void write(DeadLetter letter);
    }

    private static final long OUTAGE_FIRST_BACKOFF_MS = 200;
    private static final long OUTAGE_MAX_BACKOFF_MS = 10_000;

    private final String name;
    private final Consumer<String, V> consumer;
    private final BatchHandler<V> handler;
    private final DeadLetterSink deadLetters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long deadLettered;
    private long outageBackoffMs = OUTAGE_FIRST_BACKOFF_MS;
    private Map<TopicPartition, Long> committedPositions = Map.of();

    public ConsumerLoop(String name, Consumer<String, V> consumer, String topic, BatchHandler<V> handler,
                        DeadLetterSink deadLetters) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        this.deadLetters = deadLetters;
        consumer.subscribe(Set.of(topic));
        this.thread = new Thread(this::run, "riptide-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Commits a position that moved without a record, past a transaction marker or an aborted batch: otherwise the
     * group's lag never reaches zero on a transactional topic, and whoever watches it (ops, a bench's drain) waits
     * for records that will never come.
     */
    private void commitIfMoved() {
        Map<TopicPartition, Long> now = positions();
        if (!now.equals(committedPositions)) {
            consumer.commitSync();
            committedPositions = now;
        }
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition p : consumer.assignment()) {
            positions.put(p, consumer.position(p));
        }
        return positions;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, V> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    undecodable(e);
                    continue;
                }
                outageBackoffMs = OUTAGE_FIRST_BACKOFF_MS;
                if (records.isEmpty()) {
                    commitIfMoved();
                    continue;
                }
                List<ConsumerRecord<String, V>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                handler.handle(batch);
                consumer.commitSync();
                committedPositions = positions();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("{} stopped: {}", name, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Records before the bad one were returned by earlier polls, so skipping its offset skips nothing else. It is
     * dead-lettered before the skip: a crash in between dead-letters it again rather than losing it.
     */
    private void undecodable(RecordDeserializationException e) {
        if (registryOutage(e)) {
            LOG.warn("{}: schema registry unreachable at {}@{}; retrying in {} ms: {}", name, e.topicPartition(),
                    e.offset(), outageBackoffMs, e.getMessage());
            try {
                Thread.sleep(outageBackoffMs);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                running = false;
            }
            outageBackoffMs = Math.min(outageBackoffMs * 2, OUTAGE_MAX_BACKOFF_MS);
            consumer.seek(e.topicPartition(), e.offset());
            return;
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String reason = "cannot decode: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage());
        LOG.warn("{}: record {}@{} dead-lettered: {}", name, e.topicPartition(), e.offset(), reason);
        deadLetters.write(DeadLetter.newBuilder()
                .setSourceTopic(e.topicPartition().topic()).setPartition(e.topicPartition().partition())
                .setOffset(e.offset()).setTimestampMs(e.timestamp())
                .setKey(copy(e.keyBuffer())).setValue(copy(e.valueBuffer()))
                .setStage(name).setError(reason).setErrorClass(cause.getClass().getName())
                .setDeadLetteredAtMs(System.currentTimeMillis()).build());
        deadLettered++;
        consumer.seek(e.topicPartition(), e.offset() + 1);
    }

    private static boolean registryOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer slice = buffer.duplicate();
        byte[] bytes = new byte[slice.remaining()];
        slice.get(bytes);
        return ByteBuffer.wrap(bytes);
    }

    public String name() {
        return name;
    }

    /** Records this loop could not decode and sent to the dead-letter topic. */
    public long deadLettered() {
        return deadLettered;
    }

    /** Started, still polling, and not stopped by an error. */
    public boolean alive() {
        return thread.isAlive() && failure == null;
    }

    /** The error that stopped the loop, if any. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
