package io.riptide.schemas.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics an application needs, with their spec's partitions and configs. Idempotent. An existing topic
 * whose partition count differs from its spec is an error, because keyed state would be partitioned differently
 * from what the code assumes. An existing topic whose configs differ from its spec (say {@code models.versions}
 * created by hand with {@code cleanup.policy=delete}, which would silently lose model versions) is brought to the
 * spec's values; if that is not allowed, start-up fails naming the topic, key and both values.
 */
public final class TopicBootstrap {
    private static final long TIMEOUT_SECONDS = 60;

    private TopicBootstrap() {
    }

    private static void alignConfigs(Admin admin, Collection<Topic<?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> resources = topics.stream().filter(t -> !t.spec().configs().isEmpty())
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        if (resources.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> actual = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        List<String> differences = new ArrayList<>();
        for (Topic<?> topic : topics) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            Config config = actual.get(resource);
            if (config == null) {
                continue;
            }
            topic.spec().configs().forEach((key, wanted) -> {
                ConfigEntry entry = config.get(key);
                String current = entry == null ? null : entry.value();
                if (!wanted.equals(current)) {
                    differences.add(topic.name() + " " + key + "=" + current + " (spec: " + wanted + ")");
                    changes.computeIfAbsent(resource, r -> new ArrayList<>())
                            .add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                }
            });
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            admin.incrementalAlterConfigs(changes).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("existing topics differ from their spec and cannot be altered ("
                    + e.getCause().getMessage() + "): " + String.join("; ", differences), e.getCause());
        }
    }

    /** A topic just created may be unknown to the broker answering for a moment: retry for a few seconds. */
    private static Map<String, TopicDescription> describeOnceKnown(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void alignConfigsOnceKnown(Admin admin, Collection<Topic<?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                alignConfigs(admin, topics);
                return;
            } catch (ExecutionException | IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Returns once the leader of every partition of the topics just created answers for it. Until the leader has
     * applied the creation, a produce request fails with a retriable NOT_LEADER_OR_FOLLOWER; a later request of the
     * same idempotent producer may already be accepted, and then the earlier one spins on OUT_OF_ORDER_SEQUENCE_NUMBER
     * until {@code delivery.timeout.ms} drops its records (KAFKA-15591, fixed by the broker in Kafka 4.5). A
     * ListOffsets request is answered by the same partition state on the leader as a produce request. Call it after
     * creating a topic that is written at once.
     */
    public static void awaitLeadersServing(Admin admin, List<String> created)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (created.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions = describeOnceKnown(admin, created);
        Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
        for (String name : created) {
            descriptions.get(name).partitions()
                    .forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!partitions.isEmpty()) {
            var offsets = admin.listOffsets(partitions);
            for (TopicPartition partition : List.copyOf(partitions.keySet())) {
                try {
                    offsets.partitionResult(partition).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    partitions.remove(partition);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            if (!partitions.isEmpty()) {
                Thread.sleep(50);
            }
        }
    }

    public static void ensureTopics(Admin admin, Collection<Topic<?>> topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> created = new ArrayList<>();
            for (Topic<?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), topic.spec().partitions(), replicationFactor)
                            .configs(topic.spec().configs()));
                }
            }
            if (!missing.isEmpty()) {
                var results = admin.createTopics(missing).values();
                created.addAll(results.keySet());
                for (var entry : results.entrySet()) {
                    try {
                        entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                    }
                }
            }
            List<String> names = topics.stream().map(Topic::name).toList();
            Map<String, TopicDescription> descriptions = describeOnceKnown(admin, names);
            for (Topic<?> topic : topics) {
                int actual = descriptions.get(topic.name()).partitions().size();
                if (actual != topic.spec().partitions()) {
                    throw new IllegalStateException("topic " + topic.name() + " exists with " + actual
                            + " partitions but its spec requires " + topic.spec().partitions()
                            + "; delete it or fix the spec");
                }
            }
            alignConfigsOnceKnown(admin, topics);
            awaitLeadersServing(admin, created);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot ensure topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot ensure topics: broker did not answer within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ensuring topics", e);
        }
    }
}
