package io.riptide.topology;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.serving.ModelArtifact;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The pattern fallback chain on a real broker: a signed {@code pattern-30m@<regime>} version published to
 * {@code models.versions} serves the signals of its regime (fallback level 1), while signals in every other regime
 * fall back to the base confidence (level 3, no {@code pattern-30m} version exists).
 */
class PatternRegimeServingIT {
    private static final String SECRET = "pattern-regime-it-signing-secret";

    @TempDir
    Path dir;

    @Test
    void aRegimeScopedVersionServesItsRegimeWhileTheOtherRegimesFallBack() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start()) {
            KafkaSettings kafka = new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                    (short) 1, Map.of());
            KafkaClientFactory clients = new KafkaClientFactory(kafka);
            FeatureSet set = FeatureSets.liquidation();
            long start = (System.currentTimeMillis() - 10 * 3_600_000L) / 60_000 * 60_000;
            // the regime rules need 270 bars of history; 8 hours leave the later signals a regime
            MarketSimulator market = new MarketSimulator(SimulatorConfig.defaults(11, start)
                    .withInstruments(List.of("SIM:BTCUSDT")));
            String regime = "sideways";
            ModelArtifact artifact = TestModels.tiny(set);
            String key = "pattern-30m@" + regime;
            ModelVersion version = ModelSigning.withSecret(SECRET).sign(
                    TestModels.version(set, key, artifact, 1, artifact.sha256(), start));
            try (KafkaProducer<String, SpecificRecord> producer = clients.producer("regime-it-publisher", null)) {
                producer.send(new ProducerRecord<>(Topics.MODEL_VERSIONS.name(),
                        Topics.modelVersionKey(key, ModelRole.PRODUCTION), version)).get();
            }
            try (KafkaMarketEventSink kafkaSink = new KafkaMarketEventSink(clients.producer("regime-it-feed", null))) {
                market.runUntil(start + 8 * 3_600_000L, Heartbeats.exact(kafkaSink, Heartbeats.TRADE_INPUTS));
                kafkaSink.flush();
            }
            StreamConfig config = StreamConfig.from(Settings.load(null, Map.of(), Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url",
                    kafka.schemaRegistryUrl(), "stream.application.id", "pattern-regime-it",
                    "stream.state.dir", dir.toString(), "stream.horizons.minutes", "5",
                    ModelSigning.SECRET_KEY, SECRET)));
            try (StreamService stream = new StreamService(config, set, clients)) {
                stream.start();
                StreamRestartIT.awaitQuiet(clients, Topics.FEATURES, "regime-it-f", 470);
                StreamRestartIT.awaitQuiet(clients, Topics.PREDICTIONS_PATTERN, "regime-it-s", 10);
            }
            List<PatternSignal> signals = StreamRestartIT.readAll(clients, Topics.PREDICTIONS_PATTERN,
                    "regime-it-all");
            Map<Boolean, List<PatternSignal>> byRegime = signals.stream()
                    .collect(Collectors.partitioningBy(s -> s.getRegime().equals(regime)));
            String regimes = signals.stream().collect(Collectors.groupingBy(PatternSignal::getRegime,
                    Collectors.counting())).toString();
            assertFalse(byRegime.get(true).isEmpty(), "signals in the " + regime + " regime: " + regimes);
            assertFalse(byRegime.get(false).stream().allMatch(s -> s.getRegime().equals("unknown")),
                    "signals in another known regime: " + regimes);
            for (PatternSignal s : byRegime.get(true)) {
                assertEquals(key, s.getModelKey(), s.getSignalId());
                assertEquals(1, s.getModelVersion(), s.getSignalId());
                assertEquals(1, s.getFallbackLevel(), "the regime's key serves " + s.getSignalId());
            }
            for (PatternSignal s : byRegime.get(false)) {
                assertEquals("pattern-30m", s.getModelKey(), s.getSignalId());
                assertEquals(0, s.getModelVersion(), s.getSignalId());
                assertEquals(3, s.getFallbackLevel(), s.getRegime() + " falls back: " + s.getSignalId());
                assertEquals(s.getBaseConfidence(), s.getMlConfidence(), 0.0, s.getSignalId());
            }
        }
    }
}
