package io.riptide.topology.internal;

import java.util.Arrays;

/**
 * One instrument's liquidations in event-time order (they are released in that order), for label windows. Each is
 * identified by (time, seq), so one released again after a restart is not counted twice.
 */
final class LiquidationHistory {
    private long[] times = new long[64];
    private long[] seqs = new long[64];
    private double[] notionals = new double[64];
    private int start;
    private int end;

    /** @return false when the liquidation is already held (or older than the newest one held: a replay) */
    boolean add(long timeMs, long seq, double notional) {
        if (end > start && (timeMs < times[end - 1] || (timeMs == times[end - 1] && seq <= seqs[end - 1]))) {
            return false;
        }
        if (end == times.length) {
            compactOrGrow();
        }
        times[end] = timeMs;
        seqs[end] = seq;
        notionals[end] = notional;
        end++;
        return true;
    }

    /** Notional with event time in (fromExclusive, toInclusive], summed oldest first. */
    double notionalIn(long fromExclusive, long toInclusive) {
        int i = firstAfter(fromExclusive);
        double sum = 0;
        while (i < end && times[i] <= toInclusive) {
            sum += notionals[i++];
        }
        return sum;
    }

    /** Forgets liquidations before {@code timeMs}; returns how many. */
    int pruneBefore(long timeMs) {
        int i = start;
        while (i < end && times[i] < timeMs) {
            i++;
        }
        int pruned = i - start;
        start = i;
        return pruned;
    }

    int size() {
        return end - start;
    }

    private int firstAfter(long timeMs) {
        int lo = start;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= timeMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void compactOrGrow() {
        int n = end - start;
        int capacity = n * 2 < times.length ? times.length : times.length * 2;
        times = Arrays.copyOfRange(times, start, start + capacity);
        seqs = Arrays.copyOfRange(seqs, start, start + capacity);
        notionals = Arrays.copyOfRange(notionals, start, start + capacity);
        start = 0;
        end = n;
    }
}
