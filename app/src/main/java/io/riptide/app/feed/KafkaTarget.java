package io.riptide.app.feed;

import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.MarketFeedProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Where records go: Kafka and the schema registry, or nowhere with {@code --dry-run}. */
final class KafkaTarget {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            defaultValue = "${env:RIPTIDE_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (default: $RIPTIDE_KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL", defaultValue = "${env:RIPTIDE_SCHEMA_REGISTRY_URL}",
            description = "Schema registry URL (default: $RIPTIDE_SCHEMA_REGISTRY_URL)")
    String schemaRegistryUrl;

    @Option(names = "--dry-run", description = "Read, rebuild and count everything, but send nothing to Kafka")
    boolean dryRun;

    /** An open Kafka sink, after checking the broker answers; null in a dry run. */
    KafkaMarketEventSink open(String clientId) throws InterruptedException {
        if (dryRun) {
            return null;
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers: pass --bootstrap-servers, set "
                    + "RIPTIDE_KAFKA_BOOTSTRAP_SERVERS, or use --dry-run");
        }
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new IllegalArgumentException("no schema registry: pass --schema-registry, set "
                    + "RIPTIDE_SCHEMA_REGISTRY_URL, or use --dry-run");
        }
        checkReachable();
        return new KafkaMarketEventSink(MarketFeedProducer.create(bootstrapServers, schemaRegistryUrl, clientId,
                Map.of()));
    }

    private void checkReachable() throws InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no answer in 15 s"));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("bad Kafka bootstrap servers '" + bootstrapServers + "': "
                    + e.getMessage());
        }
    }
}
