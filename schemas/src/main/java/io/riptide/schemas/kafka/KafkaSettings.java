package io.riptide.schemas.kafka;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Redaction;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.topics.TopicNamespace;

import java.util.Map;

/**
 * Where Kafka and the Schema Registry are, shared by every service. {@code kafka.client.*} settings are passed
 * through to every client (security, SASL, ...). {@code kafka.topic.prefix} puts every Riptide topic of the
 * services under a namespace ({@link TopicNamespace}), e.g. for a staging copy on a shared cluster.
 * {@link #toString()} and error messages hide credentials: the registry URL's user info and the values of secret
 * client settings ({@link Redaction}).
 */
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, short replicationFactor,
                            Map<String, String> clientOverrides, TopicNamespace topics) {

    public KafkaSettings(String bootstrapServers, String schemaRegistryUrl, short replicationFactor,
                         Map<String, String> clientOverrides) {
        this(bootstrapServers, schemaRegistryUrl, replicationFactor, clientOverrides, TopicNamespace.NONE);
    }

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("missing required setting kafka.bootstrap.servers");
        }
        if (schemaRegistryUrl == null || !schemaRegistryUrl.matches("https?://.+")) {
            throw new ConfigException("invalid value '" + Redaction.url(schemaRegistryUrl)
                    + "' for schema.registry.url: expected an http(s):// URL");
        }
        clientOverrides = Map.copyOf(clientOverrides);
        java.util.Objects.requireNonNull(topics, "topics");
    }

    public static KafkaSettings from(Settings settings) {
        return new KafkaSettings(
                settings.requiredString("kafka.bootstrap.servers"),
                settings.requiredString("schema.registry.url"),
                (short) settings.intValue("kafka.replication.factor", 1, 1, 7),
                settings.withPrefix("kafka.client."),
                topicNamespace(settings.string("kafka.topic.prefix", "")));
    }

    private static TopicNamespace topicNamespace(String prefix) {
        try {
            return TopicNamespace.of(prefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid value '" + prefix + "' for kafka.topic.prefix: " + e.getMessage());
        }
    }

    public KafkaSettings withEndpoints(String bootstrap, String registryUrl) {
        return new KafkaSettings(bootstrap, registryUrl, replicationFactor, clientOverrides, topics);
    }

    public KafkaSettings withTopics(TopicNamespace namespace) {
        return new KafkaSettings(bootstrapServers, schemaRegistryUrl, replicationFactor, clientOverrides, namespace);
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", schemaRegistryUrl="
                + Redaction.url(schemaRegistryUrl) + ", replicationFactor=" + replicationFactor + ", clientOverrides="
                + Redaction.settings(clientOverrides) + (topics.prefix().isEmpty() ? "" : ", topics=" + topics) + "]";
    }
}
