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
import io.riptide.topology.LiveModels;
import io.riptide.topology.ModelKeys;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The per-instrument heart of the stream: builds 1-minute bars, feeds the feature engine, predicts liquidation risk
 * at every bar close with the live model of each horizon, and turns each prediction into an outcome and a training
 * example once its horizon has passed in event time.
 *
 * <p>Point-in-time correctness: a bar is closed, and its features and predictions computed, by the first event of any
 * kind at or after the bar's end, before that event is applied. So features at time t never include data after t,
 * and the label window (t, t+h] never overlaps what the features saw.
 */
public final class InstrumentProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(InstrumentProcessor.class);
    private static final long BAR_MILLIS = 60_000L;
    private static final Duration RESOLVE_EVERY = Duration.ofSeconds(10);

    private final StreamConfig config;
    private final FeatureSet featureSet;
    private final LiveModels liveModels;
    private final Map<String, InstrumentState> cache = new HashMap<>();
    private final double[] features;
    private final double[] bidPx = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
    private final double[] bidQty = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
    private final double[] askPx = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
    private final double[] askQty = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;

    public InstrumentProcessor(StreamConfig config, FeatureSet featureSet, LiveModels liveModels) {
        this.config = config;
        this.featureSet = featureSet;
        this.liveModels = liveModels;
        this.features = new double[featureSet.size()];
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.INSTRUMENT_STORE);
        cache.clear();
        context.schedule(RESOLVE_EVERY, PunctuationType.STREAM_TIME, this::resolveDueOutcomes);
    }

    @Override
    public void process(Record<String, Object> record) {
        String instrument = record.key();
        InstrumentState state = stateOf(instrument);
        Object event = record.value();
        long eventTime = eventTimeOf(event);
        if (state.bars.closeIfEnded(eventTime)) {
            onBarClosed(instrument, state);
        }
        if (event instanceof Trade trade) {
            applyTrade(instrument, state, trade, record.timestamp());
        } else if (event instanceof BookSnapshot book) {
            applyBook(state, book);
        } else if (event instanceof Liquidation liquidation) {
            applyLiquidation(state, liquidation);
        }
        state.lastEventTimeMs = Math.max(state.lastEventTimeMs, eventTime);
        store.put(instrument, state.toBytes());
    }

    private InstrumentState stateOf(String instrument) {
        return cache.computeIfAbsent(instrument, key -> {
            byte[] stored = store.get(key);
            return stored == null ? InstrumentState.fresh(featureSet) : InstrumentState.fromBytes(featureSet, stored);
        });
    }

    private static long eventTimeOf(Object event) {
        if (event instanceof Trade t) {
            return t.getExchangeTimeMs();
        }
        if (event instanceof BookSnapshot b) {
            return b.getExchangeTimeMs();
        }
        return ((Liquidation) event).getExchangeTimeMs();
    }

    private void applyTrade(String instrument, InstrumentState state, Trade trade, long timestamp) {
        boolean buy = trade.getAggressorSide() == Side.BUY;
        if (!state.bars.accepts(trade.getExchangeTimeMs())) {
            // Out of order by more than the open bar: folding it into the open bar would misdate it.
            context.forward(new Record<>(NodeNames.INSTRUMENT_PROCESSOR, DeadLetters.of(context, timestamp,
                    instrument.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, NodeNames.INSTRUMENT_PROCESSOR,
                    "late trade " + trade.getTradeId() + " at " + trade.getExchangeTimeMs()
                            + " arrived after its bar closed", null), timestamp), NodeNames.DEADLETTER_SINK);
            return;
        }
        if (state.bars.onTrade(trade.getExchangeTimeMs(), trade.getPrice(), trade.getQty(), buy)) {
            onBarClosed(instrument, state);
        }
        state.engine.onTrade(trade.getExchangeTimeMs(), trade.getPrice(), trade.getQty(), buy);
    }

    private void applyBook(InstrumentState state, BookSnapshot book) {
        int bids = copyLevels(book.getBids(), bidPx, bidQty);
        int asks = copyLevels(book.getAsks(), askPx, askQty);
        state.engine.onBook(book.getExchangeTimeMs(), bidPx, bidQty, bids, askPx, askQty, asks);
    }

    private static int copyLevels(List<PriceLevel> levels, double[] px, double[] qty) {
        int n = Math.min(levels.size(), px.length);
        for (int i = 0; i < n; i++) {
            px[i] = levels.get(i).getPrice();
            qty[i] = levels.get(i).getQty();
        }
        return n;
    }

    private void applyLiquidation(InstrumentState state, Liquidation liquidation) {
        int side = liquidation.getPositionSide() == PositionSide.LONG ? 1
                : liquidation.getPositionSide() == PositionSide.SHORT ? -1 : 0;
        long time = liquidation.getExchangeTimeMs();
        state.engine.onLiquidation(time, side, liquidation.getPrice(), liquidation.getQty(), liquidation.getNotional());
        for (PendingPrediction p : state.pending) {
            if (p.covers(time)) {
                p.realizedNotional += liquidation.getNotional();
            }
        }
    }

    private void onBarClosed(String instrument, InstrumentState state) {
        BarAggregatorView closed = BarAggregatorView.of(state.bars);
        long barEnd = closed.openTimeMs() + BAR_MILLIS;
        context.forward(new Record<>(instrument, closed.toBar(instrument), barEnd), NodeNames.BARS_SINK);

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

        for (int horizon : config.horizonsMinutes()) {
            String baseKey = ModelKeys.liquidation(horizon);
            ServingModel serving = liveModels.select(baseKey, instrument, regime);
            double probability = predict(serving, baseKey, instrument);
            LiquidationRisk risk = riskOf(instrument, barEnd, horizon, serving, probability);
            context.forward(new Record<>(instrument, risk, barEnd), NodeNames.PREDICTIONS_SINK);
            if (risk.getRiskLevel() == RiskLevel.HIGH || risk.getRiskLevel() == RiskLevel.CRITICAL) {
                context.forward(new Record<>(instrument, alertOf(risk), barEnd), NodeNames.ALERTS_SINK);
            }
            liveModels.shadow(baseKey).ifPresent(shadow -> context.forward(new Record<>(instrument,
                    riskOf(instrument, barEnd, horizon, shadow, clamp(shadow.model().predict(features))), barEnd),
                    NodeNames.SHADOW_PREDICTIONS_SINK));
            state.pending.add(new PendingPrediction(risk.getPredictionId(), barEnd, horizon, serving.modelKey(),
                    serving.version(), probability, regime, features.clone(), 0));
            context.forward(new Record<>(serving.modelKey(), MonitoringSample.newBuilder()
                    .setKind(SampleKind.PREDICTION).setModelKey(serving.modelKey()).setModelVersion(serving.version())
                    .setInstrument(instrument).setTimeMs(barEnd).setProbability(probability)
                    .setFeatures(values).build(), barEnd), NodeNames.MONITORING_SAMPLES_SINK);
        }
    }

    private double predict(ServingModel serving, String baseKey, String instrument) {
        try {
            double p = serving.model().predict(features);
            if (Double.isFinite(p)) {
                return clamp(p);
            }
            LOG.warn("{} predicted {} for {}; serving the fallback for this bar", serving.servedBy(), p, instrument);
        } catch (RuntimeException e) {
            LOG.warn("{} failed for {}: {}; serving the fallback for this bar", serving.servedBy(), instrument,
                    e.toString());
        }
        return clamp(liveModels.fallback(baseKey).model().predict(features));
    }

    private LiquidationRisk riskOf(String instrument, long time, int horizon, ServingModel serving, double p) {
        return LiquidationRisk.newBuilder()
                .setPredictionId(instrument + "|" + horizon + "m|" + time + (serving.role()
                        == io.riptide.schemas.avro.ModelRole.SHADOW ? "|shadow" : ""))
                .setInstrument(instrument).setTimeMs(time).setHorizonMinutes(horizon)
                .setProbability(p).setConfidence(config.riskThresholds().confidenceOf(p))
                .setRiskLevel(config.riskThresholds().levelOf(p))
                .setModelKey(serving.modelKey()).setModelVersion(serving.version())
                .setServedBy(serving.servedBy()).setFeatureSetHash(featureSet.hash()).build();
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
        List<String> instruments = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> instruments.add(entry.key));
        }
        for (String instrument : instruments) {
            InstrumentState state = stateOf(instrument);
            boolean changed = false;
            for (Iterator<PendingPrediction> it = state.pending.iterator(); it.hasNext(); ) {
                PendingPrediction p = it.next();
                if (streamTimeMs >= p.horizonEndMs() + config.outcomeGraceMs()) {
                    emitOutcome(instrument, p, streamTimeMs);
                    it.remove();
                    changed = true;
                }
            }
            if (changed) {
                store.put(instrument, state.toBytes());
            }
        }
    }

    private void emitOutcome(String instrument, PendingPrediction p, long resolvedAtMs) {
        int label = p.realizedNotional > config.liquidationThreshold() ? 1 : 0;
        long at = p.horizonEndMs();
        context.forward(new Record<>(instrument, Outcome.newBuilder()
                .setPredictionId(p.predictionId).setInstrument(instrument).setPredictionTimeMs(p.timeMs)
                .setHorizonMinutes(p.horizonMinutes).setResolvedAtMs(resolvedAtMs).setLabel(label)
                .setRealizedValue(p.realizedNotional).setModelKey(p.modelKey).setModelVersion(p.modelVersion)
                .setProbability(p.probability).build(), at), NodeNames.OUTCOMES_SINK);
        context.forward(new Record<>(instrument, LabeledExample.newBuilder()
                .setExampleId(p.predictionId).setInstrument(instrument).setTimeMs(p.timeMs)
                .setHorizonMinutes(p.horizonMinutes).setTask(ModelKeys.LIQUIDATION_TASK)
                .setFeatureSetId(featureSet.id()).setFeatureSetHash(featureSet.hash())
                .setFeatureNames(featureSet.names()).setFeatures(boxed(p.features))
                .setLabel(label).setRealizedValue(p.realizedNotional).setRegime(p.regime).build(), at),
                NodeNames.TRAINING_EXAMPLES_SINK);
        context.forward(new Record<>(p.modelKey, MonitoringSample.newBuilder()
                .setKind(SampleKind.OUTCOME).setModelKey(p.modelKey).setModelVersion(p.modelVersion)
                .setInstrument(instrument).setTimeMs(p.timeMs).setProbability(p.probability).setLabel(label)
                .build(), at), NodeNames.MONITORING_SAMPLES_SINK);
    }

    private static double clamp(double p) {
        return Math.max(0, Math.min(1, p));
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
