package io.riptide.serving.drift;

/**
 * Standard-normal tail and quantile, accurate to about 1e-14 relative (series below 3, continued fraction above).
 * The drift detectors use it, and so do the retrain trigger's gates.
 */
public final class Normal {

    private Normal() {
    }

    /** P(Z > z). */
    public static double upperTail(double z) {
        if (z < 0) {
            return 1 - upperTail(-z);
        }
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        if (z < 3) {
            double term = z;
            double sum = z;
            for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
                term *= z * z / (2 * k + 1);
                sum += term;
            }
            return 0.5 - density * sum;
        }
        double fraction = z;
        for (int k = 200; k >= 1; k--) {
            fraction = z + k / fraction;
        }
        return density / fraction;
    }

    /** The z with P(|Z| > z) = alpha. */
    public static double twoSidedQuantile(double alpha) {
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-14; i++) {
            double mid = (lo + hi) / 2;
            if (2 * upperTail(mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
