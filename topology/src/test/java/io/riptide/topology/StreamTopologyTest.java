package io.riptide.topology;

import io.riptide.serving.ModelKey;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarrierHit;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.Direction;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.feed.Heartbeats;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.serving.RiskLevels;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.internal.NodeNames;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole stream topology on TopologyTestDriver: one instrument, one horizon, event time driven by the test. */
class StreamTopologyTest {
    private static final String INSTRUMENT = "SIM:TEST";
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z, a minute boundary
    private static final long MINUTE = 60_000L;
    private static final double THRESHOLD = 50_000;

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final SerdeFactory serdes = new SerdeFactory(registry);
    private final FeatureSet featureSet = FeatureSets.liquidation();
    private TopologyTestDriver driver;
    private LiveModels liveModels;
    private TestInputTopic<String, SpecificRecord> trades;
    private TestInputTopic<String, SpecificRecord> books;
    private TestInputTopic<String, byte[]> rawTrades;
    /** The market as a Riptide feed sends it: records in event-time order, heartbeats for quiet inputs. */
    private Heartbeats feed;
    private TestInputTopic<String, SpecificRecord> modelVersions;
    private double price = 100;

    @BeforeEach
    void start() {
        start(StreamConfig.Serving.unbatched());
    }

    private void start(StreamConfig.Serving serving) {
        start(serving, ModelSigning.unsignedAllowed());
    }

