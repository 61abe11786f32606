package io.riptide.feed.sim.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Open leveraged positions of one instrument, ordered by liquidation price so that a price move finds every
 * position it liquidates without scanning the rest. Voluntary closes are lazy: a closed position is skipped when it
 * surfaces and purged periodically.
 */
final class LeveragedPositions {

    /** One position: side, the price at which the venue liquidates it, its size and when the owner closes it. */
    record Position(boolean isLong, double liquidationPrice, double qty, long closeTimeMs, long id) {
    }

    private static final Comparator<Position> LONGS_HIGHEST_FIRST =
            Comparator.comparingDouble(Position::liquidationPrice).reversed().thenComparingLong(Position::id);
    private static final Comparator<Position> SHORTS_LOWEST_FIRST =
            Comparator.comparingDouble(Position::liquidationPrice).thenComparingLong(Position::id);

    private PriorityQueue<Position> longs = new PriorityQueue<>(LONGS_HIGHEST_FIRST);
    private PriorityQueue<Position> shorts = new PriorityQueue<>(SHORTS_LOWEST_FIRST);
    private long nextId;

    void open(boolean isLong, double liquidationPrice, double qty, long closeTimeMs) {
        Position p = new Position(isLong, liquidationPrice, qty, closeTimeMs, nextId++);
        (isLong ? longs : shorts).add(p);
    }

    /**
     * The next position still open at {@code nowMs} that the price {@code mid} liquidates, removed; null if none.
     * Longs are liquidated at or below their liquidation price, shorts at or above.
     */
    Position nextLiquidated(double mid, long nowMs) {
        Position p = pop(longs, nowMs, q -> mid <= q.liquidationPrice());
        return p != null ? p : pop(shorts, nowMs, q -> mid >= q.liquidationPrice());
    }

    /** Drops positions closed before {@code nowMs}, so the heaps stay as large as the open interest. */
    void purgeClosed(long nowMs) {
        longs = rebuilt(longs, LONGS_HIGHEST_FIRST, nowMs);
        shorts = rebuilt(shorts, SHORTS_LOWEST_FIRST, nowMs);
    }

    int openCount() {
        return longs.size() + shorts.size();
    }

    private static Position pop(PriorityQueue<Position> heap, long nowMs,
                                java.util.function.Predicate<Position> crossed) {
        while (!heap.isEmpty() && crossed.test(heap.peek())) {
            Position p = heap.poll();
            if (p.closeTimeMs() > nowMs) {
                return p;
            }
        }
        return null;
    }

    private static PriorityQueue<Position> rebuilt(PriorityQueue<Position> heap, Comparator<Position> order,
                                                   long nowMs) {
        List<Position> open = new ArrayList<>(heap.size());
        for (Position p : heap) {
            if (p.closeTimeMs() > nowMs) {
                open.add(p);
            }
        }
        // sorting first keeps the rebuilt heap independent of the old heap's internal layout
        open.sort(order);
        PriorityQueue<Position> fresh = new PriorityQueue<>(Math.max(16, open.size()), order);
        fresh.addAll(open);
        return fresh;
    }
}
