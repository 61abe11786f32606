package io.riptide.trigger.store;

import java.util.List;

/** Examples loaded for one job, oldest first, as flat arrays. */
public record TrainingRows(String featureSetHash, List<String> featureNames, long[] timesMs, double[] rowsRowMajor,
                           double[] labels) {

    static TrainingRows of(String hash, List<long[]> times, List<double[]> rows, List<Integer> labels,
                           List<String> featureNames) {
        int n = rows.size();
        int cols = n == 0 ? 0 : rows.get(0).length;
        long[] t = new long[n];
        double[] flat = new double[n * cols];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = times.get(i)[0];
            System.arraycopy(rows.get(i), 0, flat, i * cols, cols);
            y[i] = labels.get(i);
        }
        return new TrainingRows(hash, featureNames, t, flat, y);
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
