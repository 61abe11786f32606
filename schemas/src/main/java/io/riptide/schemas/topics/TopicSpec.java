package io.riptide.schemas.topics;

import java.util.Map;
import java.util.Objects;

/**
 * How a topic is created: partition count and topic-level configs. The replication factor comes from the
 * deployment (1 embedded, 3 in production), so it is not part of the spec.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
        configs = Map.copyOf(configs);
    }
}
