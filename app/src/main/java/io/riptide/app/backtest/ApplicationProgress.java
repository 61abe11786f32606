package io.riptide.app.backtest;

import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the broker says of an application's progress through the market topics, and of its topics' sizes. */
final class ApplicationProgress {
    private ApplicationProgress() {
    }

    /** Waits until the application has committed every market record written so far; false after the timeout. */
    static boolean drain(Admin admin, String applicationId, TopicNamespace topics, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = endOffsets(admin, topics);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        while (committed(admin, applicationId, ends) < total) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** End offsets of the market input topics in {@code topics}. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, TopicNamespace topics) throws Exception {
        return endOffsets(admin, Topics.MARKET_INPUTS.stream().<Topic<?>>map(topics::topic).toList());
    }

    /** End offsets of every partition of these topics (names as given: already in their namespace). */
    static Map<TopicPartition, Long> endOffsets(Admin admin, List<Topic<?>> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (Topic<?> t : topics) {
            for (int p = 0; p < t.spec().partitions(); p++) {
                request.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** Records of {@code ends} the group has committed past, each partition counted up to its end. */
    static long committed(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        long done = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata o = offsets.get(e.getKey());
            done += o == null ? 0 : Math.min(o.offset(), e.getValue());
        }
        return done;
    }

    /** Bytes of each changelog topic of the application, by store name. */
    static Map<String, Long> changelogBytesByStore(Admin admin, String applicationId) throws Exception {
        Map<String, Long> changelog = new java.util.TreeMap<>();
        String prefix = applicationId + "-";
        String suffix = "-changelog";
        topicBytes(admin).forEach((topic, bytes) -> {
            if (topic.startsWith(prefix) && topic.endsWith(suffix)) {
                changelog.put(topic.substring(prefix.length(), topic.length() - suffix.length()), bytes);
            }
        });
        return changelog;
    }

    /** Bytes on the broker's disks per topic (one broker, one replica each). */
    static Map<String, Long> topicBytes(Admin admin) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
        Map<String, Long> bytes = new HashMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                dir.replicaInfos().forEach((tp, info) -> bytes.merge(tp.topic(), info.size(), Long::sum));
            }
        }
        return bytes;
    }
}
