package io.riptide.topology.internal;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentTimeline;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the changelogged market store, and an in-memory view of it. Keys (sorted, so prefixes scan):
 * <ul>
 *   <li>{@code S|inst}: snapshot of the instrument's timeline (bars, feature engine) and merger (watermarks,
 *       release point), written when event time enters a new minute</li>
 *   <li>{@code E|inst|storeSeq}: every event and heartbeat since that snapshot, and the events still buffered by
 *       the merger when it was written; one put per input record</li>
 * </ul>
 * Every record is durable when its offset is committed (exactly-once), yet the engine snapshot (tens of KB) is
 * written once per minute, not once per event. After a restart an instrument is rebuilt from its snapshot: the
 * buffered events go back into the merger and the entries after the snapshot are replayed through the processor.
 */
final class MarketStore {
    private static final StringSerializer KEYS = new StringSerializer();
    private static final int SEQ_WIDTH = 19;

    private final KeyValueStore<String, byte[]> store;
    private final FeatureSet featureSet;
    private final Map<String, MarketState> cache = new HashMap<>();

    MarketStore(KeyValueStore<String, byte[]> store, FeatureSet featureSet) {
        this.store = store;
        this.featureSet = featureSet;
    }

    /** Instruments loaded so far (the ones this task has seen since it started). */
    Iterable<Map.Entry<String, MarketState>> loaded() {
        return cache.entrySet();
    }

    boolean isLoaded(String instrument) {
        return cache.containsKey(instrument);
    }

    /**
     * The instrument's state; on first access since the task started it is rebuilt from the store, and every entry
     * written after its snapshot is handed to {@code replay}, in order, with its store sequence and bytes.
     */
    MarketState state(String instrument, long wallNowMs, Replay replay) {
        MarketState cached = cache.get(instrument);
        if (cached != null) {
            return cached;
        }
        MarketState state = load(instrument, wallNowMs, replay);
        cache.put(instrument, state);
        return state;
    }

    /** Receives the entries to replay after a restart. */
    interface Replay {
        void entry(MarketState state, long storeSeq, long mergerSeq, byte[] event);
    }

    private MarketState load(String instrument, long wallNowMs, Replay replay) {
        byte[] snapshot = store.get("S|" + instrument);
        InstrumentTimeline timeline;
        EventTimeMerger<MarketState.Buffered> merger;
        long snapshotSeq = 0;
        if (snapshot == null) {
            timeline = new InstrumentTimeline(featureSet);
            merger = new EventTimeMerger<>();
        } else {
            ByteBuffer b = ByteBuffer.wrap(snapshot);
            snapshotSeq = b.getLong();
            timeline = InstrumentTimeline.restore(featureSet, slice(b));
            merger = EventTimeMerger.restore(slice(b));
        }
        List<KeyValue<String, byte[]>> after = new ArrayList<>();
        long nextSeq = snapshotSeq;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("E|" + instrument + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long storeSeq = StoreKeys.lastNumber(kv.key);
                nextSeq = Math.max(nextSeq, storeSeq + 1);
                if (storeSeq < snapshotSeq) {
                    ByteBuffer b = ByteBuffer.wrap(kv.value);
                    long mergerSeq = b.getLong();
                    byte[] event = eventOf(kv.value);
                    merger.rebuffer(BufferedEvent.sourceOf(event), BufferedEvent.timeOf(event), mergerSeq,
                            new MarketState.Buffered(storeSeq, event));
                } else {
                    after.add(kv);
                }
            }
        }
        MarketState state = new MarketState(timeline, merger, nextSeq, wallNowMs);
        for (KeyValue<String, byte[]> kv : after) {
            replay.entry(state, StoreKeys.lastNumber(kv.key), ByteBuffer.wrap(kv.value).getLong(), eventOf(kv.value));
        }
        return state;
    }

    private static byte[] eventOf(byte[] entry) {
        return java.util.Arrays.copyOfRange(entry, 8, entry.length);
    }

    private static byte[] slice(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return bytes;
    }

    /**
     * Keeps an event (or heartbeat) durable until a snapshot holds it; returns its store sequence. A heartbeat is
     * held by the next snapshot (the merger's watermarks), so it is obsolete at once.
     */
    long append(String instrument, MarketState state, long mergerSeq, byte[] event) {
        long storeSeq = state.nextStoreSeq++;
        store.put(StoreKeys.of("E|", instrument, storeSeq, SEQ_WIDTH),
                ByteBuffer.allocate(8 + event.length).putLong(mergerSeq).put(event).array());
        if (BufferedEvent.isHeartbeat(event)) {
            state.obsolete(storeSeq);
        }
        return storeSeq;
    }

    /**
     * Writes the instrument's snapshot and forgets every entry it now holds: all but the events the merger still
     * buffers, i.e. the heartbeats and the released events since the last snapshot ({@link MarketState#obsolete}).
     */
    void snapshot(String instrument, MarketState state) {
        byte[] timeline = state.timeline.snapshot();
        byte[] merger = state.merger.stateBytes();
        store.put("S|" + instrument, ByteBuffer.allocate(8 + 4 + timeline.length + 4 + merger.length)
                .putLong(state.nextStoreSeq).putInt(timeline.length).put(timeline).putInt(merger.length).put(merger)
                .array());
        state.drainObsolete(seq -> store.delete(StoreKeys.of("E|", instrument, seq, SEQ_WIDTH)));
        state.snapshotMinute = MarketState.minuteOf(state.timeline.timeMs());
    }
}
