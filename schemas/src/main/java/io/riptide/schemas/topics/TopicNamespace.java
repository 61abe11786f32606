package io.riptide.schemas.topics;

import org.apache.avro.specific.SpecificRecord;

import java.util.List;
import java.util.Objects;

/**
 * Riptide's topics under an optional name prefix, so several copies of the pipeline can share one cluster (a
 * staging copy, the arms of a backtest) without reading each other's records. With the empty prefix
 * ({@link #NONE}) every topic keeps the name DESIGN.md gives it.
 */
public final class TopicNamespace {
    public static final TopicNamespace NONE = new TopicNamespace("");

    private final String prefix;

    private TopicNamespace(String prefix) {
        this.prefix = prefix;
    }

    /**
     * @param prefix empty, or up to 100 characters of {@code [A-Za-z0-9._-]} (what Kafka allows in topic names)
     * @throws IllegalArgumentException for any other prefix
     */
    public static TopicNamespace of(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            return NONE;
        }
        if (prefix.length() > 100 || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a topic prefix is up to 100 characters of A-Z a-z 0-9 . _ -");
        }
        return new TopicNamespace(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The topic as this namespace names it. */
    public <V extends SpecificRecord> Topic<V> topic(Topic<V> topic) {
        return prefix.isEmpty() ? topic : topic.renamed(prefix + topic.name());
    }

    public String name(Topic<?> topic) {
        return prefix + topic.name();
    }

    /** Every topic of {@link Topics#ALL} in this namespace. */
    public List<Topic<?>> all() {
        return Topics.ALL.stream().<Topic<?>>map(this::topic).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicNamespace other && other.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "(no topic prefix)" : "topic prefix '" + prefix + "'";
    }
}
