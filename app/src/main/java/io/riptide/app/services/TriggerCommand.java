package io.riptide.app.services;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riptide.app.services.http.HealthCheck;
import io.riptide.app.services.http.HealthChecks;
import io.riptide.app.services.http.OpsApiConfig;
import io.riptide.app.services.http.OpsHttpApi;
import io.riptide.app.services.http.ServiceHttpServer;
import io.riptide.app.services.http.ServiceMetrics;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.TriggerService;
import io.riptide.trigger.api.OpsSettings;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code riptide trigger}: the retrain-trigger service against external Kafka and PostgreSQL. */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = {"Run the retrain-trigger service (example sink, policies, training jobs, model publishing)",
                "with its HTTP server: /health, /metrics, the ops API (/api) and the web console (/)."})
public final class TriggerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerCommand.class);
    static final int DEFAULT_HTTP_PORT = 9401;

    @Mixin
    ConfigOptions config;

    @Mixin
    HttpPortOptions http;

    @Override
    public Integer call() throws Exception {
        int port = http.port(DEFAULT_HTTP_PORT);
        Settings settings = config.load();
        TriggerConfig triggerConfig = TriggerConfig.from(settings);
        OpsSettings opsSettings = OpsSettings.from(settings);
        OpsApiConfig api = OpsApiConfig.from(settings);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(triggerConfig.database().jdbcUrl());
        dataSource.setUser(triggerConfig.database().user());
        dataSource.setPassword(triggerConfig.database().password());
        PrometheusMeterRegistry metrics = ServiceMetrics.prometheus();
        TriggerService service = new TriggerService(triggerConfig, opsSettings,
                new KafkaClientFactory(triggerConfig.kafka()), dataSource, metrics);
        service.authorizeKafkaOpsRequests(api.tokens().kafkaAuthority());
        List<Service> services = new ArrayList<>();
        if (port > 0) {
            services.add(server(service, api, port, metrics, triggerConfig.kafka().schemaRegistryUrl()));
        }
        services.add(service);
        return ServiceRunner.runUntilStopped(services);
    }

    /** The trigger's HTTP server: health, metrics, ops API and console. */
    public static ServiceHttpServer server(TriggerService service, OpsApiConfig api, int port,
                                           PrometheusMeterRegistry metrics, String schemaRegistryUrl) {
        if (api.tokens().isEmpty()) {
            LOG.warn("no ops API tokens configured (ops.api.tokens.file or ops.api.tokens): every /api call answers 401");
        } else {
            LOG.info("ops API accepts {}", api.tokens());
        }
        service.authorizeKafkaOpsRequests(api.tokens().kafkaAuthority()); // the same tokens sign Kafka requests
        LOG.info("HTTP binds {} ({})", api.bindAddress(), api.bindReason());
        List<HealthCheck> ready = new ArrayList<>(List.of(HealthChecks.triggerLoops(service)));
        ready.add(HealthChecks.database(service));
        ready.add(HealthChecks.schemaRegistry(schemaRegistryUrl));
        ServiceHttpServer.Builder builder = ServiceHttpServer.builder("trigger").bind(api.bindAddress(), port)
                .metrics(metrics).ready(ready)
                .extend(new OpsHttpApi(service, api.tokens(), () -> HealthChecks.run(ready)));
        builder.live(HealthChecks.triggerLoops(service));
        return builder.build();
    }
}
