package io.riptide.app.backtest;

import io.riptide.schemas.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Knows when a consumer group has processed everything written to its topics. Every topic here is written only
 * by transactional producers, so once a partition's transactions are complete its log ends with a transaction
 * marker and its high watermark equals its last stable offset. A group is caught up when no partition has a
 * transaction still completing (high watermark above the last stable offset: a producer's commit returns before
 * the coordinator has written every marker) and its committed offset has reached the last stable offset minus the
 * marker (a consumer commits the offset after its last record; whether it has read past the marker yet varies).
 */
final class Lockstep implements AutoCloseable {
    private final Admin admin;
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();

    Lockstep(Admin admin) {
        this.admin = admin;
    }

    /** Waits until {@code group} has committed, on every partition of {@code topics}, all that is committed there. */
    void awaitCaughtUp(String group, List<Topic<?>> topics, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(group, topics)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": consumer group " + group + " did not catch up on " + topics
                        + " within " + timeout);
            }
            Thread.sleep(3);
        }
    }

    boolean caughtUp(String group, List<Topic<?>> topics) {
        try {
            List<TopicPartition> all = new ArrayList<>();
            for (Topic<?> t : topics) {
                all.addAll(partitionsOf(t.name()));
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            all.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            var written = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (TopicPartition p : all) {
                long end = ends.get(p).offset();
                if (written.get(p).offset() != end) {
                    return false; // a transaction on it is open or still completing
                }
                if (end == 0) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(p);
                if (c == null || c.offset() < end - 1) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read offsets of " + group + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private List<TopicPartition> partitionsOf(String topic) throws ExecutionException, InterruptedException,
            TimeoutException {
        List<TopicPartition> cached = partitions.get(topic);
        if (cached != null) {
            return cached;
        }
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        List<TopicPartition> list = d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        synchronized (partitions) {
            partitions.put(topic, list);
        }
        return list;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
