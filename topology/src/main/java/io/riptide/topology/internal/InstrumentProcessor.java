package io.riptide.topology.internal;

import io.riptide.features.FeatureSet;
import io.riptide.schemas.avro.Alert;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.RiskLevel;
import io.riptide.schemas.avro.SampleKind;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.serving.MicroBatcher;
import io.riptide.serving.RiskLevels;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ModelKeys;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The per-instrument heart of the stream: builds 1-minute bars, feeds the feature engine, predicts liquidation risk
 * at every bar close with the live model of each horizon, and turns each prediction into an outcome and a training
 * example once its horizon has passed in event time.
 *
 * <p>Point-in-time correctness: a bar is closed by the first trade of a later bar (minutes without trades make no
 * bar, as in {@link io.riptide.features.BarAggregator}). Market events are buffered and applied to the feature engine
 * in micro-batches at bar close, and only those before the bar's end: features at time t never include data after
 * t, and the label window (t, t+h] never overlaps what the features saw. Books and liquidations come from other
 * topics and may be consumed ahead of trades; they never close a bar, so no trade is made late by them.
 */
public final class InstrumentProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(InstrumentProcessor.class);
    private static final long BAR_MILLIS = 60_000L;
    private static final Duration RESOLVE_EVERY = Duration.ofSeconds(10);

    private final StreamConfig config;
    private final FeatureSet featureSet;
    private final LiveModels liveModels;
    private final double[] features;
    private final BufferedEvent.BookScratch scratch = new BufferedEvent.BookScratch();
    private final long maxHorizonMs;
    private final long minHorizonMs;
    private final MicroBatcher<ClosedBar> batcher;
    private final HorizonScorer scorer;
    private final OnlineLearners onlineLearners;
    /** Per horizon, per bar of the batch being scored: the model that served and its probability. */
    private final ServingModel[][] served;
    private final double[][] batchProbability;
    private final double[] shadowOut;
    private ProcessorContext<String, Object> context;
    private InstrumentStore store;
    private boolean restored;

    public InstrumentProcessor(StreamConfig config, FeatureSet featureSet, LiveModels liveModels) {
        this.config = config;
        this.featureSet = featureSet;
        this.liveModels = liveModels;
        this.features = new double[featureSet.size()];
        this.maxHorizonMs = config.horizonsMinutes().stream().mapToLong(h -> h * 60_000L).max().orElse(0);
        this.minHorizonMs = config.horizonsMinutes().stream().mapToLong(h -> h * 60_000L).min().orElse(0);
        int maxBatch = config.serving().batchMaxRows();
        this.batcher = new MicroBatcher<>(featureSet.size(), maxBatch,
                config.serving().batchMaxAgeMs() * 1_000_000L, this::scoreBatch);
        this.scorer = new HorizonScorer(liveModels, maxBatch, featureSet.size());
        this.onlineLearners = new OnlineLearners(config);
        this.served = new ServingModel[config.horizonsMinutes().size()][maxBatch];
        this.batchProbability = new double[config.horizonsMinutes().size()][maxBatch];
        this.shadowOut = new double[maxBatch];
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new InstrumentStore(context.getStateStore(NodeNames.INSTRUMENT_STORE), featureSet);
        context.schedule(RESOLVE_EVERY, PunctuationType.STREAM_TIME, this::resolveDueOutcomes);
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
        InstrumentState state = store.state(instrument);
        Object event = record.value();
        if (event instanceof Trade trade) {
            bufferTrade(instrument, state, trade, record);
        } else if (event instanceof BookSnapshot book) {
            int bids = copyLevels(book.getBids(), scratch.bidPx, scratch.bidQty);
            int asks = copyLevels(book.getAsks(), scratch.askPx, scratch.askQty);
            store.buffer(instrument, state, BufferedEvent.book(book.getExchangeTimeMs(), scratch.bidPx,
                    scratch.bidQty, bids, scratch.askPx, scratch.askQty, asks));
        } else if (event instanceof Liquidation liquidation) {
            int side = liquidation.getPositionSide() == PositionSide.LONG ? 1
                    : liquidation.getPositionSide() == PositionSide.SHORT ? -1 : 0;
            store.logLiquidation(instrument, state, liquidation.getExchangeTimeMs(), liquidation.getNotional());
            store.buffer(instrument, state, BufferedEvent.liquidation(liquidation.getExchangeTimeMs(), side,
                    liquidation.getPrice(), liquidation.getQty(), liquidation.getNotional()));
        }
    }

    private void bufferTrade(String instrument, InstrumentState state, Trade trade, Record<String, Object> record) {
        boolean buy = trade.getAggressorSide() == Side.BUY;
        if (!state.bars.accepts(trade.getExchangeTimeMs())) {
            // Out of order by more than the open bar: folding it into the open bar would misdate it.
            Header raw = record.headers().lastHeader(DecodingProcessor.RAW_VALUE_HEADER);
            context.forward(new Record<>(NodeNames.INSTRUMENT_PROCESSOR, DeadLetters.of(context, record.timestamp(),
                    instrument.getBytes(java.nio.charset.StandardCharsets.UTF_8), raw == null ? null : raw.value(),
                    NodeNames.INSTRUMENT_PROCESSOR, "late trade " + trade.getTradeId() + " at "
                            + trade.getExchangeTimeMs() + " arrived after its bar closed", null), record.timestamp()),
                    NodeNames.DEADLETTER_SINK);
            return;
        }
        if (state.bars.onTrade(trade.getExchangeTimeMs(), trade.getPrice(), trade.getQty(), buy)) {
            onBarClosed(instrument, state);
        }
        store.buffer(instrument, state, BufferedEvent.trade(trade.getExchangeTimeMs(), trade.getPrice(),
                trade.getQty(), buy));
    }

    private static int copyLevels(List<PriceLevel> levels, double[] px, double[] qty) {
        int n = Math.min(levels.size(), px.length);
        for (int i = 0; i < n; i++) {
            px[i] = levels.get(i).getPrice();
            qty[i] = levels.get(i).getQty();
        }
        return n;
    }

    private void onBarClosed(String instrument, InstrumentState state) {
        BarAggregatorView closed = BarAggregatorView.of(state.bars);
        long barEnd = closed.openTimeMs() + BAR_MILLIS;
        context.forward(new Record<>(instrument, closed.toBar(instrument), barEnd), NodeNames.BARS_SINK);

        store.applyBuffered(instrument, state, scratch, barEnd);
        state.engine.onBar(closed.openTimeMs(), closed.open(), closed.high(), closed.low(), closed.close(),
                closed.volume(), closed.vwap(), closed.tradeCount(), closed.takerBuyVolume());
        state.engine.writeFeatures(barEnd, features);
        String regime = state.engine.regime();
        List<Double> values = boxed(features);
        context.forward(new Record<>(instrument, FeatureVector.newBuilder()
                .setInstrument(instrument).setTimeMs(barEnd)
                .setFeatureSetId(featureSet.id()).setFeatureSetVersion(featureSet.version())
                .setFeatureSetHash(featureSet.hash()).setValues(values)
                .setWarm(state.engine.isWarm()).setRegime(regime).build(), barEnd), NodeNames.FEATURES_SINK);

        store.snapshot(instrument, state);
        ClosedBar bar = new ClosedBar(instrument, barEnd, regime, features.clone(),
                onlineLearners.learnAndPredict(store, instrument, state, barEnd, features));
        store.addWaiting(bar);
        batcher.offer(bar, bar.features(), nowNanos());
    }

    /** Puts back the closed bars a previous run left waiting (they are in the store, not yet scored). */
    private void restoreWaiting() {
        if (restored) {
            return;
        }
        restored = true;
        for (ClosedBar bar : store.waiting()) {
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

    /**
     * Predicts every horizon for a batch of closed bars and emits, per bar and horizon: the prediction (the batch
     * model, blended with the instrument's online learner once it has learned enough), an alert when the risk is
     * high, the shadow model's prediction, the pending outcome and the monitoring sample.
     */
    private void scoreBatch(MicroBatcher.Batch<ClosedBar> batch) {
        int n = batch.size();
        List<Integer> horizons = config.horizonsMinutes();
        for (int h = 0; h < horizons.size(); h++) {
            scorer.score(ModelKeys.liquidation(horizons.get(h)), batch, served[h], batchProbability[h]);
        }
        liveModels.stats().batchScored(n, (nowNanos() - batch.enqueuedNanos(0)) / 1_000_000L);
        for (int i = 0; i < n; i++) {
            ClosedBar bar = batch.key(i);
            InstrumentState state = store.state(bar.instrument());
            List<Double> values = boxed(bar.features());
            for (int h = 0; h < horizons.size(); h++) {
                emitPrediction(bar, values, state, horizons.get(h), served[h][i], batchProbability[h][i],
                        bar.onlineProbability()[h]);
            }
            store.removeWaiting(bar);
        }
        for (int h = 0; h < horizons.size(); h++) {
            emitShadowPredictions(batch, horizons.get(h));
        }
        // a bar that waited while stream time ran past its horizon (a fast replay) is labelled now, not whenever
        // the next record advances stream time; otherwise the stream-time punctuator does it
        long oldestEnd = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            oldestEnd = Math.min(oldestEnd, batch.key(i).endMs());
        }
        long streamTime = context.currentStreamTimeMs();
        if (streamTime >= oldestEnd + minHorizonMs + config.outcomeGraceMs()) {
            resolveDueOutcomes(streamTime);
        }
    }

    private void emitPrediction(ClosedBar bar, List<Double> values, InstrumentState state, int horizon,
                                ServingModel serving, double batchP, double onlineP) {
        String instrument = bar.instrument();
        double onlineWeight = Double.isNaN(onlineP) ? 0 : config.serving().onlineWeight();
        double probability = onlineWeight > 0 ? (1 - onlineWeight) * batchP + onlineWeight * onlineP : batchP;
        liveModels.stats().predicted(onlineWeight > 0);
        LiquidationRisk risk = riskOf(instrument, bar.endMs(), horizon, serving, probability, onlineWeight);
        context.forward(new Record<>(instrument, risk, bar.endMs()), NodeNames.PREDICTIONS_SINK);
        if (risk.getRiskLevel() == RiskLevel.HIGH || risk.getRiskLevel() == RiskLevel.CRITICAL) {
            context.forward(new Record<>(instrument, alertOf(risk), bar.endMs()), NodeNames.ALERTS_SINK);
        }
        store.addPending(instrument, state, new PendingPrediction(risk.getPredictionId(), bar.endMs(), horizon,
                serving.modelKey(), serving.version(), probability, batchP, bar.regime(), bar.features()));
        context.forward(new Record<>(serving.modelKey(), MonitoringSample.newBuilder()
                .setKind(SampleKind.PREDICTION).setModelKey(serving.modelKey()).setModelVersion(serving.version())
                .setInstrument(instrument).setTimeMs(bar.endMs()).setProbability(batchP)
                .setFeatures(values).build(), bar.endMs()), NodeNames.MONITORING_SAMPLES_SINK);
    }

    private void emitShadowPredictions(MicroBatcher.Batch<ClosedBar> batch, int horizon) {
        ServingModel shadow = liveModels.shadow(ModelKeys.liquidation(horizon)).orElse(null);
        if (shadow == null) {
            return;
        }
        int n = batch.size();
        try {
            shadow.model().predictBatch(batch.rowsRowMajor(), n, shadowOut);
        } catch (RuntimeException e) {
            LOG.warn("shadow {} failed on a batch of {}: {}", shadow.servedBy(), n, e.toString());
            return;
        }
        for (int i = 0; i < n; i++) {
            ClosedBar bar = batch.key(i);
            double p = Math.max(0, Math.min(1, shadowOut[i]));
            if (Double.isFinite(shadowOut[i])) {
                context.forward(new Record<>(bar.instrument(), riskOf(bar.instrument(), bar.endMs(), horizon, shadow,
                        p, 0), bar.endMs()), NodeNames.SHADOW_PREDICTIONS_SINK);
            }
        }
    }

    private LiquidationRisk riskOf(String instrument, long time, int horizon, ServingModel serving, double p,
                                   double onlineWeight) {
        return LiquidationRisk.newBuilder()
                .setPredictionId(instrument + "|" + horizon + "m|" + time + (serving.role()
                        == io.riptide.schemas.avro.ModelRole.SHADOW ? "|shadow" : ""))
                .setInstrument(instrument).setTimeMs(time).setHorizonMinutes(horizon)
                .setProbability(p).setConfidence(RiskLevels.confidence(p))
                .setRiskLevel(RiskLevel.valueOf(config.riskLevels().levelOf(p).name()))
                .setModelKey(serving.modelKey()).setModelVersion(serving.version())
                .setServedBy(serving.servedBy()).setFeatureSetHash(featureSet.hash())
                .setFallbackLevel(serving.fallbackLevel(instrument)).setOnlineWeight(onlineWeight).build();
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

    /** Emits the outcome and training example of every prediction whose horizon (plus grace) has passed. */
    private void resolveDueOutcomes(long streamTimeMs) {
        restoreWaiting();
        for (String instrument : List.copyOf(store.instruments())) {
            InstrumentState state = store.state(instrument);
            for (Iterator<PendingPrediction> it = state.pending.iterator(); it.hasNext(); ) {
                PendingPrediction p = it.next();
                if (streamTimeMs >= p.horizonEndMs() + config.outcomeGraceMs()) {
                    double realized = store.liquidationNotional(instrument, p.timeMs, p.horizonEndMs());
                    emitOutcome(instrument, p, realized, streamTimeMs);
                    store.removePending(instrument, p);
                    it.remove();
                }
            }
            store.pruneLiquidations(instrument, liquidationsNeededFrom(instrument, state, streamTimeMs));
        }
    }

    /**
     * The oldest liquidation time a label may still need: labels count liquidations after a prediction's (or
     * queued bar's) time, so nothing older than the oldest pending prediction, bar waiting for its batch or bar
     * not yet learned is needed.
     */
    private long liquidationsNeededFrom(String instrument, InstrumentState state, long streamTimeMs) {
        long from = streamTimeMs - maxHorizonMs - config.outcomeGraceMs() - 120_000L;
        for (PendingPrediction p : state.pending) {
            from = Math.min(from, p.timeMs);
        }
        long[] oldestWaiting = {from};
        batcher.forEachWaiting(bar -> {
            if (bar.instrument().equals(instrument)) {
                oldestWaiting[0] = Math.min(oldestWaiting[0], bar.endMs());
            }
        });
        from = oldestWaiting[0];
        return Math.min(from, onlineLearners.oldestUnlearnedBar(store, instrument, state));
    }

    private void emitOutcome(String instrument, PendingPrediction p, double realized, long resolvedAtMs) {
        int label = realized > config.liquidationThreshold() ? 1 : 0;
        long at = p.horizonEndMs();
        context.forward(new Record<>(instrument, Outcome.newBuilder()
                .setPredictionId(p.predictionId).setInstrument(instrument).setPredictionTimeMs(p.timeMs)
                .setHorizonMinutes(p.horizonMinutes).setResolvedAtMs(resolvedAtMs).setLabel(label)
                .setRealizedValue(realized).setModelKey(p.modelKey).setModelVersion(p.modelVersion)
                .setProbability(p.probability).build(), at), NodeNames.OUTCOMES_SINK);
        context.forward(new Record<>(instrument, LabeledExample.newBuilder()
                .setExampleId(p.predictionId).setInstrument(instrument).setTimeMs(p.timeMs)
                .setHorizonMinutes(p.horizonMinutes).setTask(ModelKeys.LIQUIDATION_TASK)
                .setFeatureSetId(featureSet.id()).setFeatureSetHash(featureSet.hash())
                .setFeatureNames(featureSet.names()).setFeatures(boxed(p.features))
                .setLabel(label).setRealizedValue(realized).setRegime(p.regime).build(), at),
                NodeNames.TRAINING_EXAMPLES_SINK);
        context.forward(new Record<>(p.modelKey, MonitoringSample.newBuilder()
                .setKind(SampleKind.OUTCOME).setModelKey(p.modelKey).setModelVersion(p.modelVersion)
                .setInstrument(instrument).setTimeMs(p.timeMs).setProbability(p.batchProbability).setLabel(label)
                .build(), at), NodeNames.MONITORING_SAMPLES_SINK);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    /** The bar the aggregator just closed, read once. */
    private record BarAggregatorView(long openTimeMs, double open, double high, double low, double close,
                                     double volume, double vwap, int tradeCount, double takerBuyVolume) {
        static BarAggregatorView of(io.riptide.features.BarAggregator bars) {
            return new BarAggregatorView(bars.closedOpenTimeMs(), bars.closedOpen(), bars.closedHigh(),
                    bars.closedLow(), bars.closedClose(), bars.closedVolume(), bars.closedVwap(),
                    bars.closedTradeCount(), bars.closedTakerBuyVolume());
        }

        Bar toBar(String instrument) {
            return Bar.newBuilder().setInstrument(instrument).setOpenTimeMs(openTimeMs)
                    .setCloseTimeMs(openTimeMs + BAR_MILLIS).setOpen(open).setHigh(high).setLow(low).setClose(close)
                    .setVolume(volume).setVwap(Double.isNaN(vwap) ? null : vwap)
                    .setTradeCount(tradeCount < 0 ? null : tradeCount)
                    .setTakerBuyVolume(Double.isNaN(takerBuyVolume) ? null : takerBuyVolume)
                    .setSource(BarSource.TRADES).build();
        }
    }
}
