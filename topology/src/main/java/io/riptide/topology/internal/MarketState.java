package io.riptide.topology.internal;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;

/**
 * One instrument's market state: the event-time merger of its inputs and the timeline (bars, feature engine) it
 * releases into. {@link MarketStore} keeps it durable.
 */
final class MarketState {
    /** An event in the merger's buffer, with the store key of its durable copy. */
    record Buffered(long storeSeq, byte[] event) {
    }

    final InstrumentTimeline timeline;
    final EventTimeMerger<Buffered> merger;
    /** Store sequence of the next entry appended for this instrument. */
    long nextStoreSeq;
    /** The minute (event time / 60 s) of the timeline when the last snapshot was written. */
    long snapshotMinute;
    /** Wall-clock time each source was last heard from, for idleness; not durable (judged afresh after a restart). */
    final long[] lastHeardWallMs = new long[MarketSource.values().length];
    /**
     * Store sequences of the entries no snapshot needs any more: heartbeats, and events the merger has released.
     * The next snapshot deletes them, so it costs what happened since the last one, not what the merger buffers.
     */
    private long[] obsolete = new long[256];
    private int obsoleteCount;

    MarketState(InstrumentTimeline timeline, EventTimeMerger<Buffered> merger, long nextStoreSeq, long wallNowMs) {
        this.timeline = timeline;
        this.merger = merger;
        this.nextStoreSeq = nextStoreSeq;
        this.snapshotMinute = minuteOf(timeline.timeMs());
        java.util.Arrays.fill(lastHeardWallMs, wallNowMs);
    }

    void obsolete(long storeSeq) {
        if (obsoleteCount == obsolete.length) {
            obsolete = java.util.Arrays.copyOf(obsolete, obsoleteCount * 2);
        }
        obsolete[obsoleteCount++] = storeSeq;
    }

    /** Hands every obsolete store sequence to {@code action} and forgets them. */
    void drainObsolete(java.util.function.LongConsumer action) {
        for (int i = 0; i < obsoleteCount; i++) {
            action.accept(obsolete[i]);
        }
        obsoleteCount = 0;
        if (obsolete.length > 4096) {
            obsolete = new long[256]; // a burst is over; do not hold its array
        }
    }

    static long minuteOf(long timeMs) {
        return timeMs == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(timeMs, InstrumentTimeline.BAR_MILLIS);
    }
}
