package io.riptide.topology.internal;

import io.riptide.serving.ModelKey;
import io.riptide.features.FeatureSet;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.serving.OnlineLogisticRegression;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one labeller of the stream: for every closed bar and horizon it waits until event time has passed the label
 * window, computes the label ({@link LiquidationLabeller}) from the liquidations released so far, and then, in
 * this order: emits the point-in-time training example, lets the instrument's online learner learn it, and hands
 * the label to the outcome joiner. Online learners predict each closed bar after learning every label final by
 * the bar's end, so what they know depends on event time only.
 *
 * <p>Store layout (changelogged): {@code L|inst|time|seq} a released liquidation, kept while a window may need
 * it; {@code Q|inst|barEnd} a closed bar's features until every horizon has labelled it; {@code H|inst|horizon} how
 * far that horizon has labelled, and its online learner.
 */
public final class LabelProcessor implements Processor<String, Object, String, Object> {
    private static final StringSerializer KEYS = new StringSerializer();

    private final StreamConfig config;
    private final FeatureSet featureSet;
    private final LiquidationLabeller labeller;
    private final int[] horizons;
    private final long[] horizonMs;
    private final boolean online;
    private final Map<String, LabelState> cache = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;

    public LabelProcessor(StreamConfig config, FeatureSet featureSet) {
        this.config = config;
        this.featureSet = featureSet;
        this.labeller = new LiquidationLabeller(config.liquidationThreshold());
        this.horizons = config.horizonsMinutes().stream().mapToInt(Integer::intValue).toArray();
        this.horizonMs = Arrays.stream(horizons).mapToLong(h -> h * 60_000L).toArray();
        this.online = config.serving().onlineWeight() > 0;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.LABEL_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        String instrument = record.key();
        LabelState state = state(instrument);
        Object value = record.value();
        if (value instanceof Messages.ReleasedLiquidation l) {
            if (state.history.add(l.timeMs(), l.seq(), l.notional())) {
                store.put(liquidationKey(instrument, l.timeMs(), l.seq()),
                        ByteBuffer.allocate(8).putDouble(l.notional()).array());
            }
        } else if (value instanceof ClosedBar bar) {
            resolveUntil(instrument, state, bar.endMs());
            double[] onlineP = predictOnline(state, bar.features());
            state.queue.add(new QueuedBar(bar.endMs(), bar.regime(), bar.features()));
            store.put(queueKey(instrument, bar.endMs()), new ClosedBar(instrument, bar.endMs(), bar.regime(),
                    bar.features(), new double[0]).encode());
            context.forward(new Record<>(instrument, new ClosedBar(instrument, bar.endMs(), bar.regime(),
                    bar.features(), onlineP), bar.endMs()), NodeNames.PREDICTOR);
        } else if (value instanceof Messages.TimeAdvance advance) {
            resolveUntil(instrument, state, advance.timeMs());
            context.forward(record, NodeNames.PREDICTOR);
        }
    }

    /** Labels every queued bar whose window is final at event time {@code nowMs}, horizon by horizon, oldest first. */
    private void resolveUntil(String instrument, LabelState state, long nowMs) {
        for (int h = 0; h < horizons.length; h++) {
            boolean learned = false;
            for (QueuedBar bar : state.queue) {
                if (bar.endMs <= state.labelledThrough[h]) {
                    continue;
                }
                if (LiquidationLabeller.finalAt(bar.endMs, horizonMs[h]) > nowMs) {
                    break;
                }
                double realized = state.history.notionalIn(bar.endMs, bar.endMs + horizonMs[h]);
                int label = labeller.label(realized);
                String id = PredictionIds.of(instrument, horizons[h], bar.endMs);
                long at = bar.endMs + horizonMs[h];
                context.forward(new Record<>(instrument, LabeledExample.newBuilder()
                        .setExampleId(id).setInstrument(instrument).setTimeMs(bar.endMs)
                        .setHorizonMinutes(horizons[h]).setTask(ModelKey.LIQUIDATION)
                        .setFeatureSetId(featureSet.id()).setFeatureSetHash(featureSet.hash())
                        .setFeatureNames(featureSet.names()).setFeatures(MarketEventProcessor.boxed(bar.features))
                        .setLabel(label).setRealizedValue(realized).setRegime(bar.regime).build(), at),
                        NodeNames.TRAINING_EXAMPLES_SINK);
                if (online) {
                    state.learners[h].learnOne(bar.features, label);
                    learned = true;
                }
                context.forward(new Record<>(instrument, new Messages.ResolvedLabel(id, bar.endMs, horizons[h], label,
                        realized), at), NodeNames.OUTCOME_JOINER);
                state.labelledThrough[h] = bar.endMs;
                state.dirty[h] = true;
            }
            if (state.dirty[h]) {
                saveHorizon(instrument, state, h, learned);
            }
        }
        forgetLabelled(instrument, state, nowMs);
    }

