package io.riptide.feed.binance.internal;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps a {@link LocalOrderBook} in step with Binance's diff-depth stream, following the documented procedure:
 * buffer diffs until a REST snapshot arrives, drop diffs with {@code u <= lastUpdateId}, require the first applied
 * diff to straddle the snapshot, then require each diff to chain to the previous one ({@code U == prev u + 1} on
 * spot, {@code pu == prev u} on USD-M futures). A diff that does not chain is a gap: the book is discarded and
 * rebuilt from a fresh snapshot, starting with the diff that exposed the gap.
 */
public final class BookSynchronizer {

    /** What became of one diff. */
    public enum Outcome {
        /** Held until a snapshot arrives. */
        BUFFERED,
        /** Already contained in the snapshot (u <= lastUpdateId): dropped. */
        STALE,
        APPLIED,
        /** Did not chain to the previous diff: the book was discarded and needs a new snapshot. */
        GAP
    }

    /** A resync should not buffer forever; beyond this the oldest diffs go, as the next snapshot supersedes them. */
    private static final int MAX_BUFFERED = 50_000;

    private final LocalOrderBook book = new LocalOrderBook();
    private final ArrayDeque<DepthUpdate> buffer = new ArrayDeque<>();
    private boolean synced;
    private boolean firstAfterSnapshot;
    private long lastUpdateId = -1;
    private long applied;
    private long stale;
    private long gaps;
    private long snapshots;
    private long snapshotsTooOld;
    private String lastGap;

    public Outcome onDepth(DepthUpdate d, Consumer<DepthUpdate> onApplied) {
        if (!synced) {
            if (buffer.size() == MAX_BUFFERED) {
                buffer.pollFirst();
            }
            buffer.addLast(d);
            return Outcome.BUFFERED;
        }
        if (d.finalUpdateId() <= lastUpdateId) {
            stale++;
            return Outcome.STALE;
        }
        if (!chains(d)) {
            gaps++;
            lastGap = describeGap(d);
            synced = false;
            book.clear();
            buffer.clear();
            buffer.addLast(d);
            return Outcome.GAP;
        }
        apply(d, onApplied);
        return Outcome.APPLIED;
    }

    /**
     * Installs a snapshot and replays the buffered diffs onto it. Returns false when the snapshot is older than
     * every buffered diff can bridge, in which case the book stays unsynced and a newer snapshot is needed.
     */
    public boolean onSnapshot(DepthSnapshot snapshot, Consumer<DepthUpdate> onApplied) {
        snapshots++;
        long id = snapshot.lastUpdateId();
        while (!buffer.isEmpty() && buffer.peekFirst().finalUpdateId() <= id) {
            buffer.pollFirst();
            stale++;
        }
        if (!buffer.isEmpty() && !straddles(buffer.peekFirst(), id)) {
            snapshotsTooOld++;
            return false;
        }
        book.clear();
        for (String[] level : snapshot.bids()) {
            book.applyBid(level[0], level[1]);
        }
        for (String[] level : snapshot.asks()) {
            book.applyAsk(level[0], level[1]);
        }
        lastUpdateId = id;
        synced = true;
        firstAfterSnapshot = true;
        java.util.List<DepthUpdate> pending = new java.util.ArrayList<>(buffer);
        buffer.clear();
        for (int i = 0; i < pending.size(); i++) {
            if (onDepth(pending.get(i), onApplied) == Outcome.GAP) {
                // the rest waits for the next snapshot, behind the diff that broke the chain (now first in buffer)
                buffer.addAll(pending.subList(i + 1, pending.size()));
                break;
            }
        }
        return true;
    }

    private boolean chains(DepthUpdate d) {
        if (firstAfterSnapshot) {
            return straddles(d, lastUpdateId);
        }
        return d.futuresStyle()
                ? d.previousFinalUpdateId() == lastUpdateId
                : d.firstUpdateId() == lastUpdateId + 1;
    }

    /** Whether the first diff applied after a snapshot with this id covers the id (no update in between is lost). */
    private static boolean straddles(DepthUpdate d, long snapshotId) {
        if (d.futuresStyle()) {
            return d.previousFinalUpdateId() == snapshotId
                    || (d.firstUpdateId() <= snapshotId && d.finalUpdateId() > snapshotId);
        }
        return d.firstUpdateId() <= snapshotId + 1 && d.finalUpdateId() >= snapshotId + 1;
    }

    private void apply(DepthUpdate d, Consumer<DepthUpdate> onApplied) {
        for (String[] level : d.bids()) {
            book.applyBid(level[0], level[1]);
        }
        for (String[] level : d.asks()) {
            book.applyAsk(level[0], level[1]);
        }
        lastUpdateId = d.finalUpdateId();
        firstAfterSnapshot = false;
        applied++;
        onApplied.accept(d);
    }

    private String describeGap(DepthUpdate d) {
        return d.futuresStyle()
                ? "pu=" + d.previousFinalUpdateId() + " but previous u=" + lastUpdateId
                : "U=" + d.firstUpdateId() + " but previous u=" + lastUpdateId;
    }

    /** Forgets the book (e.g. after a reconnect, when diffs may have been missed); the next snapshot rebuilds it. */
    public void reset() {
        synced = false;
        book.clear();
        buffer.clear();
    }

    public boolean isSynced() {
        return synced;
    }

    /** True while diffs are being buffered for want of a (newer) snapshot. */
    public boolean needsSnapshot() {
        return !synced;
    }

    public LocalOrderBook book() {
        return book;
    }

    public long lastUpdateId() {
        return lastUpdateId;
    }

    public long applied() {
        return applied;
    }

    public long stale() {
        return stale;
    }

    public long gaps() {
        return gaps;
    }

    public long snapshots() {
        return snapshots;
    }

    public long snapshotsTooOld() {
        return snapshotsTooOld;
    }

    public int buffered() {
        return buffer.size();
    }

    /** Description of the most recent gap, or null. */
    public String lastGap() {
        return lastGap;
    }
}
