package io.riptide.schemas.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics an application needs, with their spec's partitions and configs. Idempotent: existing topics
 * are left alone, but one whose partition count differs from its spec is an error, because keyed state would be
 * partitioned differently from what the code assumes.
 */
public final class TopicBootstrap {
    private static final long TIMEOUT_SECONDS = 60;

    private TopicBootstrap() {
    }

    public static void ensureTopics(Admin admin, Collection<Topic<?>> topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), topic.spec().partitions(), replicationFactor)
                            .configs(topic.spec().configs()));
                }
            }
            if (!missing.isEmpty()) {
                var results = admin.createTopics(missing).values();
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
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (Topic<?> topic : topics) {
                int actual = descriptions.get(topic.name()).partitions().size();
                if (actual != topic.spec().partitions()) {
                    throw new IllegalStateException("topic " + topic.name() + " exists with " + actual
                            + " partitions but its spec requires " + topic.spec().partitions()
                            + "; delete it or fix the spec");
                }
            }
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
