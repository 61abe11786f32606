package io.riptide.schemas.topics;

import org.apache.avro.specific.SpecificRecord;

import java.util.Objects;

/**
 * A topic as a typed value: its name, the Avro class its values hold, and how it is created. Wiring code takes
 * a {@code Topic<V>} rather than a string, so a topic is never paired with the wrong serde.
 */
public final class Topic<V extends SpecificRecord> {
    private final TopicSpec spec;
    private final Class<V> valueClass;

    public Topic(TopicSpec spec, Class<V> valueClass) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.valueClass = Objects.requireNonNull(valueClass, "valueClass");
    }

    public String name() {
        return spec.name();
    }

    public TopicSpec spec() {
        return spec;
    }

    public Class<V> valueClass() {
        return valueClass;
    }

    /** The same topic (value class, partitions, configs) under another name. */
    public Topic<V> renamed(String name) {
        return new Topic<>(new TopicSpec(name, spec.partitions(), spec.configs()), valueClass);
    }

    /** The same topic with another partition count. */
    public Topic<V> withPartitions(int partitions) {
        return new Topic<>(new TopicSpec(spec.name(), partitions, spec.configs()), valueClass);
    }

    @Override
    public String toString() {
        return spec.name() + "<" + valueClass.getSimpleName() + ">";
    }
}