    private void start(StreamConfig.Serving serving, ModelSigning signing) {
        price = 100;
        KafkaSettings kafka = new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of());
        StreamConfig config = StreamConfig.defaults(kafka, "topology-test", stateDir).withHorizons(List.of(5))
                .withLiquidationThreshold(THRESHOLD).withServing(serving).withSigning(signing)
                .withMonitoring(StreamConfig.defaults(kafka, "x", stateDir).monitoring().withWindows(20, 20));
        liveModels = new LiveModels(featureSet.hash(), featureSet.names(), serving.nativePath());
        Properties props = StreamService.streamsProperties(config,
                new io.riptide.schemas.kafka.KafkaClientFactory(kafka, registry));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(StreamTopology.build(config, featureSet, liveModels, registry), props,
                Instant.ofEpochMilli(T0));
        AvroWireSerializer<SpecificRecord> avro = new AvroWireSerializer<>(registry, false);
        trades = driver.createInputTopic(Topics.TRADES.name(), new StringSerializer(), avro);
        books = driver.createInputTopic(Topics.BOOKS.name(), new StringSerializer(), avro);
        feed = Heartbeats.exact(new DriverFeed(driver, registry), Heartbeats.TRADE_INPUTS);
        rawTrades = driver.createInputTopic(Topics.TRADES.name(), new StringSerializer(), new ByteArraySerializer());
        modelVersions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), new StringSerializer(), avro);
    }

    @AfterEach
    void stop() {
        driver.close();
        liveModels.close();
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), serdes.valueSerde(topic).deserializer());
    }

    /** A minute of market: trades every 5 s, a book every 15 s, and optionally a burst of long liquidations. */
    private void minute(int m, boolean liquidationBurst) {
        minute(INSTRUMENT, m, liquidationBurst);
    }

    private void minute(String instrument, int m, boolean liquidationBurst) {
        long start = T0 + m * MINUTE;
        for (int s = 0; s < 60; s += 5) {
            long t = start + s * 1000L;
            price *= 1 + 0.0005 * Math.sin(m * 7 + s);
            if (s % 15 == 0) {
                feed.onBook(book(instrument, t, price - 0.05, price + 0.05));
            }
            if (liquidationBurst && s == 30) {
                feed.onLiquidation(Liquidation.newBuilder().setInstrument(instrument)
                        .setExchangeTimeMs(t).setPositionSide(PositionSide.LONG).setPrice(price).setQty(1000)
                        .setNotional(price * 1000).build());
            }
            feed.onTrade(Trade.newBuilder().setInstrument(instrument).setExchangeTimeMs(t)
                    .setPrice(price).setQty(1 + s % 3).setAggressorSide(s % 10 == 0 ? Side.BUY : Side.SELL)
                    .setTradeId(m + "-" + s).build());
        }
    }

    private static BookSnapshot book(long t, double bid, double ask) {
        return book(INSTRUMENT, t, bid, ask);
    }

    private static BookSnapshot book(String instrument, long t, double bid, double ask) {
        List<PriceLevel> bids = new ArrayList<>();
        List<PriceLevel> asks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bids.add(new PriceLevel(bid - i * 0.1, 2.0 + i));
            asks.add(new PriceLevel(ask + i * 0.1, 2.0 + i));
        }
        return BookSnapshot.newBuilder().setInstrument(instrument).setExchangeTimeMs(t).setUpdateId(t)
                .setBids(bids).setAsks(asks).build();
    }

    @Test
    void barsFeaturesPredictionsOutcomesAndExamplesFollowEventTime() {
        for (int m = 0; m < 40; m++) {
            minute(m, m == 20);
        }
        List<Bar> bars = output(Topics.BARS_1M).readValuesToList();
        List<FeatureVector> features = output(Topics.FEATURES).readValuesToList();
        List<LiquidationRisk> predictions = output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList();
        assertEquals(39, bars.size(), "the 40th minute is still open");
        assertEquals(T0, bars.get(0).getOpenTimeMs());
        assertEquals(12, bars.get(0).getTradeCount());
        assertEquals(39, features.size());
        assertEquals(featureSet.size(), features.get(0).getValues().size());
        assertEquals(featureSet.hash(), features.get(0).getFeatureSetHash());
        assertEquals(39, predictions.size());
        assertTrue(predictions.stream().allMatch(p -> p.getServedBy().equals("liquidation-5m@fallback")));
        assertTrue(predictions.stream().allMatch(p -> p.getProbability() >= 0 && p.getProbability() <= 1));

        List<Outcome> outcomes = output(Topics.OUTCOMES).readValuesToList();
        List<LabeledExample> examples = output(Topics.TRAINING_EXAMPLES).readValuesToList().stream()
                .filter(e -> e.getTask().equals(ModelKey.LIQUIDATION)).toList();
        // final once every input has passed t + 5 min (event time reached 39:55): the bars ending 01:00 to 34:00
        assertEquals(34, outcomes.size(), "outcomes");
        assertEquals(outcomes.size(), examples.size());
        long burst = T0 + 20 * MINUTE + 30_000;
        for (Outcome o : outcomes) {
            boolean covers = burst > o.getPredictionTimeMs() && burst <= o.getPredictionTimeMs() + 5 * MINUTE;
            assertEquals(covers ? 1 : 0, o.getLabel(), "label of the prediction at " + o.getPredictionTimeMs());
        }
        // a training example carries the features as of its prediction time: those of that bar's vector
        for (LabeledExample e : examples) {
            FeatureVector asOf = features.stream().filter(f -> f.getTimeMs() == e.getTimeMs()).findFirst().orElseThrow();
            assertEquals(asOf.getValues(), e.getFeatures(), "features of example " + e.getExampleId());
        }
        // point in time: the burst's liquidation is in no feature vector before it happened
        int liqIndex = featureSet.indexOf("liq_notional_5m");
        for (FeatureVector f : features) {
            double liq = f.getValues().get(liqIndex);
            if (f.getTimeMs() <= burst) {
                assertFalse(liq > 0, "liquidation notional seen at " + f.getTimeMs() + " before the burst");
            }
        }
        assertTrue(features.stream().anyMatch(f -> f.getValues().get(liqIndex) > 0), "the burst shows up after it");
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithReasonsAndTheStreamGoesOn() {
        minute(0, false);
        rawTrades.pipeInput(INSTRUMENT, "not avro".getBytes(), T0 + MINUTE);
        trades.pipeInput(INSTRUMENT, Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(T0 + MINUTE)
                .setPrice(Double.NaN).setQty(1).setAggressorSide(Side.BUY).setTradeId("nan").build(), T0 + MINUTE);
        trades.pipeInput(INSTRUMENT, Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(T0 + MINUTE)
                .setPrice(-1).setQty(1).setAggressorSide(Side.BUY).setTradeId("negative").build(), T0 + MINUTE);
        books.pipeInput(INSTRUMENT, book(T0 + MINUTE, 101, 100), T0 + MINUTE);
        trades.pipeInput("SIM:OTHER", Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(T0 + MINUTE)
                .setPrice(100).setQty(1).setAggressorSide(Side.BUY).setTradeId("wrong-key").build(), T0 + MINUTE);
        minute(1, false);
        minute(2, false);

        List<DeadLetter> letters = output(Topics.DEADLETTER).readValuesToList();
        List<String> reasons = letters.stream().map(DeadLetter::getError).toList();
        assertEquals(5, letters.size(), "dead letters: " + reasons);
        assertTrue(reasons.get(0).startsWith("cannot decode: unknown magic byte"), reasons.get(0));
        assertEquals("trade price must be a positive finite number, got NaN", reasons.get(1));
        assertEquals("trade price must be a positive finite number, got -1.0", reasons.get(2));
        assertTrue(reasons.get(3).startsWith("crossed book: best bid 101.0 >= best ask 100.0"), reasons.get(3));
        assertTrue(reasons.get(4).contains("does not match instrument"), reasons.get(4));
        assertEquals("not avro", new String(bytes(letters.get(0).getValue())), "original bytes kept");
        assertEquals(Topics.TRADES.name(), letters.get(0).getSourceTopic());
        assertEquals(2, output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList().size(),
                "valid records around the bad ones still produce predictions");
    }

    @Test
    void aTradeOlderThanItsClosedBarIsDeadLetteredWithItsOriginalBytes() {
        minute(0, false);
        minute(1, false);
        Trade late = Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(T0 + 30_000).setPrice(100)
                .setQty(1).setAggressorSide(Side.BUY).setTradeId("late").build();
        trades.pipeInput(INSTRUMENT, late, T0 + 30_000);
        List<DeadLetter> letters = output(Topics.DEADLETTER).readValuesToList();
        assertEquals(1, letters.size());
        assertTrue(letters.get(0).getError().startsWith("late trades event at " + (T0 + 30_000)
                + ": every input of SIM:TEST had already passed "), letters.get(0).getError());
        assertEquals(late, new io.riptide.schemas.serde.AvroWireDeserializer<>(registry, Trade.class)
                .deserialize(Topics.TRADES.name(), bytes(letters.get(0).getValue())), "the original record is kept");
        assertTrue(output(Topics.FEATURES).readRecordsToList().stream()
                .allMatch(r -> r.headers().lastHeader("riptide.raw-value") == null), "raw bytes stay internal");
    }

    @Test
    void aPublishedModelVersionIsSwappedInWithoutRestartAndABadOneIsRefused() throws Exception {
        for (int m = 0; m < 3; m++) {
            minute(m, false);
        }
        ModelArtifact artifact = trainTinyModel();
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION),
                version(artifact, 1, artifact.sha256()), T0 + 3 * MINUTE);
        minute(3, false);
        minute(4, false);
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION),
                version(artifact, 2, "0".repeat(64)), T0 + 5 * MINUTE);
        minute(5, false);
        minute(6, false);

        List<String> servedBy = output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList().stream()
                .map(LiquidationRisk::getServedBy).toList();
        // bars 0 and 1 closed before the publication; bar 2 closes with minute 3's first trade, after it
        assertEquals(List.of("liquidation-5m@fallback", "liquidation-5m@fallback", "liquidation-5m@1",
                "liquidation-5m@1", "liquidation-5m@1", "liquidation-5m@1"), servedBy);
        assertEquals(1, liveModels.rejections(), "the artifact with a wrong sha256 is refused");
        assertTrue(liveModels.lastRejection().contains("sha256"), liveModels.lastRejection());

        // a good artifact under another key's record key is refused too: the key names what it may replace
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.SHADOW),
                version(artifact, 3, artifact.sha256()), T0 + 7 * MINUTE);
        assertEquals(2, liveModels.rejections());
        assertTrue(liveModels.lastRejection().contains("does not name its model key and role"),
                liveModels.lastRejection());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(NodeNames.MODEL_VERSIONS_STORE);
        ModelVersion kept = new io.riptide.schemas.serde.AvroWireDeserializer<>(registry, ModelVersion.class)
                .deserialize(Topics.MODEL_VERSIONS.name(),
                        store.get(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION)));
        assertEquals(1, kept.getVersion(), "the rejected v2 did not replace the last good version in the store");
        assertEquals(null, store.get(Topics.modelVersionKey("liquidation-5m", ModelRole.SHADOW)));
    }

    @Test
    void aShadowScoresTheSameBarsItsOutcomesArePairedWithProductionsAndAWithdrawalEndsIt() throws Exception {
        for (int m = 0; m < 3; m++) {
            minute(m, false);
        }
        ModelArtifact artifact = trainTinyModel();
        ModelVersion shadow = ModelVersion.newBuilder(version(artifact, 7, artifact.sha256()))
                .setRole(ModelRole.SHADOW).build();
        String shadowKey = Topics.modelVersionKey("liquidation-5m", ModelRole.SHADOW);
        modelVersions.pipeInput(shadowKey, shadow, T0 + 3 * MINUTE);
        for (int m = 3; m < 20; m++) {
            minute(m, m == 12);
        }
        ModelVersion withdrawal = ModelVersion.newBuilder(shadow).setWithdrawn(true).setArtifactGzip(null)
                .setArtifactBytes(0).setPublishedAtMs(shadow.getPublishedAtMs() + 1).setReason("retired").build();
        modelVersions.pipeInput(shadowKey, withdrawal, T0 + 20 * MINUTE);
        for (int m = 20; m < 40; m++) {
            minute(m, m == 30);
        }

        List<LiquidationRisk> shadowPredictions = output(Topics.PREDICTIONS_SHADOW).readValuesToList();
        // bar 2 closes with minute 3's first trade, after the publication; bar 19 with minute 20's, after the withdrawal
        assertEquals(17, shadowPredictions.size(), "bars 2 to 18 were scored by the shadow");
        Map<Long, Double> shadowByBar = new HashMap<>();
        for (LiquidationRisk p : shadowPredictions) {
            assertEquals("liquidation-5m@7", p.getServedBy());
            assertTrue(p.getPredictionId().toString().endsWith("|shadow"), p.getPredictionId().toString());
            shadowByBar.put(p.getTimeMs(), p.getProbability());
        }
        List<Outcome> outcomes = output(Topics.OUTCOMES).readValuesToList();
        assertEquals(34, outcomes.size(), "one outcome per production prediction, the shadow's paired within it");
        int paired = 0;
        for (Outcome o : outcomes) {
            assertNotNull(o.getModelProbability(), "production's own probability is kept beside what was served");
            Double shadowP = shadowByBar.get(o.getPredictionTimeMs());
            if (shadowP == null) {
                assertNull(o.getShadowModelVersion(), "no shadow scored the bar at " + o.getPredictionTimeMs());
                assertNull(o.getShadowProbability());
            } else {
                paired++;
                assertEquals(7, o.getShadowModelVersion());
                assertEquals(shadowP, o.getShadowProbability(), 1e-12, "the shadow's probability for the same bar");
            }
        }
        assertEquals(17, paired, "every shadow prediction got its outcome");
        assertTrue(outcomes.stream().anyMatch(o -> o.getLabel() == 1 && o.getShadowModelVersion() != null),
                "the liquidation at minute 12 labels paired outcomes positive");

        // a signed shadow record stays valid forever: re-sent after the withdrawal, it must not bring the shadow back
        long rejected = liveModels.rejections();
        modelVersions.pipeInput(shadowKey, shadow, T0 + 40 * MINUTE);
        assertEquals(rejected + 1, liveModels.rejections());
        assertTrue(liveModels.lastRejection().contains("withdrawn"), liveModels.lastRejection());
        minute(40, false);
        minute(41, false);
        assertTrue(output(Topics.PREDICTIONS_SHADOW).readValuesToList().isEmpty(), "the shadow stays withdrawn");
        assertTrue(liveModels.shadow("liquidation-5m").isEmpty());
    }

    @Test
    void aCanaryInstrumentIsServedByTheShadowOnTheProductionTopicAndSaysSo() throws Exception {
        driver.close();
        liveModels.close();
        start(StreamConfig.Serving.unbatched().withCanaryShare(1.0)); // every instrument is a canary
        for (int m = 0; m < 3; m++) {
            minute(m, false);
        }
        ModelArtifact artifact = trainTinyModel();
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.SHADOW),
                ModelVersion.newBuilder(version(artifact, 7, artifact.sha256())).setRole(ModelRole.SHADOW).build(),
                T0 + 3 * MINUTE);
        for (int m = 3; m < 8; m++) {
            minute(m, false);
        }
        List<LiquidationRisk> served = output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList();
        Map<Long, Double> shadow = new HashMap<>();
        output(Topics.PREDICTIONS_SHADOW).readValuesToList().forEach(p -> shadow.put(p.getTimeMs(), p.getProbability()));
        assertEquals(7, served.size());
        for (LiquidationRisk p : served) {
            if (shadow.containsKey(p.getTimeMs())) {
                assertEquals(ModelRole.CANARY, p.getServedRole(), "bar " + p.getTimeMs());
                assertEquals("liquidation-5m@7", p.getServedBy());
                assertEquals(7, p.getModelVersion());
                assertEquals(shadow.get(p.getTimeMs()), p.getProbability(), 1e-12, "the shadow's own probability");
                assertFalse(p.getPredictionId().toString().endsWith("|shadow"), "the production id");
            } else {
                assertEquals(ModelRole.PRODUCTION, p.getServedRole(), "before the shadow: bar " + p.getTimeMs());
                assertEquals("liquidation-5m@fallback", p.getServedBy());
            }
        }
        assertEquals(5, shadow.size(), "bars 2 to 6 had a shadow");

        // a record claiming the CANARY role is not a version: refused, nothing serves from it
        long rejected = liveModels.rejections();
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.CANARY),
                ModelVersion.newBuilder(version(artifact, 8, artifact.sha256())).setRole(ModelRole.CANARY).build(),
                T0 + 8 * MINUTE);
        assertEquals(rejected + 1, liveModels.rejections());
        assertTrue(liveModels.production("liquidation-5m").isEmpty(), "CANARY never installs as production");
    }

    @Test
    void withASigningSecretOnlyVersionsSignedWithItServe() throws Exception {
        driver.close();
        liveModels.close();
        ModelSigning trigger = ModelSigning.withSecret("topology-test-signing-secret");
        start(StreamConfig.Serving.unbatched(), trigger);
        ModelArtifact artifact = trainTinyModel();
        String key = Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION);
        modelVersions.pipeInput(key, version(artifact, 1, artifact.sha256()), T0);
        modelVersions.pipeInput(key, ModelSigning.withSecret("someone-elses-secret-123").sign(
                version(artifact, 2, artifact.sha256())), T0);
        ModelVersion signed = trigger.sign(version(artifact, 3, artifact.sha256()));
        modelVersions.pipeInput(key, ModelVersion.newBuilder(signed).setVersion(4).build(), T0);
        assertEquals(3, liveModels.rejections(), "unsigned, signed with another secret, altered after signing");
        assertTrue(liveModels.lastRejection().contains("bad signature"), liveModels.lastRejection());
        modelVersions.pipeInput(key, signed, T0);
        assertEquals(3, liveModels.rejections());
        // a genuinely signed but older publication, sent again by whoever can produce to the topic: a replay
        modelVersions.pipeInput(key, trigger.sign(version(artifact, 2, artifact.sha256())), T0);
        assertEquals(4, liveModels.rejections());
        assertTrue(liveModels.lastRejection().endsWith("an old record sent again"), liveModels.lastRejection());
        for (int m = 0; m < 2; m++) {
            minute(m, false);
        }
        assertEquals(List.of("liquidation-5m@3"), output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList().stream()
                .map(LiquidationRisk::getServedBy).distinct().toList());
    }

    @Test
    void aRecordDatedFarAheadOfItsRecordTimestampIsDeadLetteredAndMovesNoClock() {
        minute(0, false);
        Trade future = Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(T0 + 24 * 60 * MINUTE)
                .setPrice(100).setQty(1).setAggressorSide(Side.BUY).setTradeId("future").build();
        trades.pipeInput(INSTRUMENT, future, T0 + MINUTE);
        for (int m = 1; m < 4; m++) {
            minute(m, false);
        }
        List<DeadLetter> letters = output(Topics.DEADLETTER).readValuesToList();
        assertEquals(1, letters.size(), "only the far-future trade: " + letters);
        assertTrue(letters.get(0).getError().startsWith("trades event at " + (T0 + 24 * 60 * MINUTE) + " is "),
                letters.get(0).getError());
        assertTrue(letters.get(0).getError().contains("stream.input.max.future.ms"), letters.get(0).getError());
        List<Bar> bars = output(Topics.BARS_1M).readValuesToList();
        assertEquals(List.of(T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE),
                bars.stream().map(Bar::getCloseTimeMs).toList(), "bars close on the real trades' clock");
    }

    @Test
    void closedBarsOfSeveralInstrumentsAreScoredInMicroBatchesWithTheModelEachOneSelects() throws Exception {
        List<LiquidationRisk> unbatched = servedWithTwoModels();
        stop();
        start(StreamConfig.Serving.unbatched().withBatching(3, 50));
        List<LiquidationRisk> batched = servedWithTwoModels();
        assertEquals(9, batched.size(), "10 bars closed: 3 full batches scored, 1 bar waits for its age");
        driver.advanceWallClockTime(java.time.Duration.ofMillis(60));
        batched.addAll(output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList());
        assertEquals(10, batched.size(), "the wall-clock punctuator scored the bar that waited");
        assertEquals(4, liveModels.stats().batches());
        assertTrue(liveModels.stats().maxAddedLatencyMs() >= 50, "latency " + liveModels.stats().maxAddedLatencyMs());

        // batching changes when, never what: the same predictions as one bar at a time
        assertEquals(unbatched.size(), batched.size());
        java.util.Map<String, LiquidationRisk> byId = new java.util.HashMap<>();
        unbatched.forEach(r -> byId.put(r.getPredictionId(), r));
        for (LiquidationRisk r : batched) {
            assertEquals(byId.get(r.getPredictionId()), r, r.getPredictionId());
        }
        // each row was scored by the model its chain picked: SIM:A has its own, SIM:B falls back to the global one
        for (LiquidationRisk r : batched) {
            boolean a = r.getInstrument().equals("SIM:A");
            assertEquals(a ? "liquidation-5m@SIM:A@2" : "liquidation-5m@1", r.getServedBy());
            assertEquals(a ? 0 : 2, r.getFallbackLevel());
        }
        // and scored by that model: each probability is the model's own prediction for the bar's features
        List<FeatureVector> features = output(Topics.FEATURES).readValuesToList();
        try (io.riptide.serving.Model model = io.riptide.serving.ModelLoader.load(trainTinyModel(),
                trainTinyModel().sha256(), featureSet.hash(), featureSet.hash(), featureSet.size())) {
            for (LiquidationRisk r : batched) {
                double[] x = features.stream().filter(f -> f.getInstrument().equals(r.getInstrument())
                                && f.getTimeMs() == r.getTimeMs()).findFirst().orElseThrow()
                        .getValues().stream().mapToDouble(Double::doubleValue).toArray();
                assertEquals(model.predict(x), r.getProbability(), 0.0, r.getPredictionId());
            }
        }
    }

    @Test
    void theNativeSwitchServesTheSameProbabilitiesThroughLightGbmItself() throws Exception {
        List<LiquidationRisk> java = servedWithTwoModels();
        stop();
        start(StreamConfig.Serving.unbatched().withNativePath(true));
        assertTrue(liveModels.nativePath());
        List<LiquidationRisk> nativeServed = servedWithTwoModels();
        assertEquals(java.size(), nativeServed.size());
        for (int i = 0; i < java.size(); i++) {
            assertEquals(java.get(i).getServedBy(), nativeServed.get(i).getServedBy());
            assertEquals(java.get(i).getProbability(), nativeServed.get(i).getProbability(), 1e-12);
        }
    }

    @Test
    void theCalibratorPublishedWithAVersionIsAppliedAndAnUnreadableOneRefusesTheVersion() throws Exception {
        ModelArtifact artifact = trainTinyModel();
        ModelVersion calibrated = version(artifact, 1, artifact.sha256());
        calibrated.setCalibration("platt 0.5 -1.25");
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION), calibrated, T0);
        ModelVersion unreadable = version(artifact, 2, artifact.sha256());
        unreadable.setCalibration("platt 0.5");
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION), unreadable, T0);
        for (int m = 0; m < 4; m++) {
            minute(m, false);
        }
        assertEquals(1, liveModels.rejections());
        assertTrue(liveModels.lastRejection().contains("calibration does not parse"), liveModels.lastRejection());
        List<LiquidationRisk> predictions = output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList();
        List<FeatureVector> features = output(Topics.FEATURES).readValuesToList();
        io.riptide.serving.Calibrator platt = io.riptide.serving.Calibrator.fromBytes("platt 0.5 -1.25".getBytes());
        try (io.riptide.serving.Model model = io.riptide.serving.ModelLoader.load(artifact, artifact.sha256(),
                featureSet.hash(), featureSet.hash(), featureSet.size())) {
            for (int i = 0; i < predictions.size(); i++) {
                double[] x = features.get(i).getValues().stream().mapToDouble(Double::doubleValue).toArray();
                assertEquals("liquidation-5m@1", predictions.get(i).getServedBy());
                assertEquals(platt.apply(model.predict(x)), predictions.get(i).getProbability(), 0.0);
                assertTrue(Math.abs(model.predict(x) - predictions.get(i).getProbability()) > 1e-3, "calibrated");
            }
        }
        assertEquals(3, predictions.size());
    }

    /** Two instruments, a global model and one scoped to SIM:A; five bars each. */
    private List<LiquidationRisk> servedWithTwoModels() throws Exception {
        ModelArtifact artifact = trainTinyModel();
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m", ModelRole.PRODUCTION),
                version(artifact, 1, artifact.sha256()), T0);
        ModelVersion scoped = version(artifact, 2, artifact.sha256());
        scoped.setModelKey("liquidation-5m@SIM:A");
        modelVersions.pipeInput(Topics.modelVersionKey("liquidation-5m@SIM:A", ModelRole.PRODUCTION), scoped, T0);
        for (int m = 0; m < 6; m++) {
            minute("SIM:A", m, false);
            minute("SIM:B", m, false);
        }
        return new ArrayList<>(output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList());
    }

    @Test
    void theOnlineLearnerIsBlendedInOnceItHasLearnedEnoughOutcomes() {
        stop();
        start(StreamConfig.Serving.unbatched().withOnline(0.5, 3));
        for (int m = 0; m < 40; m++) {
            minute(m, m % 9 == 4);
        }
        List<LiquidationRisk> predictions = output(Topics.PREDICTIONS_LIQUIDATION).readValuesToList();
        List<FeatureVector> features = output(Topics.FEATURES).readValuesToList();
        List<LabeledExample> examples = output(Topics.TRAINING_EXAMPLES).readValuesToList();
        assertTrue(examples.stream().anyMatch(e -> e.getLabel() == 1) && examples.stream().anyMatch(e -> e.getLabel() == 0));
        io.riptide.serving.RuleBasedLiquidationModel rule = new io.riptide.serving.RuleBasedLiquidationModel(
                featureSet.names());
        int blended = 0;
        for (int i = 0; i < predictions.size(); i++) {
            LiquidationRisk p = predictions.get(i);
            double[] x = features.get(i).getValues().stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(p.getTimeMs(), features.get(i).getTimeMs());
            // replay the learner: the label of a bar ending at t is final once event time passes t + 5 min, so the
            // learner knows it when the bar ending at t + 6 min closes
            io.riptide.serving.OnlineLogisticRegression learner =
                    io.riptide.serving.OnlineLogisticRegression.withDefaults(featureSet.size());
            for (LabeledExample e : examples) {
                if (e.getTimeMs() <= p.getTimeMs() - 6 * MINUTE) {
                    learner.learnOne(e.getFeatures().stream().mapToDouble(Double::doubleValue).toArray(), e.getLabel());
                }
            }
            if (learner.updates() >= 3) {
                blended++;
                assertEquals(0.5, p.getOnlineWeight(), 0.0, p.getPredictionId());
                assertEquals(0.5 * rule.predict(x) + 0.5 * learner.predict(x), p.getProbability(), 1e-12,
                        p.getPredictionId());
            } else {
                assertEquals(0.0, p.getOnlineWeight(), 0.0, p.getPredictionId());
                assertEquals(rule.predict(x), p.getProbability(), 0.0, p.getPredictionId());
            }
        }
        assertTrue(blended > 20, "blended predictions: " + blended);
        assertEquals(blended, liveModels.stats().onlineBlended());
    }

    /** A minute of a livelier market than {@link #minute}: a random walk, so that patterns fire and barriers are hit. */
    private void walkMinute(int m, Random random) {
        long start = T0 + m * MINUTE;
        for (int s = 0; s < 60; s += 5) {
            long t = start + s * 1000L;
            price *= 1 + 0.0015 * random.nextGaussian();
            if (s % 15 == 0) {
                feed.onBook(book(t, price - 0.05, price + 0.05));
            }
            feed.onTrade(Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(t).setPrice(price)
                    .setQty(1 + random.nextInt(5)).setAggressorSide(random.nextBoolean() ? Side.BUY : Side.SELL)
                    .setTradeId(m + "-" + s).build());
        }
    }

    /** The triple-barrier verdict recomputed from the bars as a reader of docs/FEATURES.md would: null while open. */
    private static String verdict(PatternSignal signal, List<Bar> bars) {
        boolean isLong = signal.getDirection() == Direction.LONG;
        for (Bar b : bars) {
            long n = (b.getCloseTimeMs() - signal.getTimeMs()) / MINUTE;
            if (n < 1) {
                continue;
            }
            boolean stop = isLong ? b.getLow() <= signal.getStopPrice() : b.getHigh() >= signal.getStopPrice();
            boolean profit = isLong ? b.getHigh() >= signal.getProfitPrice() : b.getLow() <= signal.getProfitPrice();
            if (stop) {
                return "STOP@" + n;
            }
            if (profit) {
                return "PROFIT@" + n;
            }
            if (n >= signal.getMaxBars()) {
                return "TIME@" + n;
            }
        }
        return null;
    }

    @Test
    void patternSignalsCarryTheirBarriersAndEachEndsOnTheFirstBarrierALaterBarTouches() {
        Random random = new Random(11);
        for (int m = 0; m < 150; m++) {
            walkMinute(m, random);
        }
        List<Bar> bars = output(Topics.BARS_1M).readValuesToList();
        List<FeatureVector> features = output(Topics.FEATURES).readValuesToList();
        List<PatternSignal> signals = output(Topics.PREDICTIONS_PATTERN).readValuesToList();
        Map<String, PatternOutcome> outcomes = new HashMap<>();
        output(Topics.PATTERN_OUTCOMES).readValuesToList().forEach(o -> outcomes.put(o.getSignalId(), o));
        Map<String, LabeledExample> examples = new HashMap<>();
        output(Topics.TRAINING_EXAMPLES).readValuesToList().stream()
                .filter(e -> e.getTask().equals(ModelKey.PATTERN)).forEach(e -> examples.put(e.getExampleId(), e));
        assertTrue(signals.size() >= 10, "signals: " + signals.size());

        int ended = 0;
        for (PatternSignal s : signals) {
            Bar own = bars.stream().filter(b -> b.getCloseTimeMs() == s.getTimeMs()).findFirst().orElseThrow();
            int dir = s.getDirection() == Direction.LONG ? 1 : -1;
            assertEquals(own.getClose(), s.getEntryPrice(), 1e-9, s.getSignalId());
            assertTrue(s.getAtr() > 0, s.getSignalId());
            assertEquals(s.getEntryPrice() + dir * 2 * s.getAtr(), s.getProfitPrice(), 1e-9, s.getSignalId());
            assertEquals(s.getEntryPrice() - dir * s.getAtr(), s.getStopPrice(), 1e-9, s.getSignalId());
            assertEquals(30, s.getMaxBars());
            assertEquals("pattern-30m", s.getModelKey());
            assertEquals(0, s.getModelVersion());
            assertEquals(3, s.getFallbackLevel());
            assertEquals(s.getBaseConfidence(), s.getMlConfidence(), 0.0, "no model serves: the base confidence");

            String expected = verdict(s, bars);
            PatternOutcome o = outcomes.get(s.getSignalId());
            if (expected == null) {
                assertEquals(null, o, "still open: " + s.getSignalId());
                continue;
            }
            ended++;
            assertEquals(expected, o.getBarrier() + "@" + o.getBarsToHit(), s.getSignalId());
            assertEquals(o.getBarrier() == BarrierHit.PROFIT ? 1 : 0, o.getLabel());
            assertEquals(o.getBarsToHit() * MINUTE, o.getTimeToHitMs());
            assertEquals(dir * (o.getExitPrice() - o.getEntryPrice()) / o.getEntryPrice(), o.getRealizedReturn(),
                    1e-12);
            LabeledExample e = examples.get(s.getSignalId());
            assertEquals(o.getLabel(), e.getLabel(), s.getSignalId());
            assertEquals(30, e.getHorizonMinutes());
            FeatureVector asOf = features.stream().filter(f -> f.getTimeMs() == s.getTimeMs()).findFirst()
                    .orElseThrow();
            assertEquals(asOf.getValues(), e.getFeatures(), "point-in-time features of " + s.getSignalId());
        }
        assertTrue(ended >= 5, "ended signals: " + ended);
        assertEquals(ended, outcomes.size(), "no outcome without a signal");
        assertEquals(ended, examples.size());
        assertTrue(outcomes.values().stream().map(PatternOutcome::getBarrier).distinct().count() >= 2,
                "more than one kind of ending: " + outcomes.values().stream().map(PatternOutcome::getBarrier).toList());
    }

    @Test
    void aPublishedPatternModelAdjustsTheConfidenceOfLaterSignals() throws Exception {
        Random random = new Random(11);
        for (int m = 0; m < 70; m++) {
            walkMinute(m, random);
        }
        ModelArtifact artifact = trainTinyModel();
        modelVersions.pipeInput(Topics.modelVersionKey("pattern-30m", ModelRole.PRODUCTION),
                version("pattern-30m", artifact, 1, artifact.sha256()), T0 + 70 * MINUTE);
        for (int m = 70; m < 150; m++) {
            walkMinute(m, random);
        }
        List<PatternSignal> signals = output(Topics.PREDICTIONS_PATTERN).readValuesToList();
        List<PatternSignal> before = signals.stream().filter(s -> s.getTimeMs() < T0 + 70 * MINUTE).toList();
        List<PatternSignal> after = signals.stream().filter(s -> s.getTimeMs() > T0 + 71 * MINUTE).toList();
        assertFalse(before.isEmpty() || after.isEmpty(), "signals before and after: " + signals.size());
        assertTrue(before.stream().allMatch(s -> s.getModelVersion() == 0 && s.getFallbackLevel() == 3));
        for (PatternSignal s : after) {
            assertEquals(1, s.getModelVersion(), s.getSignalId());
            assertEquals(2, s.getFallbackLevel(), "the global key serves: " + s.getSignalId());
            assertTrue(s.getMlConfidence() >= 0 && s.getMlConfidence() <= 1);
        }
        assertTrue(after.stream().anyMatch(s -> s.getMlConfidence() != s.getBaseConfidence()),
                "the model, not the prior, gave the confidence");
    }

    @Test
    void aRegimeScopedPatternModelServesItsRegimeWhileTheOthersFallBack() throws Exception {
        ModelArtifact artifact = trainTinyModel();
        modelVersions.pipeInput(Topics.modelVersionKey("pattern-30m@trending", ModelRole.PRODUCTION),
                version("pattern-30m@trending", artifact, 1, artifact.sha256()), T0);
        Random random = new Random(5);
        for (int m = 0; m < 420; m++) {
            walkMinute(m, random);
        }
        List<PatternSignal> signals = output(Topics.PREDICTIONS_PATTERN).readValuesToList();
        List<PatternSignal> trending = signals.stream().filter(s -> s.getRegime().equals("trending")).toList();
        List<PatternSignal> others = signals.stream().filter(s -> !s.getRegime().equals("trending")).toList();
        assertFalse(trending.isEmpty(), "signals in a trending regime: " + signals.stream()
                .map(PatternSignal::getRegime).distinct().toList());
        assertTrue(others.stream().anyMatch(s -> !s.getRegime().equals("unknown")), "signals in another regime");
        for (PatternSignal s : trending) {
            assertEquals("pattern-30m@trending", s.getModelKey(), s.getSignalId());
            assertEquals(1, s.getModelVersion());
            assertEquals(1, s.getFallbackLevel(), "the regime's key serves");
        }
        for (PatternSignal s : others) {
            assertEquals("pattern-30m", s.getModelKey(), s.getSignalId());
            assertEquals(3, s.getFallbackLevel(), "no key serves " + s.getRegime() + ": the base confidence");
            assertEquals(s.getBaseConfidence(), s.getMlConfidence(), 0.0);
        }
    }

    private ModelArtifact trainTinyModel() {
        return TestModels.tiny(featureSet);
    }

    private ModelVersion version(ModelArtifact artifact, int version, String sha256) throws Exception {
        return version("liquidation-5m", artifact, version, sha256);
    }

    private ModelVersion version(String modelKey, ModelArtifact artifact, int version, String sha256)
            throws Exception {
        return TestModels.version(featureSet, modelKey, artifact, version, sha256, T0);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
