package io.riptide.embedded.internal;

/** A running Kafka broker set up for exactly-once on one node. */
public interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    /** How the broker was started, for the start-up log line. */
    default String description() {
        return "Kafka " + bootstrapServers();
    }

    @Override
    void close() throws Exception;
}
