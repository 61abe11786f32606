package io.riptide.app.services;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riptide.app.services.http.HealthChecks;
import io.riptide.app.services.http.OpsApiConfig;
import io.riptide.app.services.http.ServiceHttpServer;
import io.riptide.app.services.http.ServiceMetrics;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code riptide stream}: the Kafka Streams application against external Kafka and Schema Registry. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Run the stream application (features, predictions, outcomes, monitoring) against external Kafka.")
public final class StreamCommand implements Callable<Integer> {
    static final int DEFAULT_HTTP_PORT = 9400;

    @Mixin
    ConfigOptions config;

    @Mixin
    HttpPortOptions http;

    @Option(names = "--create-topics", description = "Create missing Riptide topics before starting.")
    boolean createTopics;

    @Option(names = "--describe", description = "Print the topology description and exit.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        int port = http.port(DEFAULT_HTTP_PORT);
        Settings settings = config.load();
        StreamConfig streamConfig = StreamConfig.from(settings);
        OpsApiConfig httpConfig = OpsApiConfig.bindOnly(settings);
        KafkaClientFactory clients = new KafkaClientFactory(streamConfig.kafka());
        PrometheusMeterRegistry metrics = ServiceMetrics.prometheus();
        StreamService service = new StreamService(streamConfig, FeatureSets.liquidation(), clients, metrics);
        if (describe) {
            System.out.println(service.topology().describe());
            service.close();
            return 0;
        }
        if (createTopics) {
            clients.ensureTopics();
        }
        List<Service> services = new ArrayList<>();
        if (port > 0) {
            services.add(ServiceHttpServer.builder("stream").bind(httpConfig.bindAddress(), port).metrics(metrics)
                    .live(HealthChecks.streamAlive(service))
                    .ready(HealthChecks.streamReady(service))
                    .ready(HealthChecks.schemaRegistry(streamConfig.kafka().schemaRegistryUrl()))
                    .build());
        }
        services.add(service);
        return ServiceRunner.runUntilStopped(services);
    }
}
