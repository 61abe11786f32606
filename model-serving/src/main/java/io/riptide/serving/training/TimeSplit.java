package io.riptide.serving.training;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Time-ordered train/test splits in which labels that overlap in time never straddle the boundary.
 *
 * <p>A row at time t carries a label decided over (t, t+h]. A training row before the test block is purged
 * when its window reaches the test start; a training row after the test block is dropped until the horizon
 * plus the embargo have passed since the test end, because its features (rolling windows) still overlap
 * the test block's outcomes.
 */
public final class TimeSplit {

    /** Row indexes of each side, each in time order. */
    public record Split(int[] train, int[] test) {
    }

    private TimeSplit() {
    }

    /** The last {@code testFraction} of rows by time is the test set; earlier rows train, purged by the horizon. */
    public static Split purged(long[] timesMs, long labelHorizonMs, double testFraction, long embargoMs) {
        return purged(timesMs, labelHorizonMs, 1.0 - testFraction, 1.0, embargoMs);
    }

    /**
     * The rows between the {@code testStart} and {@code testEnd} quantiles of time are the test set (as fractions
     * of rows in time order, 0..1); the rest trains, purged before the test and embargoed after it.
     */
    public static Split purged(long[] timesMs, long labelHorizonMs, double testStart, double testEnd, long embargoMs) {
        if (timesMs == null || timesMs.length == 0) {
            throw new IllegalArgumentException("time split needs at least one row time");
        }
        if (labelHorizonMs < 0 || embargoMs < 0) {
            throw new IllegalArgumentException("label horizon and embargo must be >= 0, got " + labelHorizonMs + " and "
                    + embargoMs);
        }
        if (!(testStart >= 0 && testStart < testEnd && testEnd <= 1.0)) {
            throw new IllegalArgumentException("test block [" + testStart + ", " + testEnd
                    + ") must satisfy 0 <= start < end <= 1");
        }
        int n = timesMs.length;
        int[] order = IntStream.range(0, n).boxed()
                .sorted((a, b) -> a.equals(b) ? 0 : Long.compare(timesMs[a], timesMs[b]) != 0
                        ? Long.compare(timesMs[a], timesMs[b]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
        int from = (int) Math.floor(testStart * n);
        int to = (int) Math.ceil(testEnd * n) - 1;
        if (from > to || from >= n) {
            throw new IllegalArgumentException("test block of " + (testEnd - testStart) + " of " + n + " rows is empty");
        }
        long testFirst = timesMs[order[from]];
        long testLast = timesMs[order[Math.min(to, n - 1)]];
        int[] test = new int[n];
        int[] train = new int[n];
        int nt = 0;
        int nr = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            long t = timesMs[i];
            if (t >= testFirst && t <= testLast) {
                test[nt++] = i;  // rows sharing a boundary timestamp join the test block
            } else if (t < testFirst) {
                if (t + labelHorizonMs < testFirst) {
                    train[nr++] = i;
                }
            } else if (t > testLast + labelHorizonMs + embargoMs) {
                train[nr++] = i;
            }
        }
        return new Split(Arrays.copyOf(train, nr), Arrays.copyOf(test, nt));
    }
}
