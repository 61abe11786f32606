package io.riptide.topology.internal;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One instrument's market state: the event-time merger of its inputs and the timeline (bars, feature engine) it
 * releases into, plus what {@link MarketStore} needs to make it durable at the next commit.
 */
final class MarketState {
    /** An event in the merger's buffer, with the journal chunk that holds (or will hold) its durable copy. */
    record Buffered(long chunk, byte[] event) {
    }

    final InstrumentTimeline timeline;
    final EventTimeMerger<Buffered> merger;
    /** Wall-clock time each source was last heard from, for idleness; not durable (judged afresh after a restart). */
    final long[] lastHeardWallMs = new long[MarketSource.values().length];

    /** Events offered since the last commit, in arrival order; the next commit journals or snapshots them. */
    final List<Buffered> pending = new ArrayList<>();
    /** Merger sequence of the first pending event. */
    long pendingFirstSeq;
    int pendingBytes;
    /** Whether anything (an event or a heartbeat) changed the durable state since the last commit. */
    boolean dirty;
    /**
     * The chunk new events go to. Chunks are numbered per instrument in arrival order; a commit's events fill one or
     * more (a chunk is closed at {@code MarketStore}'s size limit), from {@code pendingFromChunk} to this one.
     */
    long openChunk;
    long pendingFromChunk;
    /** Bytes the open chunk's events take (at most), to close it before it passes the size limit. */
    int openChunkBytes;
    /** Journal bytes written since the last snapshot, and that snapshot's size: snapshot when the first passes it. */
    long journalBytesSinceSnapshot;
    int lastSnapshotBytes;

    /** Buffered (unreleased) events per chunk from {@code firstChunk} up to the pending one; GONE once deleted. */
    private static final int GONE = -1;
    private long firstChunk;
    private int[] liveEvents = new int[16];

    MarketState(InstrumentTimeline timeline, EventTimeMerger<Buffered> merger, long openChunk, long wallNowMs) {
        this.timeline = timeline;
        this.merger = merger;
        this.openChunk = openChunk;
        this.pendingFromChunk = openChunk;
        this.firstChunk = openChunk;
        this.pendingFirstSeq = merger.nextSeq();
        Arrays.fill(lastHeardWallMs, wallNowMs);
    }

    /** One more buffered event held by {@code chunk} (the pending chunk, or a restored one). */
    void holds(long chunk) {
        int i = slot(chunk);
        liveEvents[i] = Math.max(liveEvents[i], 0) + 1;
    }

    /** The merger released an event held by {@code chunk}. */
    void released(long chunk) {
        int i = slot(chunk); // before the array is read: slot() may replace it
        liveEvents[i]--;
    }

    /** Buffered events held by {@code chunk}. */
    int heldBy(long chunk) {
        long i = chunk - firstChunk;
        return i < 0 || i >= liveEvents.length ? 0 : Math.max(liveEvents[(int) i], 0);
    }

    /** Every chunk holds no buffered event any more (the owner re-files them all in new chunks). */
    void forgetHolds() {
        for (int i = 0; i < liveEvents.length; i++) {
            if (liveEvents[i] > 0) {
                liveEvents[i] = 0;
            }
        }
    }

    /** Restore: chunks before {@code chunk} do not exist. */
    void startChunksAt(long chunk) {
        firstChunk = chunk;
    }

    /** A chunk was written (so a snapshot deletes it once it holds no buffered event). */
    void written(long chunk) {
        int i = slot(chunk);
        liveEvents[i] = Math.max(liveEvents[i], 0);
    }

    /** A chunk number that was deleted, or never written (it got no event that was not released by then). */
    void missing(long chunk) {
        int i = slot(chunk);
        liveEvents[i] = GONE;
    }

    /**
     * After a snapshot: hands every written chunk that holds no buffered event to {@code delete} and forgets it.
     * The snapshot holds everything those chunks held.
     */
    void dropObsoleteChunks(long writtenBefore, java.util.function.LongConsumer delete) {
        int written = (int) (writtenBefore - firstChunk);
        for (int i = 0; i < written; i++) {
            if (liveEvents[i] == 0) {
                delete.accept(firstChunk + i);
                liveEvents[i] = GONE;
            }
        }
        int drop = 0;
        while (drop < written && liveEvents[drop] == GONE) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(liveEvents, drop, liveEvents, 0, liveEvents.length - drop);
            Arrays.fill(liveEvents, liveEvents.length - drop, liveEvents.length, 0);
            firstChunk += drop;
        }
    }

    private int slot(long chunk) {
        long i = chunk - firstChunk;
        if (i < 0) {
            throw new IllegalStateException("chunk " + chunk + " was deleted (first live chunk " + firstChunk + ")");
        }
        if (i >= liveEvents.length) {
            liveEvents = Arrays.copyOf(liveEvents, Math.max(liveEvents.length * 2, (int) i + 1));
        }
        return (int) i;
    }
}
