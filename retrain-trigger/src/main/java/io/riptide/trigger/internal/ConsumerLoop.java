package io.riptide.trigger.internal;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Polls one topic on its own thread and hands each batch to a handler; offsets are committed only after the
 * handler returns, so a crash re-delivers the batch (handlers are idempotent). A handler failure stops the loop
 * loudly rather than skipping data.
 */
public final class ConsumerLoop<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Processes a batch of values (never empty). */
    public interface BatchHandler<V> {
        void handle(List<ConsumerRecord<String, V>> batch);
    }

    private final String name;
    private final Consumer<String, V> consumer;
    private final BatchHandler<V> handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public ConsumerLoop(String name, Consumer<String, V> consumer, String topic, BatchHandler<V> handler) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        consumer.subscribe(Set.of(topic));
        this.thread = new Thread(this::run, "riptide-" + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<String, V>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                handler.handle(batch);
                consumer.commitSync();
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

    public String name() {
        return name;
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
