package io.riptide.embedded.internal;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka and PostgreSQL in Docker containers (Testcontainers), for the integration tests of the Maven profile
 * {@code testcontainers} ({@code ./mvnw verify -Ptestcontainers}, docs/OPS.md): the same tests against the brokers
 * and databases users deploy, on machines that have Docker. Never used without the profile; the normal build runs
 * everything in-process and needs no Docker.
 */
public final class Containers {
    /** Set by the profile; {@code EmbeddedRuntime} then starts these instead of the in-process ones. */
    public static final String SWITCH = "riptide.runtime";
    public static final String KAFKA_IMAGE = "riptide.testcontainers.kafka.image";
    public static final String POSTGRES_IMAGE = "riptide.testcontainers.postgres.image";

    private Containers() {
    }

    public static boolean enabled() {
        return "testcontainers".equals(System.getProperty(SWITCH));
    }

    public static KafkaServer kafka() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(
                System.getProperty(KAFKA_IMAGE, "apache/kafka:4.1.0")))
                // as the in-process broker: exactly-once on one node, 17 MiB records, no initial rebalance delay
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(EmbeddedKafka.MESSAGE_MAX_BYTES))
                .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(EmbeddedKafka.MESSAGE_MAX_BYTES));
        container.start();
        return new KafkaServer() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public String description() {
                return "Kafka container " + container.getDockerImageName();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    /** User and password {@code postgres}, like the in-process server; its database {@code postgres} exists. */
    public static PostgresServer postgres() {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(
                System.getProperty(POSTGRES_IMAGE, "postgres:16")))
                .withDatabaseName("postgres").withUsername("postgres").withPassword("postgres");
        container.start();
        return new PostgresServer() {
            @Override
            public int port() {
                return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            }

            @Override
            public String jdbcUrl(String database) {
                return "jdbc:postgresql://" + container.getHost() + ":" + port() + "/" + database;
            }

            @Override
            public String description() {
                return "PostgreSQL container " + container.getDockerImageName();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
