package io.riptide.trigger.store;

import java.util.Arrays;
import java.util.List;

/** Examples loaded for one job, oldest first, as flat arrays. */
public record TrainingRows(String featureSetHash, List<String> featureNames, long[] timesMs, double[] rowsRowMajor,
                           double[] labels) {

    /**
     * Collects rows newest first, as the database returns them, straight into flat arrays (no object per row: a
     * million rows would otherwise be a million arrays to copy and collect), and turns them oldest first at the end.
     */
    static final class NewestFirst {
        private int cols = -1;
        private int n;
        private long[] times;
        private double[] flat;
        private double[] labels;

        NewestFirst(int expectedRows) {
            int capacity = Math.max(16, expectedRows);
            this.times = new long[capacity];
            this.labels = new double[capacity];
        }

        /** Adds one row: its features in array_send's binary form ({@link Float8Arrays}). */
        void add(long timeMs, byte[] sentFeatures, int label) {
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
                labels = Arrays.copyOf(labels, 2 * n);
            }
            if (cols < 0) {
                double[] first = Float8Arrays.decode(sentFeatures);
                cols = first.length;
                flat = new double[times.length * cols];
                System.arraycopy(first, 0, flat, 0, cols);
            } else {
                if (flat.length < (n + 1) * cols) {
                    flat = Arrays.copyOf(flat, times.length * cols);
                }
                Float8Arrays.decodeInto(sentFeatures, flat, n * cols, cols);
            }
            times[n] = timeMs;
            labels[n] = label;
            n++;
        }

        int size() {
            return n;
        }

        /** The rows, oldest first. */
        TrainingRows oldestFirst(String hash, List<String> featureNames) {
            int c = Math.max(cols, 0);
            long[] t = Arrays.copyOf(times, n);
            double[] y = Arrays.copyOf(labels, n);
            double[] x = flat == null ? new double[0] : Arrays.copyOf(flat, n * c);
            double[] row = new double[c];
            for (int i = 0, j = n - 1; i < j; i++, j--) {
                long tt = t[i];
                t[i] = t[j];
                t[j] = tt;
                double yy = y[i];
                y[i] = y[j];
                y[j] = yy;
                System.arraycopy(x, i * c, row, 0, c);
                System.arraycopy(x, j * c, x, i * c, c);
                System.arraycopy(row, 0, x, j * c, c);
            }
            return new TrainingRows(hash, featureNames, t, x, y);
        }
    }

    public int size() {
        return timesMs.length;
    }

    public int positives() {
        int p = 0;
        for (double y : labels) {
            p += y > 0.5 ? 1 : 0;
        }
        return p;
    }
}
