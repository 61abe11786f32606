package io.riptide.serving.drift;

/**
 * Wasserstein-1 distance between the live window and the reference on the reference's bins, scale-free: the area
 * between the two CDFs divided by the reference's inner-edge spread (last inner edge minus first; for decile
 * references the 10%-90% inter-quantile range), so one threshold fits every feature whatever its units.
 *
 * <p>Inside the inner bins both CDFs are taken as linear (values spread evenly within a bin), and the outer bins'
 * mass sits on the outermost edges (the reference does not say how far its tails reach); the area is then exact
 * for those two piecewise-linear CDFs. The statistic reads as "how far, in spreads, mass has to move": a normal
 * feature whose mean moves by s standard deviations scores about s / 2.56 (a little less, as the outer bins hold
 * their mass at the edges). It never exceeds the KS statistic on the same bins. A two-bin reference (one edge) has
 * no spread: its two bins count as one spread apart, so the statistic is the gap at the edge.
 *
 * <p>Thresholds, like PSI's in the stream's monitor, are a magnitude raised for small windows to what sampling noise
 * reaches: max(magnitude, c / sqrt(n)) with c = 0.5 z, z the two-sided normal quantile of alpha (1.645 at 1e-3,
 * 2.209 at 1e-5). sqrt(n) times the statistic of a stable window tends to a weighted average of |B(F_j)| for a
 * Brownian bridge B, and its worst case, the whole spread in one bin at the median, is 0.5 |Z|; so the floor keeps
 * the false-alarm rate at or below alpha for any reference shape (an argument from the worst case, not a proof; the
 * test checks it on four shapes). Measured on 100,000 stable windows of 120 values per shape
 * (WassersteinTest): no warning for normal, lognormal and uniform features, 4.2e-4 for a bimodal one (the worst
 * case), where a fixed 0.1 would flag 0.08% to 0.14% of the windows of the former and 1.8% of the latter.
 * Defaults: magnitudes 0.1 (warning) and 0.2 (critical), alphas 1e-3 and 1e-5; with the stream's window of 120 the
 * thresholds are 0.150 and 0.202, and the magnitudes take over from 271 (warning) and 122 (critical) values.
 * Stateless and thread-safe.
 */
public final class Wasserstein {

    public static final String NAME = "W1";
    public static final double DEFAULT_WARNING_MAGNITUDE = 0.1;
    public static final double DEFAULT_CRITICAL_MAGNITUDE = 0.2;

    private final double warningMagnitude;
    private final double criticalMagnitude;
    private final double warningNoise;
    private final double criticalNoise;

    /** Magnitudes 0.1 and 0.2 spreads, noise floors at alpha 1e-3 and 1e-5. */
    public Wasserstein() {
        this(DEFAULT_WARNING_MAGNITUDE, DEFAULT_CRITICAL_MAGNITUDE, KolmogorovSmirnov.DEFAULT_WARNING_ALPHA,
                KolmogorovSmirnov.DEFAULT_CRITICAL_ALPHA);
    }

    /**
     * @param warningMagnitude  and @param criticalMagnitude the distances, in spreads, that matter
     *                          (0 <= warning <= critical)
     * @param warningAlpha      and @param criticalAlpha the false-alarm rates the noise floors allow
     *                          (0 < critical <= warning < 1)
     */
    public Wasserstein(double warningMagnitude, double criticalMagnitude, double warningAlpha, double criticalAlpha) {
        if (!(warningMagnitude >= 0 && warningMagnitude < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("w1.warningMagnitude must be finite and >= 0, got " + warningMagnitude);
        }
        if (!(criticalMagnitude >= warningMagnitude && criticalMagnitude < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("w1.criticalMagnitude must be finite and >= warningMagnitude = "
                    + warningMagnitude + ", got " + criticalMagnitude);
        }
        if (!(warningAlpha > 0 && warningAlpha < 1)) {
            throw new IllegalArgumentException("w1.warningAlpha must be in (0, 1), got " + warningAlpha);
        }
        if (!(criticalAlpha > 0 && criticalAlpha <= warningAlpha)) {
            throw new IllegalArgumentException("w1.criticalAlpha must be in (0, warningAlpha = " + warningAlpha
                    + "], got " + criticalAlpha);
        }
        this.warningMagnitude = warningMagnitude;
        this.criticalMagnitude = criticalMagnitude;
        this.warningNoise = 0.5 * Normal.twoSidedQuantile(warningAlpha);
        this.criticalNoise = 0.5 * Normal.twoSidedQuantile(criticalAlpha);
    }

    /** Compares the live counts (one per reference bin, NaN values left out) with the reference. */
    public DistributionCheck check(BinnedReference reference, long[] counts) {
        BinnedReference.Gaps gaps = reference.compare(counts);
        long n = gaps.n();
        return DistributionCheck.of(NAME, reference, gaps, gaps.w1(), warningThreshold(n), criticalThreshold(n),
                Double.NaN);
    }

    /** max(warning magnitude, noise floor for n values); +infinity for n = 0. */
    public double warningThreshold(long n) {
        return n <= 0 ? Double.POSITIVE_INFINITY : Math.max(warningMagnitude, warningNoise / Math.sqrt(n));
    }

    /** max(critical magnitude, noise floor for n values); +infinity for n = 0. */
    public double criticalThreshold(long n) {
        return n <= 0 ? Double.POSITIVE_INFINITY : Math.max(criticalMagnitude, criticalNoise / Math.sqrt(n));
    }
}
