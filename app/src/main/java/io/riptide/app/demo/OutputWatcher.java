package io.riptide.app.demo;

import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.serde.AvroWireDeserializer;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the output topics as a trading service would (read_committed): counts records per topic, and follows
 * which model version served each prediction, so swaps are measured where consumers see them.
 */
final class OutputWatcher implements AutoCloseable {
    static final List<Topic<?>> WATCHED = List.of(Topics.BARS_1M, Topics.FEATURES, Topics.PREDICTIONS_LIQUIDATION,
            Topics.PREDICTIONS_SHADOW, Topics.PREDICTIONS_PATTERN, Topics.ALERTS, Topics.OUTCOMES,
            Topics.PATTERN_OUTCOMES, Topics.TRAINING_EXAMPLES, Topics.DRIFT,
            Topics.PERFORMANCE, Topics.DEADLETTER, Topics.MODEL_VERSIONS, Topics.TRAINING_JOBS);

    /** A model version becoming visible in predictions. */
    record Swap(String key, int fromVersion, int toVersion, long firstPredictionLagMs, long firstPredictionTimeMs) {
    }

    record PredictionPoint(long timeMs, String servedBy) {
    }

    record DriftPoint(long timeMs, String modelKey, int version, String subject, double psi, String severity) {
    }

    record PerformancePoint(long timeMs, String modelKey, int version, double auc, int n) {
    }

    /** How a pattern signal ended. */
    record PatternPoint(long resolvedAtMs, String pattern, int label, double realizedReturn, int modelVersion) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroWireDeserializer<LiquidationRisk> predictions;
    private final AvroWireDeserializer<ModelVersion> versions;
    private final AvroWireDeserializer<DriftEvent> drifts;
    private final AvroWireDeserializer<PerformanceReport> reports;
    private final AvroWireDeserializer<DeadLetter> deadLetters;
    private final AvroWireDeserializer<PatternOutcome> patternOutcomes;
    private final Map<String, AtomicLong> deadLetterReasons = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byServedBy = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<Integer>> seenVersions = new ConcurrentHashMap<>();
    private final Map<String, Integer> latestVersion = new ConcurrentHashMap<>();
    private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    final List<Swap> swaps = Collections.synchronizedList(new ArrayList<>());
    final List<PredictionPoint> predictionPoints = Collections.synchronizedList(new ArrayList<>());
    final List<DriftPoint> driftPoints = Collections.synchronizedList(new ArrayList<>());
    final List<PerformancePoint> performancePoints = Collections.synchronizedList(new ArrayList<>());
    final List<PatternPoint> patternPoints = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong lastRecordAtMs = new AtomicLong(System.currentTimeMillis());
    private final Thread thread;
    private volatile boolean running = true;

    OutputWatcher(KafkaClientFactory clients) {
        Map<String, Object> props = clients.commonProperties("riptide-demo-watcher");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "riptide-demo-watcher");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(WATCHED.stream().map(Topic::name).toList());
        SchemaRegistryClient registry = clients.registry();
        predictions = new AvroWireDeserializer<>(registry, LiquidationRisk.class);
        versions = new AvroWireDeserializer<>(registry, ModelVersion.class);
        drifts = new AvroWireDeserializer<>(registry, DriftEvent.class);
        reports = new AvroWireDeserializer<>(registry, PerformanceReport.class);
        deadLetters = new AvroWireDeserializer<>(registry, DeadLetter.class);
        patternOutcomes = new AvroWireDeserializer<>(registry, PatternOutcome.class);
        thread = new Thread(this::run, "riptide-demo-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                lastRecordAtMs.set(System.currentTimeMillis());
                counts.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
                onRecord(record);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(Topics.MODEL_VERSIONS.name())) {
            ModelVersion v = versions.deserialize(topic, record.value());
            publishedAt.put(v.getModelKey() + "@" + v.getVersion(), v.getPublishedAtMs());
        } else if (topic.equals(Topics.PREDICTIONS_LIQUIDATION.name())) {
            onPrediction(predictions.deserialize(topic, record.value()));
        } else if (topic.equals(Topics.DEADLETTER.name())) {
            DeadLetter d = deadLetters.deserialize(topic, record.value());
            String reason = d.getStage() + ": " + d.getError().replaceAll("[0-9]+(\\.[0-9]+)?", "N");
            deadLetterReasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        } else if (topic.equals(Topics.DRIFT.name())) {
            DriftEvent d = drifts.deserialize(topic, record.value());
            driftPoints.add(new DriftPoint(d.getTimeMs(), d.getModelKey(), d.getModelVersion(), d.getSubject(),
                    d.getStatistic(), d.getSeverity().name()));
        } else if (topic.equals(Topics.PATTERN_OUTCOMES.name())) {
            PatternOutcome o = patternOutcomes.deserialize(topic, record.value());
            patternPoints.add(new PatternPoint(o.getResolvedAtMs(), o.getPattern(), o.getLabel(),
                    o.getRealizedReturn(), o.getModelVersion()));
        } else if (topic.equals(Topics.PERFORMANCE.name())) {
            PerformanceReport r = reports.deserialize(topic, record.value());
            if (r.getAuc() != null) {
                performancePoints.add(new PerformancePoint(r.getTimeMs(), r.getModelKey(), r.getModelVersion(),
                        r.getAuc(), r.getN()));
            }
        }
    }

    /**
     * A swap is the first prediction of a key that carries a version not seen before for that key; predictions of
     * several instruments interleave across partitions, so "first new version seen" is what is robust.
     */
    private void onPrediction(LiquidationRisk p) {
        byServedBy.computeIfAbsent(p.getServedBy(), k -> new AtomicLong()).incrementAndGet();
        predictionPoints.add(new PredictionPoint(p.getTimeMs(), p.getServedBy()));
        java.util.Set<Integer> seen = seenVersions.computeIfAbsent(p.getModelKey(),
                k -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        if (seen.isEmpty()) {
            seen.add(0);
        }
        if (seen.add(p.getModelVersion())) {
            int from = latestVersion.getOrDefault(p.getModelKey(), 0);
            Long published = publishedAt.get(p.getModelKey() + "@" + p.getModelVersion());
            long lag = published == null ? -1 : System.currentTimeMillis() - published;
            swaps.add(new Swap(p.getModelKey(), from, p.getModelVersion(), lag, p.getTimeMs()));
            latestVersion.put(p.getModelKey(), p.getModelVersion());
        }
    }

    long count(Topic<?> topic) {
        AtomicLong c = counts.get(topic.name());
        return c == null ? 0 : c.get();
    }

    Map<String, Long> predictionsByServedBy() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        byServedBy.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Dead letters by stage and reason (numbers masked, so reasons group). */
    Map<String, Long> deadLetterReasons() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        deadLetterReasons.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Wall-clock ms since the last record arrived on any watched topic. */
    long quietForMs() {
        return System.currentTimeMillis() - lastRecordAtMs.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
