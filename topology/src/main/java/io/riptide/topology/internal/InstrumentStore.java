package io.riptide.topology.internal;

import io.riptide.features.BarAggregator;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.serving.OnlineLogisticRegression;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layout of the changelogged instrument store, and an in-memory view of it. Keys (sorted, so prefixes scan):
 * <ul>
 *   <li>{@code S|inst} snapshot of the bar aggregator and feature engine, written once per bar</li>
 *   <li>{@code E|inst|seq} a market event buffered since that snapshot (micro-batch), written per event</li>
 *   <li>{@code P|inst|predictionId} a prediction awaiting its outcome, written once</li>
 *   <li>{@code L|inst|time|seq} a liquidation's notional, kept for labelling until no horizon can reach it</li>
 *   <li>{@code B|inst|barEnd} a closed bar's features waiting for its prediction batch; durable so that a commit
 *       taken while the batch waits loses nothing (exactly-once)</li>
 *   <li>{@code O|inst|horizon} the instrument's online learner for a horizon and the last bar it learned</li>
 *   <li>{@code Q|inst|barEnd} a closed bar's features, until every horizon's online learner has learned its label</li>
 * </ul>
 * Every event is durable when its offset is committed (exactly-once), yet the ~100 KB engine snapshot is taken once
 * per bar instead of once per event.
 */
