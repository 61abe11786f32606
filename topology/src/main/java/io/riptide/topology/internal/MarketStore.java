package io.riptide.topology.internal;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the changelogged market store, and an in-memory view of it. The state changes on every event but
 * becomes durable once per commit ({@link #commit}, run by {@link CommitHookStore} in the commit's transaction), in
 * whichever of two forms costs fewer bytes:
 * <ul>
 *   <li>{@code J|inst|chunk}, a journal chunk: the events offered since the last commit, in arrival order, and the
 *       merger's watermarks (so heartbeats cost nothing per record). Chosen while the chunks written since the last
 *       snapshot add up to less than a snapshot: a live feed of a few hundred events per second.</li>
 *   <li>{@code T|inst}, a snapshot of the timeline (bars, feature engine, ~27 KB) and the merger's scalar state,
 *       plus a chunk holding only the events the merger still buffers. Chunks whose events have all been released
 *       are deleted. Chosen once the journal would outgrow a snapshot: a backlog, where one commit covers minutes
 *       of market time.</li>
 * </ul>
 * So a released event costs at most a share of a snapshot, never a put and a delete of its own. After a restart an
 * instrument is rebuilt from its snapshot: events written before it that the merger had not released (event time at
 * or after its release point) go back into the merger, and the events written after it are offered again through
 * the processor ({@link Replay}).
 */
final class MarketStore {
    private static final Logger LOG = LoggerFactory.getLogger(MarketStore.class);
    private static final StringSerializer KEYS = new StringSerializer();
    /** Well under the 1 MB default of a topic's {@code max.message.bytes}. */
    static final int MAX_CHUNK_BYTES = 256 * 1024;
    private static final int SEQ_WIDTH = 19;
    private static final int FORMAT = 2;
    private static final byte JOURNAL = 1;
    private static final byte CARRIED = 2;
    private static final MarketSource[] SOURCES = MarketSource.values();
    private static final int CHUNK_HEADER = 4 + 1 + 8 + 8 * SOURCES.length + 4;

    private final KeyValueStore<String, byte[]> store;
    private final FeatureSet featureSet;
    private final int maxChunkBytes;
    private final Map<String, MarketState> cache = new HashMap<>();

    MarketStore(KeyValueStore<String, byte[]> store, FeatureSet featureSet) {
        this(store, featureSet, MAX_CHUNK_BYTES);
    }

    MarketStore(KeyValueStore<String, byte[]> store, FeatureSet featureSet, int maxChunkBytes) {
        this.store = store;
        this.featureSet = featureSet;
        this.maxChunkBytes = maxChunkBytes;
    }

    /** Instruments loaded so far (the ones this task has seen since it started). */
    Iterable<Map.Entry<String, MarketState>> loaded() {
        return cache.entrySet();
    }

    boolean isLoaded(String instrument) {
        return cache.containsKey(instrument);
    }

    /**
     * The instrument's state; on first access since the task started it is rebuilt from the store, and every event
     * written after its snapshot is handed to {@code replay}, in arrival order, with its chunk and merger sequence.
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

    /** Receives the events to offer again after a restart. */
    interface Replay {
        void event(MarketState state, long chunk, long mergerSeq, byte[] event);
    }

    /**
     * The chunk an event of {@code eventBytes} goes to if the merger accepts it: the open chunk, or a new one when
     * the open chunk would pass the size limit (one changelog record must stay well under the broker's
     * {@code max.message.bytes}).
     */
    long chunkFor(MarketState state, int eventBytes) {
        int bytes = 8 + 4 + eventBytes;
        if (state.openChunkBytes > 0 && CHUNK_HEADER + state.openChunkBytes + bytes > maxChunkBytes) {
            state.openChunk++;
            state.openChunkBytes = 0;
        }
        state.openChunkBytes += bytes;
        return state.openChunk;
    }

    /** An event the merger accepted (with {@code mergerSeq}); durable at the next commit. */
    void offered(MarketState state, long mergerSeq, MarketState.Buffered event) {
        if (mergerSeq != state.pendingFirstSeq + state.pending.size()) {
            throw new IllegalStateException("merger sequence " + mergerSeq + " is not the next one ("
                    + (state.pendingFirstSeq + state.pending.size()) + ")");
        }
        state.pending.add(event);
        state.pendingBytes += 4 + event.event().length;
        state.holds(event.chunk());
        state.dirty = true;
    }

    /** A heartbeat moved a watermark; durable at the next commit (as the chunk's watermarks). */
    void heard(MarketState state) {
        state.dirty = true;
    }

    /** Makes every instrument's changes since the last commit durable, in the cheaper form (see the class doc). */
    void commit() {
        for (Map.Entry<String, MarketState> e : cache.entrySet()) {
            MarketState state = e.getValue();
            if (!state.dirty) {
                continue;
            }
            long journalBytes = CHUNK_HEADER + state.pendingBytes;
            if (state.lastSnapshotBytes > 0
                    && state.journalBytesSinceSnapshot + journalBytes <= state.lastSnapshotBytes) {
                journal(e.getKey(), state);
            } else {
                snapshot(e.getKey(), state);
            }
            state.openChunk++;
            state.openChunkBytes = 0;
            state.pendingFromChunk = state.openChunk;
            state.pending.clear();
            state.pendingBytes = 0;
            state.pendingFirstSeq = state.merger.nextSeq();
            state.dirty = false;
        }
    }

    /** The pending events, chunk by chunk; a commit with heartbeats only writes the watermarks in an empty chunk. */
    private void journal(String instrument, MarketState state) {
        int from = 0;
        long seq = state.pendingFirstSeq;
        for (long chunk = state.pendingFromChunk; chunk <= state.openChunk; chunk++) {
            int to = from;
            int bytes = CHUNK_HEADER;
            while (to < state.pending.size() && state.pending.get(to).chunk() == chunk) {
                bytes += 4 + state.pending.get(to++).event().length;
            }
            if (to == from && !(chunk == state.openChunk && state.pending.isEmpty())) {
                state.missing(chunk); // its only event was refused as late
                continue;
            }
            ByteBuffer b = chunk(JOURNAL, state, seq, bytes, to - from);
            for (int i = from; i < to; i++) {
                byte[] event = state.pending.get(i).event();
                b.putInt(event.length).put(event);
            }
            store.put(chunkKey(instrument, chunk), b.array());
            state.written(chunk);
            state.journalBytesSinceSnapshot += bytes;
            seq += to - from;
            from = to;
        }
    }

    /**
     * The snapshot, the pending events the merger still buffers (they are not in it) in their chunks, and the
     * deletion of every chunk that holds no buffered event. At a commit the merger has released everything before
     * its release point and nothing after it, so an event is buffered exactly when its event time is at or after
     * that point; a restart rebuffers by the same rule.
     */
    private void snapshot(String instrument, MarketState state) {
        long releasedThrough = state.merger.releasedThrough();
        List<List<MarketState.Buffered>> carried = new ArrayList<>();
        List<List<Long>> carriedSeqs = new ArrayList<>();
        long seq = state.pendingFirstSeq;
        int at = 0;
        for (long chunk = state.pendingFromChunk; chunk <= state.openChunk; chunk++) {
            List<MarketState.Buffered> events = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (; at < state.pending.size() && state.pending.get(at).chunk() == chunk; at++, seq++) {
                MarketState.Buffered event = state.pending.get(at);
                if (BufferedEvent.timeOf(event.event()) >= releasedThrough) {
                    events.add(event);
                    seqs.add(seq);
                }
            }
            if (state.heldBy(chunk) != events.size()) {
                refileBuffered(instrument, state, chunk, events.size());
                return;
            }
            carried.add(events);
            carriedSeqs.add(seqs);
        }
        for (int i = 0; i < carried.size(); i++) {
            long chunk = state.pendingFromChunk + i;
            if (carried.get(i).isEmpty()) {
                state.missing(chunk);
            } else {
                writeCarried(instrument, state, chunk, carried.get(i), carriedSeqs.get(i));
            }
        }
        writeSnapshot(instrument, state);
    }

    /**
     * The snapshot when the merger is not where a commit expects it: a processor downstream threw while this one was
     * releasing events, and the record was dead-lettered half-way. Every event the merger still buffers is filed
     * again in new chunks, so the snapshot and they are exactly the state, and every older chunk is deleted.
     */
    private void refileBuffered(String instrument, MarketState state, long chunk, int expected) {
        LOG.error("{}: the merger buffers {} events of chunk {} but {} are at or after its release point (a record's "
                        + "processing was interrupted); filing every buffered event again", instrument,
                state.heldBy(chunk), chunk, expected);
        List<EventTimeMerger.Entry<MarketState.Buffered>> buffered = new ArrayList<>(state.merger.buffered());
        state.merger.forEachBuffered(buffered::add);
        buffered.sort(java.util.Comparator.comparingLong(EventTimeMerger.Entry::seq));
        state.forgetHolds();
        Map<Long, Long> chunkOfSeq = new HashMap<>();
        state.openChunkBytes = 0;
        for (EventTimeMerger.Entry<MarketState.Buffered> e : buffered) {
            chunkOfSeq.put(e.seq(), chunkFor(state, e.event().event().length));
        }
        state.merger.replaceBuffered(e -> new MarketState.Buffered(chunkOfSeq.get(e.seq()), e.event().event()));
        int from = 0;
        while (from < buffered.size()) {
            long c = chunkOfSeq.get(buffered.get(from).seq());
            List<MarketState.Buffered> events = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (; from < buffered.size() && chunkOfSeq.get(buffered.get(from).seq()) == c; from++) {
                events.add(new MarketState.Buffered(c, buffered.get(from).event().event()));
                seqs.add(buffered.get(from).seq());
                state.holds(c);
            }
            writeCarried(instrument, state, c, events, seqs);
        }
        writeSnapshot(instrument, state);
    }

    private void writeCarried(String instrument, MarketState state, long chunk, List<MarketState.Buffered> events,
                              List<Long> seqs) {
        int bytes = CHUNK_HEADER;
        for (MarketState.Buffered event : events) {
            bytes += 8 + 4 + event.event().length;
        }
        ByteBuffer b = chunk(CARRIED, state, seqs.get(0), bytes, events.size());
        for (int i = 0; i < events.size(); i++) {
            b.putLong(seqs.get(i)).putInt(events.get(i).event().length).put(events.get(i).event());
        }
        store.put(chunkKey(instrument, chunk), b.array());
        state.written(chunk);
    }

    /** The snapshot of the timeline and merger; it makes every chunk without a buffered event obsolete. */
    private void writeSnapshot(String instrument, MarketState state) {
        byte[] timeline = state.timeline.snapshot();
        byte[] merger = state.merger.stateBytes();
        long nextChunk = state.openChunk + 1;
        byte[] snapshot = ByteBuffer.allocate(4 + 8 + 4 + timeline.length + 4 + merger.length).putInt(FORMAT)
                .putLong(nextChunk).putInt(timeline.length).put(timeline).putInt(merger.length).put(merger)
                .array();
        store.put(snapshotKey(instrument), snapshot);
        state.dropObsoleteChunks(nextChunk, chunk -> store.delete(chunkKey(instrument, chunk)));
        state.journalBytesSinceSnapshot = 0;
        state.lastSnapshotBytes = snapshot.length;
    }

    private static ByteBuffer chunk(byte kind, MarketState state, long firstSeq, int bytes, int events) {
        ByteBuffer b = ByteBuffer.allocate(bytes).putInt(FORMAT).put(kind).putLong(firstSeq);
        for (MarketSource s : SOURCES) {
            b.putLong(state.merger.watermark(s));
        }
        return b.putInt(events);
    }

    private MarketState load(String instrument, long wallNowMs, Replay replay) {
        if (store.get("S|" + instrument) != null) {
            throw new IllegalStateException("the market store holds " + instrument + " in the per-event layout of "
                    + "Riptide before the per-commit journal; run the stream under a new stream.application.id "
                    + "(or reset the application) to rebuild it from the market topics");
        }
        byte[] snapshot = store.get(snapshotKey(instrument));
        InstrumentTimeline timeline;
        EventTimeMerger<MarketState.Buffered> merger;
        long snapshotNextChunk = 0;
        if (snapshot == null) {
            timeline = new InstrumentTimeline(featureSet);
            merger = new EventTimeMerger<>();
        } else {
            ByteBuffer b = ByteBuffer.wrap(snapshot);
            format(b.getInt(), "snapshot", instrument);
            snapshotNextChunk = b.getLong();
            timeline = InstrumentTimeline.restore(featureSet, slice(b));
            merger = EventTimeMerger.restore(slice(b));
        }
        long snapshotNextSeq = merger.nextSeq();
        long releasedThrough = merger.releasedThrough();
        MarketState state = new MarketState(timeline, merger, snapshotNextChunk, wallNowMs);
        state.lastSnapshotBytes = snapshot == null ? 0 : snapshot.length;
        long expected = -1;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("J|" + instrument + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long chunk = StoreKeys.lastNumber(kv.key);
                if (expected < 0) {
                    state.startChunksAt(chunk);
                } else {
                    for (long gap = expected; gap < chunk; gap++) {
                        state.missing(gap);
                    }
                }
                expected = chunk + 1;
                state.written(chunk);
                state.openChunk = Math.max(state.openChunk, chunk + 1);
                if (chunk >= snapshotNextChunk) {
                    state.journalBytesSinceSnapshot += kv.value.length;
                }
                ByteBuffer b = ByteBuffer.wrap(kv.value);
                format(b.getInt(), "journal chunk " + chunk, instrument);
                byte kind = b.get();
                long seq = b.getLong();
                for (MarketSource s : SOURCES) {
                    long watermark = b.getLong();
                    if (watermark != Long.MIN_VALUE) {
                        merger.heartbeat(s, watermark);
                    }
                }
                int events = b.getInt();
                for (int i = 0; i < events; i++) {
                    long mergerSeq = kind == CARRIED ? b.getLong() : seq++;
                    byte[] event = slice(b);
                    if (mergerSeq >= snapshotNextSeq) {
                        replay.event(state, chunk, mergerSeq, event);
                        state.holds(chunk);
                    } else if (BufferedEvent.timeOf(event) >= releasedThrough) {
                        merger.rebuffer(BufferedEvent.sourceOf(event), BufferedEvent.timeOf(event), mergerSeq,
                                new MarketState.Buffered(chunk, event));
                        state.holds(chunk);
                    }
                }
            }
        }
        state.pendingFirstSeq = merger.nextSeq();
        state.pendingFromChunk = state.openChunk;
        return state;
    }

    private static void format(int format, String what, String instrument) {
        if (format != FORMAT) {
            throw new IllegalStateException("market store " + what + " of " + instrument + " has format " + format
                    + ", this Riptide reads " + FORMAT);
        }
    }

    private static String snapshotKey(String instrument) {
        return "T|" + instrument;
    }

    private static String chunkKey(String instrument, long chunk) {
        return StoreKeys.of("J|", instrument, chunk, SEQ_WIDTH);
    }

    private static byte[] slice(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return bytes;
    }
}
