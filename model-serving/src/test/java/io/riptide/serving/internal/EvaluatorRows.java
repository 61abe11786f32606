package io.riptide.serving.internal;

import java.util.SplittableRandom;

/** Hostile test rows: typical values mixed with NaN, exact and tiny zeros, +/-1e30, infinities and far-out values. */
final class EvaluatorRows {

    private EvaluatorRows() {
    }

    static double[] rows(int rows, int cols, long seed, int categoricalColumn) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) {
            int col = i % cols;
            double u = r.nextDouble();
            double v;
            if (u < 0.10) {
                v = Double.NaN;
            } else if (u < 0.18) {
                v = 0.0;
            } else if (u < 0.20) {
                v = r.nextBoolean() ? -0.0 : (r.nextBoolean() ? 1e-36 : -1e-36);
            } else if (u < 0.23) {
                v = r.nextBoolean() ? 1e30 : -1e30;
            } else if (u < 0.24) {
                v = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            } else if (u < 0.28) {
                v = r.nextDouble(-1e6, 1e6);  // far outside the training range
            } else if (col == categoricalColumn) {
                double w = r.nextDouble();
                v = w < 0.8 ? r.nextInt(0, 40) : w < 0.9 ? r.nextInt(-5, 0) : r.nextDouble(0, 40);
            } else {
                v = r.nextGaussian() * 1.5;
            }
            m[i] = v;
        }
        return m;
    }
}
