package io.riptide.serving;

import io.riptide.serving.training.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic labelled data with a non-linear signal, missing values and one categorical-like column. */
public final class SyntheticData {

    private SyntheticData() {
    }

    public static List<String> names(int cols) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            names.add("f" + c);
        }
        return names;
    }

    /** Rows one minute apart; about 10% NaN in column 1 and exact zeros in column 2. */
    public static Dataset dataset(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] m = new double[rows * cols];
        double[] labels = new double[rows];
        long[] times = new long[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = random.nextGaussian();
            }
            if (cols > 1 && random.nextDouble() < 0.1) {
                m[r * cols + 1] = Double.NaN;
            }
            if (cols > 2 && random.nextDouble() < 0.2) {
                m[r * cols + 2] = 0.0;
            }
            double x0 = m[r * cols];
            double x1 = cols > 1 && !Double.isNaN(m[r * cols + 1]) ? m[r * cols + 1] : 0.5;
            double x2 = cols > 2 ? m[r * cols + 2] : 0;
            double z = 1.5 * x0 - x1 * x1 + (x2 > 0 ? 1.0 : -0.5) - 0.3;
            labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-2 * z)) ? 1.0 : 0.0;
            times[r] = 1_700_000_000_000L + r * 60_000L;
        }
        return new Dataset(m, rows, names(cols), labels, null, times);
    }
}