final class InstrumentStore {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, byte[]> store;
    private final FeatureSet featureSet;
    private final Map<String, InstrumentState> cache = new HashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    InstrumentStore(KeyValueStore<String, byte[]> store, FeatureSet featureSet) {
        this.store = store;
        this.featureSet = featureSet;
        for (String prefix : List.of("S|", "P|", "E|", "B|", "Q|")) {
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(kv -> known.add(instrumentOf(kv.key)));
            }
        }
    }

    private static String instrumentOf(String key) {
        int end = key.indexOf('|', 2);
        return end < 0 ? key.substring(2) : key.substring(2, end);
    }

    /** Instruments with any state, for the outcome punctuator. */
    Set<String> instruments() {
        return known;
    }

    InstrumentState state(String instrument) {
        InstrumentState cached = cache.get(instrument);
        if (cached != null) {
            return cached;
        }
        InstrumentState state = load(instrument);
        cache.put(instrument, state);
        known.add(instrument);
        return state;
    }

    private InstrumentState load(String instrument) {
        byte[] snapshot = store.get("S|" + instrument);
        BarAggregator bars;
        InstrumentFeatureEngine engine;
        long barsIncludeSeq = -1;
        if (snapshot == null) {
            bars = new BarAggregator(60_000L);
            engine = new InstrumentFeatureEngine(featureSet);
        } else {
            ByteBuffer b = ByteBuffer.wrap(snapshot);
            bars = BarAggregator.restore(slice(b));
            engine = InstrumentFeatureEngine.restore(featureSet, slice(b));
            barsIncludeSeq = b.getLong();
        }
        long nextSeq = 0;
        int buffered = 0;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("E|" + instrument + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long seq = Long.parseLong(kv.key.substring(kv.key.lastIndexOf('|') + 1));
                if (seq > barsIncludeSeq) {
                    BufferedEvent.replayIntoBar(kv.value, bars);
                }
                nextSeq = seq + 1;
                buffered++;
            }
        }
        List<PendingPrediction> pending = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("P|" + instrument + "|", KEYS)) {
            it.forEachRemaining(kv -> pending.add(decodePending(kv.value)));
        }
        pending.sort((a, b) -> Long.compare(a.timeMs, b.timeMs));
        return new InstrumentState(bars, engine, pending, nextSeq, buffered);
    }

    private static byte[] slice(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return bytes;
    }

    void buffer(String instrument, InstrumentState state, byte[] event) {
        store.put(eventKey(instrument, state.nextSeq++), event);
        state.buffered++;
    }

    /**
     * Applies the buffered events older than {@code untilExclusive} (the end of the bar just closed) to the engine, in
     * event-time order (stable, so ties keep arrival order), and removes them from the store. Events at or after the
     * bar end stay buffered for the next bar: the features of a bar never see anything after it closed.
     */
    void applyBuffered(String instrument, InstrumentState state, BufferedEvent.BookScratch scratch,
                       long untilExclusive) {
        if (state.buffered == 0) {
            return;
        }
        List<KeyValue<String, byte[]>> due = new ArrayList<>(state.buffered);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("E|" + instrument + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (BufferedEvent.timeOf(kv.value) < untilExclusive) {
                    due.add(kv);
                }
            }
        }
        due.sort((a, b) -> Long.compare(BufferedEvent.timeOf(a.value), BufferedEvent.timeOf(b.value)));
        for (KeyValue<String, byte[]> kv : due) {
            BufferedEvent.applyTo(kv.value, state.engine, scratch);
            store.delete(kv.key);
        }
        state.buffered -= due.size();
    }

    /**
     * Writes the bar and engine snapshot; called once per bar, from the trade that closed it, before that trade is
     * buffered. The bar aggregator has already opened the next bar with that trade, so the snapshot records that
     * its bars include every trade up to the next sequence number: a restore must not replay that one again.
     */
    void snapshot(String instrument, InstrumentState state) {
        byte[] bars = state.bars.snapshot();
        byte[] engine = state.engine.snapshot();
        store.put("S|" + instrument, ByteBuffer.allocate(8 + bars.length + engine.length + 8)
                .putInt(bars.length).put(bars).putInt(engine.length).put(engine).putLong(state.nextSeq).array());
    }

    private static String eventKey(String instrument, long seq) {
        return String.format("E|%s|%019d", instrument, seq);
    }

    void addPending(String instrument, InstrumentState state, PendingPrediction p) {
        store.put("P|" + instrument + "|" + p.predictionId, encodePending(p));
        state.pending.add(p);
    }

    void removePending(String instrument, PendingPrediction p) {
        store.delete("P|" + instrument + "|" + p.predictionId);
    }

    void logLiquidation(String instrument, InstrumentState state, long timeMs, double notional) {
        store.put(String.format("L|%s|%013d|%019d", instrument, timeMs, state.nextSeq),
                ByteBuffer.allocate(8).putDouble(notional).array());
    }

    /** Liquidation notional of the instrument with event time in (fromExclusive, toInclusive]. */
    double liquidationNotional(String instrument, long fromExclusive, long toInclusive) {
        double sum = 0;
        try (KeyValueIterator<String, byte[]> it = store.range(String.format("L|%s|%013d|", instrument,
                fromExclusive + 1), String.format("L|%s|%013d|~", instrument, toInclusive))) {
            while (it.hasNext()) {
                sum += ByteBuffer.wrap(it.next().value).getDouble();
            }
        }
        return sum;
    }

    /** Forgets liquidations no pending or future prediction can still count. */
    void pruneLiquidations(String instrument, long beforeMs) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(String.format("L|%s|", instrument),
                String.format("L|%s|%013d|", instrument, beforeMs))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(store::delete);
    }

    /** Keeps a closed bar durable until its batch is scored. */
    void addWaiting(ClosedBar bar) {
        store.put(waitingKey(bar.instrument(), bar.endMs()), bar.encode());
    }

    void removeWaiting(ClosedBar bar) {
        store.delete(waitingKey(bar.instrument(), bar.endMs()));
    }

    /** Closed bars whose batch was not scored before the last commit (after a restart), oldest bar first. */
    List<ClosedBar> waiting() {
        List<ClosedBar> bars = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("B|", KEYS)) {
            it.forEachRemaining(kv -> bars.add(ClosedBar.decode(kv.value)));
        }
        bars.sort((a, b) -> Long.compare(a.endMs(), b.endMs()));
        return bars;
    }

    private static String waitingKey(String instrument, long barEndMs) {
        return String.format("B|%s|%013d", instrument, barEndMs);
    }

    /** The instrument's online learner for a horizon: restored from the store, or new. */
    InstrumentState.OnlineLearner online(String instrument, InstrumentState state, int horizonMinutes) {
        return state.online.computeIfAbsent(horizonMinutes, h -> {
            byte[] bytes = store.get(onlineKey(instrument, h));
            if (bytes == null) {
                return new InstrumentState.OnlineLearner(OnlineLogisticRegression.withDefaults(featureSet.size()),
                        Long.MIN_VALUE);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long through = b.getLong();
            return new InstrumentState.OnlineLearner(OnlineLogisticRegression.fromBytes(
                    java.util.Arrays.copyOfRange(bytes, 8, bytes.length)), through);
        });
    }

    void saveOnline(String instrument, int horizonMinutes, InstrumentState.OnlineLearner learner) {
        byte[] model = learner.model.toBytes();
        store.put(onlineKey(instrument, horizonMinutes), ByteBuffer.allocate(8 + model.length)
                .putLong(learner.learnedThroughMs).put(model).array());
    }

    private static String onlineKey(String instrument, int horizonMinutes) {
        return "O|" + instrument + "|" + horizonMinutes;
    }

    /** The closed bars waiting for online learners to learn their labels, oldest first. */
    List<InstrumentState.LearnableBar> learnQueue(String instrument, InstrumentState state) {
        if (state.learnQueue == null) {
            state.learnQueue = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan("Q|" + instrument + "|", KEYS)) {
                it.forEachRemaining(kv -> {
                    ByteBuffer b = ByteBuffer.wrap(kv.value);
                    double[] features = new double[kv.value.length / 8];
                    for (int i = 0; i < features.length; i++) {
                        features[i] = b.getDouble();
                    }
                    state.learnQueue.add(new InstrumentState.LearnableBar(
                            Long.parseLong(kv.key.substring(kv.key.lastIndexOf('|') + 1)), features));
                });
            }
        }
        return state.learnQueue;
    }

    void queueForLearning(String instrument, InstrumentState state, long barEndMs, double[] features) {
        ByteBuffer b = ByteBuffer.allocate(8 * features.length);
        for (double f : features) {
            b.putDouble(f);
        }
        store.put(learnKey(instrument, barEndMs), b.array());
        learnQueue(instrument, state).add(new InstrumentState.LearnableBar(barEndMs, features.clone()));
    }

    /** Forgets the queued bars every horizon has learned: those ending at or before {@code throughMs}. */
    void dropLearned(String instrument, InstrumentState state, long throughMs) {
        List<InstrumentState.LearnableBar> queue = learnQueue(instrument, state);
        while (!queue.isEmpty() && queue.get(0).endMs() <= throughMs) {
            store.delete(learnKey(instrument, queue.remove(0).endMs()));
        }
    }

    private static String learnKey(String instrument, long barEndMs) {
        return String.format("Q|%s|%013d", instrument, barEndMs);
    }

    private static byte[] encodePending(PendingPrediction p) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + 8 * p.features.length);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeUTF(p.predictionId);
            out.writeLong(p.timeMs);
            out.writeInt(p.horizonMinutes);
            out.writeUTF(p.modelKey);
            out.writeInt(p.modelVersion);
            out.writeDouble(p.probability);
            out.writeUTF(p.regime);
            out.writeInt(p.features.length);
            for (double f : p.features) {
                out.writeDouble(f);
            }
            out.writeDouble(p.batchProbability);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PendingPrediction decodePending(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String id = in.readUTF();
            long time = in.readLong();
            int horizon = in.readInt();
            String key = in.readUTF();
            int version = in.readInt();
            double probability = in.readDouble();
            String regime = in.readUTF();
            double[] features = new double[in.readInt()];
            for (int i = 0; i < features.length; i++) {
                features[i] = in.readDouble();
            }
            // written since the online blend; before it, what was served was the batch model's probability
            double batchProbability = in.available() >= 8 ? in.readDouble() : probability;
            return new PendingPrediction(id, time, horizon, key, version, probability, batchProbability, regime,
                    features);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
