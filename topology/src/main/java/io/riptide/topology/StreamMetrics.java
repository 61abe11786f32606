package io.riptide.topology;

import io.riptide.serving.ModelKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.riptide.schemas.avro.ModelRole;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The stream service's meters: Kafka Streams' own metrics and those of its embedded clients ({@code kafka_stream_*},
 * {@code kafka_consumer_*}, {@code kafka_producer_*}), how predictions were made ({@link ServingStats}), model
 * installs and rejections, the instance's state ({@code riptide_stream_state{state}}: 1 for the current state, 0 for
 * the others) and which version it serves per key and role ({@code riptide_stream_model_version}, 0 = rule-based).
 */
public final class StreamMetrics implements MeterBinder, AutoCloseable {
    private final KafkaStreams streams;
    private final LiveModels liveModels;
    private final List<Integer> horizonsMinutes;
    private final RestoreProgress restores;
    /** How often new Kafka Streams metrics (threads, tasks appear after start) are picked up; Micrometer's is 60 s. */
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private KafkaStreamsMetrics kafkaStreamsMetrics;
    private ScheduledExecutorService refresher;

    public StreamMetrics(KafkaStreams streams, LiveModels liveModels, List<Integer> horizonsMinutes,
                         RestoreProgress restores) {
        this.streams = streams;
        this.restores = restores;
        this.liveModels = liveModels;
        this.horizonsMinutes = List.copyOf(horizonsMinutes);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "riptide-stream-metrics");
            t.setDaemon(true);
            return t;
        });
        kafkaStreamsMetrics = new KafkaStreamsMetrics(streams, List.of(), refresher, REFRESH);
        kafkaStreamsMetrics.bindTo(registry);
        liveModels.stats().bindTo(registry);
        FunctionCounter.builder("riptide.model.installs", liveModels, LiveModels::installs)
                .description("model versions verified and swapped in").register(registry);
        FunctionCounter.builder("riptide.model.rejections", liveModels, LiveModels::rejections)
                .description("model versions refused (checksum, feature set, probes); the current model kept serving")
                .register(registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("riptide.stream.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the Kafka Streams state this instance is in").tag("state", state.name())
                    .register(registry);
        }
        FunctionCounter.builder("riptide.stream.restore.records", restores, RestoreProgress::restoredRecords)
                .description("changelog records restored into the state stores since start").register(registry);
        Gauge.builder("riptide.stream.restore.partitions", restores, RestoreProgress::restoring)
                .description("changelog partitions being restored now (the instance is not ready meanwhile)")
                .register(registry);
        Gauge.builder("riptide.stream.restore.seconds", restores, RestoreProgress::restoringSeconds)
                .description("wall time spent restoring state since start (finished restores)").register(registry);
        for (int h : horizonsMinutes) {
            String key = ModelKey.liquidation(h).key();
            Gauge.builder("riptide.stream.model.version", liveModels,
                            m -> m.production(key).map(ServingModel::version).orElse(0))
                    .description("version this instance serves for the key (0 = the rule-based fallback)")
                    .tags("model_key", key, "role", ModelRole.PRODUCTION.name()).register(registry);
            Gauge.builder("riptide.stream.model.version", liveModels,
                            m -> m.shadow(key).map(ServingModel::version).orElse(0))
                    .description("version this instance serves for the key (0 = the rule-based fallback)")
                    .tags("model_key", key, "role", ModelRole.SHADOW.name()).register(registry);
        }
    }

    @Override
    public void close() {
        if (kafkaStreamsMetrics != null) {
            kafkaStreamsMetrics.close();
        }
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
