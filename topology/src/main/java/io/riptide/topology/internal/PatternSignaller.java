package io.riptide.topology.internal;

import io.riptide.serving.ModelKey;
import io.riptide.features.FeatureSet;
import io.riptide.features.Pattern;
import io.riptide.schemas.avro.Direction;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.serving.ModelSelector;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pattern signals. When a closed bar completes a signal pattern ({@link Pattern#signals()}), it emits a
 * {@link PatternSignal} with its triple barrier ({@link TripleBarrier}, configured per pattern family) and its
 * ML-adjusted confidence: the pattern model's probability of success, served through the fallback chain
 * {@code pattern-<bars>m@instrument -> @regime -> pattern-<bars>m}, or the pattern's base confidence when no model
 * serves. Every later closed bar of the instrument judges the signals still open, in event time; a signal that
 * ends gives its {@link PatternOutcome} and its point-in-time training example (task {@code pattern}, the features
 * of the signal bar, label 1 when the profit barrier came first).
 *
 * <p>Store layout (changelogged): {@code S|inst|barEnd|pattern} an open signal.
 */
public final class PatternSignaller implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(PatternSignaller.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final StreamConfig.Patterns patterns;
    private final FeatureSet featureSet;
    private final LiveModels liveModels;
    private final Map<String, List<OpenSignal>> open = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;

    public PatternSignaller(StreamConfig config, FeatureSet featureSet, LiveModels liveModels) {
        this.patterns = config.patterns();
        this.featureSet = featureSet;
        this.liveModels = liveModels;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.PATTERN_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (!(record.value() instanceof Messages.PatternBar bar)) {
            return;
        }
        String instrument = record.key();
        List<OpenSignal> signals = openSignals(instrument);
        judge(instrument, signals, bar);
        if (!(bar.atr() > 0) || !(bar.close() > 0)) {
            return; // ATR(14) not warm yet: no barrier to judge a signal on
        }
        for (Pattern.Fired fired : bar.fired()) {
            OpenSignal signal = signal(instrument, bar, fired);
            signals.add(signal);
            store.put(storeKey(instrument, signal.timeMs, signal.pattern), signal.encode());
            context.forward(new Record<>(instrument, signal.toAvro(instrument), bar.endMs()),
                    NodeNames.PATTERN_SIGNALS_SINK);
        }
    }

    /** Judges every open signal of the instrument on a bar that closed after it; emits the ones that end. */
    private void judge(String instrument, List<OpenSignal> signals, Messages.PatternBar bar) {
        for (Iterator<OpenSignal> it = signals.iterator(); it.hasNext(); ) {
            OpenSignal s = it.next();
            if (bar.endMs() <= s.timeMs) {
                continue;
            }
            int barNumber = (int) ((bar.endMs() - s.timeMs) / 60_000L);
            TripleBarrier.Resolution r = s.barrier.onBar(barNumber, bar.open(), bar.high(), bar.low(), bar.close());
            if (r == null) {
                continue;
            }
            it.remove();
            store.delete(storeKey(instrument, s.timeMs, s.pattern));
            context.forward(new Record<>(instrument, outcome(instrument, s, r, bar.endMs()), bar.endMs()),
                    NodeNames.PATTERN_OUTCOMES_SINK);
            context.forward(new Record<>(instrument, LabeledExample.newBuilder()
                    .setExampleId(s.signalId).setInstrument(instrument).setTimeMs(s.timeMs)
                    .setHorizonMinutes(s.barrier.maxBars()).setTask(ModelKey.PATTERN)
                    .setFeatureSetId(featureSet.id()).setFeatureSetHash(featureSet.hash())
                    .setFeatureNames(featureSet.names()).setFeatures(MarketEventProcessor.boxed(s.features))
                    .setLabel(r.label()).setRealizedValue(r.realizedReturn()).setRegime(s.regime).build(),
                    bar.endMs()), NodeNames.TRAINING_EXAMPLES_SINK);
        }
    }

    private OpenSignal signal(String instrument, Messages.PatternBar bar, Pattern.Fired fired) {
        Pattern pattern = fired.pattern();
        StreamConfig.Barrier config = patterns.barrier(pattern);
        TripleBarrier barrier = TripleBarrier.of(fired.direction(), bar.close(), bar.atr(), config.profitAtr(),
                config.stopAtr(), config.bars());
        String key = ModelKey.pattern(config.bars()).key();
        ServingModel serving = liveModels.select(key, instrument, bar.regime());
        double confidence = pattern.baseConfidence();
        int version = ServingModel.FALLBACK_VERSION;
        int level = serving.fallbackLevel();
        String servedKey = key;
        if (!serving.isFallback()) {
            try {
                double p = serving.model().predict(bar.features());
                if (Double.isFinite(p)) {
                    confidence = Math.max(0, Math.min(1, p));
                    version = serving.version();
                    servedKey = serving.modelKey();
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed on a {} signal of {}; the base confidence serves: {}", serving.servedBy(),
                        pattern.featureName(), instrument, e.toString());
            }
            if (version == ServingModel.FALLBACK_VERSION) {
                level = ModelSelector.LEVEL_RULE_BASED;
            }
        }
        return new OpenSignal(instrument + "|" + pattern.featureName() + "|" + bar.endMs(), pattern, bar.endMs(),
                bar.regime(), barrier, bar.atr(), servedKey, version, level, confidence, bar.features().clone());
    }

    private static PatternOutcome outcome(String instrument, OpenSignal s, TripleBarrier.Resolution r, long atMs) {
        return PatternOutcome.newBuilder().setSignalId(s.signalId).setInstrument(instrument)
                .setPattern(s.pattern.featureName()).setDirection(direction(s.barrier.direction()))
                .setRegime(s.regime).setSignalTimeMs(s.timeMs).setResolvedAtMs(atMs).setBarrier(r.barrier())
                .setLabel(r.label()).setEntryPrice(s.barrier.entry()).setExitPrice(r.exitPrice())
                .setRealizedReturn(r.realizedReturn()).setBarsToHit(r.barsToHit()).setTimeToHitMs(atMs - s.timeMs)
                .setModelKey(s.modelKey).setModelVersion(s.modelVersion)
                .setBaseConfidence(s.pattern.baseConfidence()).setMlConfidence(s.mlConfidence).build();
    }

    private static Direction direction(int d) {
        return d > 0 ? Direction.LONG : Direction.SHORT;
    }

    private List<OpenSignal> openSignals(String instrument) {
        List<OpenSignal> cached = open.get(instrument);
        if (cached != null) {
            return cached;
        }
        List<OpenSignal> signals = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("S|" + instrument + "|", KEYS)) {
            it.forEachRemaining(kv -> signals.add(OpenSignal.decode(instrument, kv.value)));
        }
        // the order they were opened in (the store's is by name), so a restart ends them in the same order
        signals.sort(Comparator.comparingLong(OpenSignal::timeMs).thenComparing(OpenSignal::pattern));
        open.put(instrument, signals);
        return signals;
    }

    private static String storeKey(String instrument, long timeMs, Pattern pattern) {
        return StoreKeys.of("S|", instrument, timeMs, 13) + "|" + pattern.featureName();
    }

    /** A signal whose barriers have not been hit yet, with what its outcome and example will need. */
    private record OpenSignal(String signalId, Pattern pattern, long timeMs, String regime, TripleBarrier barrier,
                              double atr, String modelKey, int modelVersion, int fallbackLevel, double mlConfidence,
                              double[] features) {

        PatternSignal toAvro(String instrument) {
            return PatternSignal.newBuilder().setSignalId(signalId).setInstrument(instrument).setTimeMs(timeMs)
                    .setPattern(pattern.featureName()).setDirection(direction(barrier.direction()))
                    .setFamily(pattern.family().label()).setRegime(regime)
                    .setBaseConfidence(pattern.baseConfidence()).setMlConfidence(mlConfidence)
                    .setModelKey(modelKey).setModelVersion(modelVersion).setFallbackLevel(fallbackLevel)
                    .setEntryPrice(barrier.entry()).setAtr(atr).setProfitPrice(barrier.profit())
                    .setStopPrice(barrier.stop()).setMaxBars(barrier.maxBars()).build();
        }

        byte[] encode() {
            byte[] id = StoreCodec.utf8(signalId);
            byte[] name = StoreCodec.utf8(pattern.name());
            byte[] regimeBytes = StoreCodec.utf8(regime);
            byte[] key = StoreCodec.utf8(modelKey);
            ByteBuffer b = ByteBuffer.allocate(4 * 4 + id.length + name.length + regimeBytes.length + key.length
                    + 8 + 4 + 8 * 4 + 4 + 4 + 4 + 8 + 4 + 8 * features.length);
            StoreCodec.putBytes(b, id);
            StoreCodec.putBytes(b, name);
            b.putLong(timeMs);
            StoreCodec.putBytes(b, regimeBytes);
            b.putInt(barrier.direction()).putDouble(barrier.entry()).putDouble(barrier.profit())
                    .putDouble(barrier.stop()).putInt(barrier.maxBars()).putDouble(atr);
            StoreCodec.putBytes(b, key);
            b.putInt(modelVersion).putInt(fallbackLevel).putDouble(mlConfidence);
            StoreCodec.putDoubles(b, features);
            return b.array();
        }

        static OpenSignal decode(String instrument, byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            String id = StoreCodec.string(b);
            Pattern pattern = Pattern.valueOf(StoreCodec.string(b));
            long time = b.getLong();
            String regime = StoreCodec.string(b);
            TripleBarrier barrier = new TripleBarrier(b.getInt(), b.getDouble(), b.getDouble(), b.getDouble(),
                    b.getInt());
            double atr = b.getDouble();
            String key = StoreCodec.string(b);
            return new OpenSignal(id, pattern, time, regime, barrier, atr, key, b.getInt(), b.getInt(),
                    b.getDouble(), StoreCodec.doubles(b));
        }
    }
}
