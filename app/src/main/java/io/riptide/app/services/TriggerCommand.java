package io.riptide.app.services;

import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.TriggerService;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;

/** {@code riptide trigger}: the retrain-trigger service against external Kafka and PostgreSQL. */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Run the retrain-trigger service (example sink, policies, training jobs, model publishing).")
public final class TriggerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--metrics-port", defaultValue = "9401",
            description = "Prometheus /metrics port (default ${DEFAULT-VALUE}; 0 = off).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        Settings settings = config.load();
        TriggerConfig triggerConfig = TriggerConfig.from(settings);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(triggerConfig.database().jdbcUrl());
        dataSource.setUser(triggerConfig.database().user());
        dataSource.setPassword(triggerConfig.database().password());
        TriggerService service = new TriggerService(triggerConfig, new KafkaClientFactory(triggerConfig.kafka()),
                dataSource);
        if (metricsPort > 0) {
            Map<String, Supplier<Number>> gauges = new LinkedHashMap<>();
            gauges.put("riptide_trigger_examples_stored_total", service::examplesStored);
            for (String status : List.of("QUEUED", "RUNNING", "SUCCEEDED", "REJECTED", "FAILED")) {
                gauges.put("riptide_trigger_jobs_" + status.toLowerCase(),
                        () -> service.jobs().countsByStatus().getOrDefault(status, 0));
            }
            MetricsEndpoint.start(metricsPort, Map::of, gauges);
        }
        return ServiceRunner.runUntilStopped(List.of(service));
    }
}
