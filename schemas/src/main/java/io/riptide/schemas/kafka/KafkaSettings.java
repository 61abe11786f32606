package io.riptide.schemas.kafka;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Redaction;
import io.riptide.schemas.config.Settings;

import java.util.Map;

/**
 * Where Kafka and the Schema Registry are, shared by every service. {@code kafka.client.*} settings are passed
 * through to every client (security, SASL, ...). {@link #toString()} and error messages hide credentials: the
 * registry URL's user info and the values of secret client settings ({@link Redaction}).
 */
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, short replicationFactor,
                            Map<String, String> clientOverrides) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("missing required setting kafka.bootstrap.servers");
        }
        if (schemaRegistryUrl == null || !schemaRegistryUrl.matches("https?://.+")) {
            throw new ConfigException("invalid value '" + Redaction.url(schemaRegistryUrl)
                    + "' for schema.registry.url: expected an http(s):// URL");
        }
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public static KafkaSettings from(Settings settings) {
        return new KafkaSettings(
                settings.requiredString("kafka.bootstrap.servers"),
                settings.requiredString("schema.registry.url"),
                (short) settings.intValue("kafka.replication.factor", 1, 1, 7),
                settings.withPrefix("kafka.client."));
    }

    public KafkaSettings withEndpoints(String bootstrap, String registryUrl) {
        return new KafkaSettings(bootstrap, registryUrl, replicationFactor, clientOverrides);
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", schemaRegistryUrl="
                + Redaction.url(schemaRegistryUrl) + ", replicationFactor=" + replicationFactor + ", clientOverrides="
                + Redaction.settings(clientOverrides) + "]";
    }
}
