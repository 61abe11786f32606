package io.riptide.serving.training;

import java.util.List;
import java.util.Objects;

/**
 * A dense, row-major training matrix with binary labels, optional sample weights and optional event times.
 * NaN in the matrix means "missing". Arrays are not copied: callers hand over ownership.
 */
public final class Dataset {

    private final double[] rows;
    private final int rowCount;
    private final List<String> featureNames;
    private final double[] labels;
    private final double[] weights;
    private final long[] timesMs;

    public Dataset(double[] rowsRowMajor, int rows, List<String> featureNames, double[] labels, double[] weights,
                   long[] timesMs) {
        Objects.requireNonNull(rowsRowMajor, "rowsRowMajor");
        Objects.requireNonNull(featureNames, "featureNames");
        Objects.requireNonNull(labels, "labels");
        if (rows < 0) {
            throw new IllegalArgumentException("dataset rows must be >= 0, got " + rows);
        }
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("dataset needs at least one feature name");
        }
        int cols = featureNames.size();
        if (rowsRowMajor.length != (long) rows * cols) {
            throw new IllegalArgumentException("dataset matrix has " + rowsRowMajor.length + " values, expected rows "
                    + rows + " x features " + cols + " = " + (long) rows * cols);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("dataset has " + labels.length + " labels for " + rows + " rows");
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] != 0.0 && labels[i] != 1.0) {
                throw new IllegalArgumentException("dataset label at row " + i + " is " + labels[i] + ", expected 0 or 1");
            }
        }
        if (weights != null) {
            if (weights.length != rows) {
                throw new IllegalArgumentException("dataset has " + weights.length + " weights for " + rows + " rows");
            }
            for (int i = 0; i < rows; i++) {
                if (!(weights[i] >= 0.0) || Double.isInfinite(weights[i])) {
                    throw new IllegalArgumentException("dataset weight at row " + i + " is " + weights[i]
                            + ", expected a finite value >= 0");
                }
            }
        }
        if (timesMs != null && timesMs.length != rows) {
            throw new IllegalArgumentException("dataset has " + timesMs.length + " times for " + rows + " rows");
        }
        this.rows = rowsRowMajor;
        this.rowCount = rows;
        this.featureNames = List.copyOf(featureNames);
        this.labels = labels;
        this.weights = weights;
        this.timesMs = timesMs;
    }

    public int rows() {
        return rowCount;
    }

    public int cols() {
        return featureNames.size();
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** The row-major matrix itself (not a copy). */
    public double[] matrix() {
        return rows;
    }

    public double[] labels() {
        return labels;
    }

    /** Sample weights, or null when every row weighs 1. */
    public double[] weights() {
        return weights;
    }

    /** Event times in epoch milliseconds, or null. */
    public long[] timesMs() {
        return timesMs;
    }

    /** Copies row {@code i} into {@code out} (length {@link #cols()}). */
    public void row(int i, double[] out) {
        System.arraycopy(rows, i * cols(), out, 0, cols());
    }

    /** A new dataset of the given rows, in the given order. */
    public Dataset select(int[] rowIndexes) {
        int cols = cols();
        double[] m = new double[rowIndexes.length * cols];
        double[] l = new double[rowIndexes.length];
        double[] w = weights == null ? null : new double[rowIndexes.length];
        long[] t = timesMs == null ? null : new long[rowIndexes.length];
        for (int k = 0; k < rowIndexes.length; k++) {
            int i = rowIndexes[k];
            if (i < 0 || i >= rowCount) {
                throw new IndexOutOfBoundsException("row index " + i + " outside dataset of " + rowCount + " rows");
            }
            System.arraycopy(rows, i * cols, m, k * cols, cols);
            l[k] = labels[i];
            if (w != null) {
                w[k] = weights[i];
            }
            if (t != null) {
                t[k] = timesMs[i];
            }
        }
        return new Dataset(m, rowIndexes.length, featureNames, l, w, t);
    }

    /** Number of rows labelled 1. */
    public int positives() {
        int n = 0;
        for (double label : labels) {
            n += label == 1.0 ? 1 : 0;
        }
        return n;
    }
}