    private double[] predictOnline(LabelState state, double[] features) {
        double[] p = new double[horizons.length];
        Arrays.fill(p, Double.NaN);
        if (online) {
            for (int h = 0; h < horizons.length; h++) {
                if (state.learners[h].updates() >= config.serving().onlineMinUpdates()) {
                    p[h] = state.learners[h].predict(features);
                }
            }
        }
        return p;
    }

    /** Drops bars every horizon has labelled, and the liquidations no remaining or future window can count. */
    private void forgetLabelled(String instrument, LabelState state, long nowMs) {
        long done = Long.MAX_VALUE;
        for (long through : state.labelledThrough) {
            done = Math.min(done, through);
        }
        while (!state.queue.isEmpty() && state.queue.get(0).endMs <= done) {
            store.delete(queueKey(instrument, state.queue.remove(0).endMs));
        }
        // windows are (barEnd, ...]: a liquidation at or before the oldest queued bar's end (or, with none queued,
        // before the next bar can close) counts for no one
        long neededAfter = state.queue.isEmpty() ? nowMs - 1 : state.queue.get(0).endMs;
        if (state.history.pruneBefore(neededAfter + 1) > 0) {
            List<String> old = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.range("L|" + instrument + "|",
                    StoreKeys.of("L|", instrument, neededAfter + 1, 13))) {
                it.forEachRemaining(kv -> old.add(kv.key));
            }
            old.forEach(store::delete);
        }
    }

    private void saveHorizon(String instrument, LabelState state, int h, boolean learned) {
        byte[] model = online ? state.learners[h].toBytes() : new byte[0];
        store.put(horizonKey(instrument, horizons[h]), ByteBuffer.allocate(8 + model.length)
                .putLong(state.labelledThrough[h]).put(model).array());
        state.dirty[h] = false;
    }

    private LabelState state(String instrument) {
        LabelState cached = cache.get(instrument);
        if (cached != null) {
            return cached;
        }
        LabelState state = new LabelState(horizons.length);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("L|" + instrument + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String[] parts = kv.key.split("\\|");
                state.history.add(Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                        ByteBuffer.wrap(kv.value).getDouble());
            }
        }
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("Q|" + instrument + "|", KEYS)) {
            it.forEachRemaining(kv -> {
                ClosedBar bar = ClosedBar.decode(kv.value);
                state.queue.add(new QueuedBar(bar.endMs(), bar.regime(), bar.features()));
            });
        }
        for (int h = 0; h < horizons.length; h++) {
            byte[] bytes = store.get(horizonKey(instrument, horizons[h]));
            if (bytes == null) {
                state.learners[h] = OnlineLogisticRegression.withDefaults(featureSet.size());
            } else {
                state.labelledThrough[h] = ByteBuffer.wrap(bytes).getLong();
                state.learners[h] = bytes.length > 8
                        ? OnlineLogisticRegression.fromBytes(Arrays.copyOfRange(bytes, 8, bytes.length))
                        : OnlineLogisticRegression.withDefaults(featureSet.size());
            }
        }
        cache.put(instrument, state);
        return state;
    }

    private static String liquidationKey(String instrument, long timeMs, long seq) {
        StringBuilder b = new StringBuilder(StoreKeys.of("L|", instrument, timeMs, 13)).append('|');
        StoreKeys.appendPadded(b, seq, 19);
        return b.toString();
    }

    private static String queueKey(String instrument, long barEndMs) {
        return StoreKeys.of("Q|", instrument, barEndMs, 13);
    }

    private static String horizonKey(String instrument, int horizonMinutes) {
        return StoreKeys.of("H|", instrument, horizonMinutes, 5);
    }

    private record QueuedBar(long endMs, String regime, double[] features) {
    }

    /** One instrument's labelling state. */
    private static final class LabelState {
        final LiquidationHistory history = new LiquidationHistory();
        final List<QueuedBar> queue = new ArrayList<>();
        final long[] labelledThrough;
        final boolean[] dirty;
        final OnlineLogisticRegression[] learners;

        LabelState(int horizons) {
            labelledThrough = new long[horizons];
            Arrays.fill(labelledThrough, Long.MIN_VALUE);
            dirty = new boolean[horizons];
            learners = new OnlineLogisticRegression[horizons];
        }
    }
}
