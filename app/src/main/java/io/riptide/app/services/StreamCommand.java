package io.riptide.app.services;

import io.riptide.features.FeatureSets;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.topology.ServingStats;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;

/** {@code riptide stream}: the Kafka Streams application against external Kafka and Schema Registry. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Run the stream application (features, predictions, outcomes, monitoring) against external Kafka.")
public final class StreamCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--create-topics", description = "Create missing Riptide topics before starting.")
    boolean createTopics;

    @Option(names = "--describe", description = "Print the topology description and exit.")
    boolean describe;

    @Option(names = "--metrics-port", defaultValue = "9400",
            description = "Prometheus /metrics port (default ${DEFAULT-VALUE}; 0 = off).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        Settings settings = config.load();
        StreamConfig streamConfig = StreamConfig.from(settings);
        KafkaClientFactory clients = new KafkaClientFactory(streamConfig.kafka());
        StreamService service = new StreamService(streamConfig, FeatureSets.liquidation(), clients);
        if (describe) {
            System.out.println(service.topology().describe());
            service.close();
            return 0;
        }
        if (createTopics) {
            clients.ensureTopics();
        }
        if (metricsPort > 0) {
            Map<String, Supplier<Number>> gauges = new LinkedHashMap<>();
            gauges.put("riptide_model_installs_total", () -> service.liveModels().installs());
            gauges.put("riptide_model_rejections_total", () -> service.liveModels().rejections());
            ServingStats serving = service.liveModels().stats();
            gauges.put("riptide_predictions_total", serving::predictions);
            gauges.put("riptide_predictions_online_blended_total", serving::onlineBlended);
            gauges.put("riptide_prediction_batches_total", serving::batches);
            gauges.put("riptide_prediction_batched_bars_total", serving::batchedBars);
            gauges.put("riptide_prediction_batch_wait_max_ms", serving::maxAddedLatencyMs);
            gauges.put("riptide_model_failures_total", serving::modelFailures);
            MetricsEndpoint.start(metricsPort, service::metrics, gauges);
        }
        return ServiceRunner.runUntilStopped(List.of(service));
    }
}
