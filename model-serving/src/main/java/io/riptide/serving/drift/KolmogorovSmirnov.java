package io.riptide.serving.drift;

/**
 * One-sample Kolmogorov-Smirnov test of a live window, counted in the reference's bins, against the reference
 * fractions: D = max over the inner edges of |F_ref - F_live|.
 *
 * <p>The reference is taken as known (one-sample test): it is estimated from thousands of training rows, against
 * windows of about a hundred live values, so its own sampling error adds about n / N_train to the variance (1% for
 * 120 against 12,000). The thresholds are D's critical values for n values at two levels, like the PSI thresholds
 * of the stream's monitor: a stable subject is flagged about once in 1,000 windows (warning, alpha 1e-3) and once in
 * 100,000 (critical, alpha 1e-5). They are exact for n <= 50 (Marsaglia-Tsang-Wang) and Stephens' corrected
 * asymptotic above, where it is within 0.15% of exact (see {@link Kolmogorov}).
 *
 * <p>Binning makes the test conservative: D is only looked at on k - 1 edges instead of everywhere, so it never
 * exceeds the continuous statistic and the true false-alarm rate is below alpha (with 10 quantile bins, 2.4e-4 at
 * n = 120 and 2.7e-4 at n = 30 against a nominal 1e-3, none at 1e-5: KolmogorovSmirnovTest). Ties are ignored: a
 * value on an edge counts in the bin above, exactly as the reference counted its training rows, and the continuous
 * distribution of D is used regardless (which only adds to the conservatism). Thread-safe (exact critical values
 * for small windows are computed once, on first use, under a lock).
 */
public final class KolmogorovSmirnov {

    public static final String NAME = "KS";
    public static final double DEFAULT_WARNING_ALPHA = 1e-3;
    public static final double DEFAULT_CRITICAL_ALPHA = 1e-5;

    private final double warningAlpha;
    private final double criticalAlpha;
    private final double warningLambda;
    private final double criticalLambda;
    private final double[] exactWarning = new double[Kolmogorov.EXACT_MAX_N + 1];
    private final double[] exactCritical = new double[Kolmogorov.EXACT_MAX_N + 1];

    /** Warning at alpha 1e-3, critical at 1e-5. */
    public KolmogorovSmirnov() {
        this(DEFAULT_WARNING_ALPHA, DEFAULT_CRITICAL_ALPHA);
    }

    /** @param warningAlpha and @param criticalAlpha false-alarm rates per window, 0 < critical <= warning < 0.5 */
    public KolmogorovSmirnov(double warningAlpha, double criticalAlpha) {
        if (!(warningAlpha > 0 && warningAlpha < 0.5)) {
            throw new IllegalArgumentException("ks.warningAlpha must be in (0, 0.5), got " + warningAlpha);
        }
        if (!(criticalAlpha > 0 && criticalAlpha <= warningAlpha)) {
            throw new IllegalArgumentException("ks.criticalAlpha must be in (0, warningAlpha = " + warningAlpha
                    + "], got " + criticalAlpha);
        }
        this.warningAlpha = warningAlpha;
        this.criticalAlpha = criticalAlpha;
        this.warningLambda = Kolmogorov.asymptoticQuantile(warningAlpha);
        this.criticalLambda = Kolmogorov.asymptoticQuantile(criticalAlpha);
        java.util.Arrays.fill(exactWarning, Double.NaN);
        java.util.Arrays.fill(exactCritical, Double.NaN);
    }

    public double warningAlpha() {
        return warningAlpha;
    }

    public double criticalAlpha() {
        return criticalAlpha;
    }

    /** Tests the live counts (one per reference bin, NaN values left out) against the reference. */
    public DistributionCheck check(BinnedReference reference, long[] counts) {
        BinnedReference.Gaps gaps = reference.compare(counts);
        long n = gaps.n();
        double d = gaps.maxGap();
        double p = n == 0 ? 1.0 : pValue(n, d);
        return DistributionCheck.of(NAME, reference, gaps, d, warningThreshold(n), criticalThreshold(n), p);
    }

    /** The D a window of n values must reach for a warning (+infinity for n = 0). */
    public double warningThreshold(long n) {
        return threshold(n, warningAlpha, warningLambda, exactWarning);
    }

    /** The D a window of n values must reach to be critical (+infinity for n = 0). */
    public double criticalThreshold(long n) {
        return threshold(n, criticalAlpha, criticalLambda, exactCritical);
    }

    /** P(D_n >= d) for n values drawn from a continuous reference: exact for n <= 50, Stephens above. */
    public static double pValue(long n, double d) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return Kolmogorov.survival(n, d);
    }

    private double threshold(long n, double alpha, double lambda, double[] exact) {
        if (n <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (n > Kolmogorov.EXACT_MAX_N) {
            return lambda / Kolmogorov.stephensScale(n);
        }
        synchronized (exact) {
            int i = (int) n;
            if (Double.isNaN(exact[i])) {
                exact[i] = Kolmogorov.exactCriticalValue(i, alpha);
            }
            return exact[i];
        }
    }
}
