package io.riptide.topology.internal;

import io.riptide.serving.ModelKey;
import io.riptide.features.FeatureSet;
import io.riptide.schemas.avro.Alert;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.RiskLevel;
import io.riptide.schemas.avro.SampleKind;
import io.riptide.serving.MicroBatcher;
import io.riptide.serving.RiskLevels;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts liquidation risk for every closed bar at every horizon. Closed bars of any instrument of the task wait
 * in a {@link MicroBatcher} (up to {@code stream.batch.max.rows}, at most {@code stream.batch.max.age.ms}); at flush
 * each bar's model is picked by the fallback chain and bars that share a model are scored in one call. Per bar and
 * horizon it emits the prediction (the batch model, blended with the instrument's online learner once that has
 * learned enough), an alert when an episode of high risk starts ({@link AlertPolicy}), the shadow model's
 * prediction, and the monitoring sample; the outcome joiner gets what was served.
 *
 * <p>Store layout (changelogged): {@code B|inst|barEnd} a closed bar waiting for its batch, durable so that a commit
 * taken while it waits loses nothing (exactly-once); {@code A|inst|horizon} the level alerted in the current
 * episode.
 */
public final class PredictionProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final StreamConfig config;
    private final FeatureSet featureSet;
    private final LiveModels liveModels;
    private final List<Integer> horizons;
    /** Per horizon, the base model key that serves it. */
    private final String[] modelKeys;
    private final MicroBatcher<ClosedBar> batcher;
    private final HorizonScorer scorer;
    /** Per horizon, per bar of the batch being scored: the model that served and its probability. */
    private final ServingModel[][] served;
    private final double[][] batchProbability;
    /** Per horizon: the key's shadow that scored the batch (null if none) and its probabilities. */
    private final ServingModel[] shadows;
    private final double[][] shadowProbability;
    /** Per instrument: event time it has reached, and the watermark last handed on. */
    private final Map<String, long[]> clocks = new HashMap<>();
    private final Map<String, RiskLevel> alerted = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private boolean restored;

    public PredictionProcessor(StreamConfig config, FeatureSet featureSet, LiveModels liveModels) {
        this.config = config;
        this.featureSet = featureSet;
        this.liveModels = liveModels;
        this.horizons = config.horizonsMinutes();
        this.modelKeys = horizons.stream().map(h -> ModelKey.liquidation(h).key()).toArray(String[]::new);
        int maxBatch = config.serving().batchMaxRows();
        this.batcher = new MicroBatcher<>(featureSet.size(), maxBatch,
                config.serving().batchMaxAgeMs() * 1_000_000L, this::scoreBatch);
        this.scorer = new HorizonScorer(liveModels, maxBatch, featureSet.size());
        this.served = new ServingModel[horizons.size()][maxBatch];
        this.batchProbability = new double[horizons.size()][maxBatch];
        this.shadows = new ServingModel[horizons.size()];
        this.shadowProbability = new double[horizons.size()][maxBatch];
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.PREDICTOR_STORE);
        long maxAgeMs = config.serving().batchMaxAgeMs();
        if (maxAgeMs > 0) {
            // a bar waits at most maxAge plus half of it (the punctuation interval) plus one poll loop
            context.schedule(Duration.ofMillis(Math.max(1, maxAgeMs / 2)), PunctuationType.WALL_CLOCK_TIME,
                    this::flushIfDue);
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        restoreWaiting();
        String instrument = record.key();
        if (record.value() instanceof ClosedBar bar) {
            store.put(waitingKey(instrument, bar.endMs()), bar.encode());
            batcher.offer(bar, bar.features(), nowNanos());
        } else if (record.value() instanceof Messages.TimeAdvance advance) {
            clock(instrument)[0] = advance.timeMs();
            handOnWatermark(instrument);
        }
    }

    private long[] clock(String instrument) {
        return clocks.computeIfAbsent(instrument, i -> new long[]{Long.MIN_VALUE, Long.MIN_VALUE});
    }

    /**
     * No later monitoring sample of the instrument stands before min(its event time, its oldest bar still
     * waiting): predictions stand at their bar's end, outcomes at or after event time.
     */
    private long watermark(String instrument) {
        long[] bars = {clock(instrument)[0]};
        batcher.forEachWaiting(bar -> {
            if (bar.instrument().equals(instrument)) {
                bars[0] = Math.min(bars[0], bar.endMs());
            }
        });
        return bars[0];
    }

    private void handOnWatermark(String instrument) {
        long w = watermark(instrument);
        long[] clock = clock(instrument);
        if (w > clock[1]) {
            clock[1] = w;
            context.forward(new Record<>(instrument, new Messages.SampleWatermark(w), Math.max(0, w)),
                    NodeNames.OUTCOME_JOINER);
        }
    }

    /** Puts back the closed bars a previous run left waiting (they are in the store, not yet scored). */
    private void restoreWaiting() {
        if (restored) {
            return;
        }
        restored = true;
        List<ClosedBar> bars = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("B|", KEYS)) {
            it.forEachRemaining(kv -> bars.add(ClosedBar.decode(kv.value)));
        }
        bars.sort((a, b) -> Long.compare(a.endMs(), b.endMs()));
        for (ClosedBar bar : bars) {
            if (batcher.waiting() == config.serving().batchMaxRows()) {
                batcher.flush(nowNanos());
            }
            batcher.offerWithoutFlush(bar, bar.features(), nowNanos());
        }
    }

    private long nowNanos() {
        return context.currentSystemTimeMs() * 1_000_000L;
    }

    private void flushIfDue(long wallClockMs) {
        restoreWaiting();
        batcher.flushIfDue(wallClockMs * 1_000_000L);
    }

    private void scoreBatch(MicroBatcher.Batch<ClosedBar> batch) {
        int n = batch.size();
        for (int h = 0; h < horizons.size(); h++) {
            scorer.score(modelKeys[h], batch, served[h], batchProbability[h]);
            shadows[h] = scoreShadow(batch, horizons.get(h), shadowProbability[h]);
        }
        liveModels.stats().batchScored(n, (nowNanos() - batch.enqueuedNanos(0)) / 1_000_000L);
        for (int i = 0; i < n; i++) {
            store.delete(waitingKey(batch.key(i).instrument(), batch.key(i).endMs()));
        }
        for (int i = 0; i < n; i++) {
            ClosedBar bar = batch.key(i);
            for (int h = 0; h < horizons.size(); h++) {
                // paired only where the shadow would replace what served: not where a scoped model served the bar
                boolean paired = shadows[h] != null && !Double.isNaN(shadowProbability[h][i])
                        && shadows[h].modelKey().equals(served[h][i].modelKey());
                emitPrediction(bar, horizons.get(h), served[h][i], batchProbability[h][i],
                        bar.onlineProbability()[h], paired ? shadows[h] : null,
                        paired ? shadowProbability[h][i] : Double.NaN);
            }
        }
        for (int h = 0; h < horizons.size(); h++) {
            emitShadowPredictions(batch, horizons.get(h), shadows[h], shadowProbability[h]);
        }
        for (int i = 0; i < n; i++) {
            handOnWatermark(batch.key(i).instrument());
        }
    }

    /**
     * @param shadow  the key's shadow, if it scored this bar: its probability is carried to the outcome, paired with
     *                production's (the promotion test's data)
     */
    private void emitPrediction(ClosedBar bar, int horizon, ServingModel serving, double batchP, double onlineP,
                                ServingModel shadow, double shadowP) {
        String instrument = bar.instrument();
        boolean canary = shadow != null && CanaryRule.serves(instrument, config.serving().canaryShare());
        double onlineWeight = Double.isNaN(onlineP) || canary ? 0 : config.serving().onlineWeight();
        double probability = canary ? shadowP
                : onlineWeight > 0 ? (1 - onlineWeight) * batchP + onlineWeight * onlineP : batchP;
        liveModels.stats().predicted(onlineWeight > 0);
        // a canary instrument is served by the shadow itself; production still scores it, for the pairing and drift
        LiquidationRisk risk = riskOf(instrument, bar.endMs(), horizon, canary ? shadow : serving, probability,
                onlineWeight, canary ? ModelRole.CANARY : ModelRole.PRODUCTION);
        context.forward(new Record<>(instrument, risk, bar.endMs()), NodeNames.PREDICTIONS_SINK);
        alertIfEpisodeStarts(risk);
        context.forward(new Record<>(instrument, new Messages.ScoredPrediction(risk.getPredictionId(), bar.endMs(),
                horizon, serving.modelKey(), serving.version(), ModelRole.PRODUCTION, probability, batchP,
                shadow == null ? Messages.ScoredPrediction.NO_SHADOW : shadow.version(), shadowP),
                bar.endMs()), NodeNames.OUTCOME_JOINER);
        context.forward(new Record<>(serving.modelKey(), MonitoringSample.newBuilder()
                .setKind(SampleKind.PREDICTION).setModelKey(serving.modelKey()).setModelVersion(serving.version())
                .setInstrument(instrument).setTimeMs(bar.endMs()).setProbability(batchP)
                .setFeatures(MarketEventProcessor.boxed(bar.features())).setAtMs(bar.endMs())
                .setWatermarkMs(watermarkAfter(instrument, bar)).build(), bar.endMs()),
                NodeNames.MONITORING_SAMPLES_SINK);
    }

    /** The instrument's watermark once this bar (already out of the batch) is done with. */
    private long watermarkAfter(String instrument, ClosedBar bar) {
        return Math.min(watermark(instrument), bar.endMs());
    }

    private void alertIfEpisodeStarts(LiquidationRisk risk) {
        String key = StoreKeys.of("A|", risk.getInstrument(), risk.getHorizonMinutes(), 5);
        RiskLevel raised = alerted.computeIfAbsent(key, k -> {
            byte[] stored = store.get(k);
            return stored == null ? RiskLevel.LOW : RiskLevel.values()[stored[0]];
        });
        RiskLevel level = risk.getRiskLevel();
        if (AlertPolicy.alerts(raised, level)) {
            context.forward(new Record<>(risk.getInstrument(), alertOf(risk), risk.getTimeMs()),
                    NodeNames.ALERTS_SINK);
        }
        RiskLevel next = AlertPolicy.next(raised, level);
        if (next != raised) {
            alerted.put(key, next);
            store.put(key, new byte[]{(byte) next.ordinal()});
        }
    }

    /**
     * Scores the batch with the key's shadow, if it has one, into {@code out} (NaN where the shadow gave no finite
     * probability). A shadow that fails is logged and skipped: it never costs production its predictions.
     *
     * @return the shadow that scored the batch, null if none did
     */
    private ServingModel scoreShadow(MicroBatcher.Batch<ClosedBar> batch, int horizon, double[] out) {
        ServingModel shadow = liveModels.shadow(ModelKey.liquidation(horizon).key()).orElse(null);
        if (shadow == null) {
            return null;
        }
        int n = batch.size();
        try {
            shadow.model().predictBatch(batch.rowsRowMajor(), n, out);
        } catch (RuntimeException e) {
            LOG.warn("shadow {} failed on a batch of {}: {}", shadow.servedBy(), n, e.toString());
            return null;
        }
        for (int i = 0; i < n; i++) {
            out[i] = Double.isFinite(out[i]) ? Math.max(0, Math.min(1, out[i])) : Double.NaN;
        }
        return shadow;
    }

    private void emitShadowPredictions(MicroBatcher.Batch<ClosedBar> batch, int horizon, ServingModel shadow,
                                       double[] probabilities) {
        if (shadow == null) {
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            ClosedBar bar = batch.key(i);
            if (!Double.isNaN(probabilities[i])) {
                context.forward(new Record<>(bar.instrument(), riskOf(bar.instrument(), bar.endMs(), horizon, shadow,
                        probabilities[i], 0, ModelRole.SHADOW), bar.endMs()), NodeNames.SHADOW_PREDICTIONS_SINK);
            }
        }
    }

    /** @param servedRole SHADOW for predictions.shadow (its own ids), PRODUCTION or CANARY on the production topic */
    private LiquidationRisk riskOf(String instrument, long time, int horizon, ServingModel serving, double p,
                                   double onlineWeight, ModelRole servedRole) {
        String id = PredictionIds.of(instrument, horizon, time);
        return LiquidationRisk.newBuilder()
                .setPredictionId(servedRole == ModelRole.SHADOW ? PredictionIds.shadow(id) : id)
                .setServedRole(servedRole)
                .setInstrument(instrument).setTimeMs(time).setHorizonMinutes(horizon)
                .setProbability(p).setConfidence(RiskLevels.confidence(p))
                .setRiskLevel(RiskLevel.valueOf(config.riskLevels().levelOf(p).name()))
                .setModelKey(serving.modelKey()).setModelVersion(serving.version())
                .setServedBy(serving.servedBy()).setFeatureSetHash(featureSet.hash())
                .setFallbackLevel(serving.fallbackLevel()).setOnlineWeight(onlineWeight).build();
    }

    private static Alert alertOf(LiquidationRisk risk) {
        return Alert.newBuilder().setAlertId("alert|" + risk.getPredictionId())
                .setInstrument(risk.getInstrument()).setTimeMs(risk.getTimeMs())
                .setRiskLevel(risk.getRiskLevel()).setHorizonMinutes(risk.getHorizonMinutes())
                .setProbability(risk.getProbability()).setPredictionId(risk.getPredictionId())
                .setMessage(String.format("%s liquidation risk %.0f%% within %d min on %s (%s)",
                        risk.getRiskLevel(), 100 * risk.getProbability(), risk.getHorizonMinutes(),
                        risk.getInstrument(), risk.getServedBy()))
                .build();
    }

    private static String waitingKey(String instrument, long barEndMs) {
        return StoreKeys.of("B|", instrument, barEndMs, 13);
    }
}
