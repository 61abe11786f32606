package io.riptide.topology;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once across a restart, on a real broker: a stream stopped part way and restarted with an empty state
 * directory (so its state comes back from the changelog only) emits exactly the records an uninterrupted run emits,
 * none missing, none twice, bit for bit.
 */
class StreamRestartIT {
    @TempDir
    Path dir;

    @Test
    void aRestartedStreamContinuesExactlyFromItsChangelog() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start()) {
            KafkaSettings kafka = new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                    (short) 1, Map.of());
            KafkaClientFactory clients = new KafkaClientFactory(kafka);
            long start = (System.currentTimeMillis() - 3_600_000L) / 60_000 * 60_000;
            MarketSimulator market = new MarketSimulator(SimulatorConfig.defaults(3, start)
                    .withInstruments(List.of("SIM:BTCUSDT")));
            FeatureSet set = FeatureSets.liquidation();
            try (KafkaMarketEventSink kafkaSink = new KafkaMarketEventSink(clients.producer("restart-feed", null))) {
                Heartbeats sink = Heartbeats.exact(kafkaSink, Heartbeats.TRADE_INPUTS);
                // first 25 minutes (ending inside a bar), then the run that will be restarted stops
                market.runUntil(start + 25 * 60_000L + 17_000L, sink);
                kafkaSink.flush();
                try (StreamService beforeRestart = service("restart-b", kafka, clients, set)) {
                    beforeRestart.start();
                    awaitQuiet(clients, Topics.FEATURES, "b1", 0);
                }
                market.runUntil(start + 45 * 60_000L, sink);
            }
            int beforeRestart = readAll(clients, Topics.FEATURES, "b1-count").size();
            int predictedBeforeRestart = readAll(clients, Topics.PREDICTIONS_LIQUIDATION, "b1-p").size();
            assertTrue(predictedBeforeRestart < beforeRestart, "bars were waiting for their batch at the stop: "
                    + predictedBeforeRestart + " predictions for " + beforeRestart + " bars");
            try (StreamService restarted = service("restart-b", kafka, clients, set)) {
                restarted.start();
                awaitQuiet(clients, Topics.FEATURES, "b2", beforeRestart);
                int bars = readAll(clients, Topics.FEATURES, "b2-bars").size();
                awaitQuiet(clients, Topics.PREDICTIONS_LIQUIDATION, "b2-p", bars - 1);
            }
            int n = readAll(clients, Topics.FEATURES, "b2-count").size();
            assertTrue(beforeRestart >= 20 && beforeRestart < n, "the restart had work left: " + beforeRestart
                    + " of " + n + " bars before it");

            try (StreamService uninterrupted = service("restart-a", kafka, clients, set)) {
                uninterrupted.start();
                awaitQuiet(clients, Topics.FEATURES, "a", n);
                awaitQuiet(clients, Topics.PREDICTIONS_LIQUIDATION, "a-p", 2 * n - 1);
            }
            List<FeatureVector> all = readAll(clients, Topics.FEATURES, "all");
            assertEquals(2 * n, all.size(), "the uninterrupted run emitted as many bars as the restarted one");
            for (int i = 0; i < n; i++) {
                FeatureVector restartedRun = all.get(i);
                FeatureVector uninterruptedRun = all.get(n + i);
                assertEquals(uninterruptedRun.getTimeMs(), restartedRun.getTimeMs(), "bar " + i + " (none twice)");
                for (int f = 0; f < set.size(); f++) {
                    assertEquals(Double.doubleToLongBits(uninterruptedRun.getValues().get(f)),
                            Double.doubleToLongBits(restartedRun.getValues().get(f)), set.names().get(f)
                                    + " of bar " + i + " (restart after bar " + beforeRestart + ")");
                }
                assertEquals(uninterruptedRun, restartedRun);
            }

            List<LiquidationRisk> predictions = readAll(clients, Topics.PREDICTIONS_LIQUIDATION, "p");
            assertEquals(2 * n, predictions.size(), "every bar predicted once in each run");
            assertEquals(predictions.subList(predictions.size() / 2, predictions.size()),
                    predictions.subList(0, predictions.size() / 2));
            assertTrue(predictions.stream().filter(p -> p.getOnlineWeight() > 0).count() > 10,
                    "the online learner, restored from the changelog, was blended in");
            List<io.riptide.schemas.avro.LabeledExample> examples = readAll(clients, Topics.TRAINING_EXAMPLES, "e");
            assertTrue(examples.size() > 10, "examples resolved across the restart: " + examples.size());
            assertEquals(examples.subList(examples.size() / 2, examples.size()),
                    examples.subList(0, examples.size() / 2));
            // open pattern signals come back from the changelog too: each run signals and ends the same ones
            List<PatternSignal> signals = readAll(clients, Topics.PREDICTIONS_PATTERN, "ps");
            List<PatternOutcome> patternOutcomes = readAll(clients, Topics.PATTERN_OUTCOMES, "po");
            assertTrue(signals.size() >= 2 && patternOutcomes.size() >= 2,
                    "pattern signals " + signals.size() + ", ended " + patternOutcomes.size());
            assertEquals(signals.subList(signals.size() / 2, signals.size()), signals.subList(0, signals.size() / 2));
            assertEquals(patternOutcomes.subList(patternOutcomes.size() / 2, patternOutcomes.size()),
                    patternOutcomes.subList(0, patternOutcomes.size() / 2));
        }
    }

    private StreamService service(String appId, KafkaSettings kafka, KafkaClientFactory clients, FeatureSet set) {
        // a fresh state directory every time: state must come back from the changelog, not from local files
        Path state = dir.resolve(appId + "-" + System.nanoTime());
        StreamConfig config = StreamConfig.from(Settings.load(null, Map.of(), Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", kafka.schemaRegistryUrl(),
                "stream.application.id", appId, "stream.state.dir", state.toString(),
                "stream.horizons.minutes", "5", "models.signing.secret", "restart-it-signing-secret",
                // bars wait for their batch longer than a run lasts after its last bar, so the run that is stopped
                // leaves closed bars unscored in its store; the online learner is blended in from its 5th outcome
                "stream.batch.max.age.ms", "10000", "stream.online.min.updates", "5")));
        return new StreamService(config, set, clients);
    }

    /** Waits until the topic holds more than {@code moreThan} records and has stopped growing. */
    static void awaitQuiet(KafkaClientFactory clients, Topic<?> topic, String tag, int moreThan)
            throws Exception {
        int last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            int now = readAll(clients, topic, tag + "-" + System.nanoTime()).size();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (now > moreThan && System.nanoTime() - quietSince > Duration.ofSeconds(4).toNanos()) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("output of " + topic + " never settled");
    }

    static <V extends SpecificRecord> List<V> readAll(KafkaClientFactory clients, Topic<V> topic,
                                                              String group) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = clients.consumer("restart-it-" + group, topic)) {
            consumer.subscribe(List.of(topic.name()));
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < Duration.ofMillis(1500).toNanos()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    records.forEach(r -> values.add(r.value()));
                    idleSince = System.nanoTime();
                }
            }
        }
        return values;
    }
}
