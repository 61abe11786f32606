package io.riptide.serving.drift;

/**
 * A window test's verdict on one subject (a feature or the score): live bin counts against the training reference.
 *
 * @param detector          {@link KolmogorovSmirnov#NAME} or {@link Wasserstein#NAME}
 * @param statistic         KS: D, the largest |F_ref - F_live| over the inner edges; W1: the area between the CDFs
 *                          in units of the reference's inner-edge spread
 * @param warningThreshold  the statistic a stable subject reaches by chance about once in 1,000 windows (and, for W1,
 *                          at least the warning magnitude); +infinity for an empty window
 * @param criticalThreshold the same at about once in 100,000 windows
 * @param n                 values in the live window
 * @param pValue            KS: P(D >= statistic) for n values drawn from the reference (conservative, see
 *                          {@link KolmogorovSmirnov}); NaN for W1
 * @param edge              the inner edge where |F_ref - F_live| is largest (NaN for a one-bin reference)
 * @param referenceCdf      the reference share below that edge
 * @param liveCdf           the live share below it
 * @param meanShift         live mean minus reference mean of the binned distributions (values spread evenly inside
 *                          the inner bins, the outer bins' on the outermost edges) in spread units: positive when live
 *                          values run higher
 */
public record DistributionCheck(String detector, double statistic, double warningThreshold, double criticalThreshold,
                                long n, double pValue, double edge, double referenceCdf, double liveCdf,
                                double meanShift) {

    public enum Level { NONE, WARNING, CRITICAL }

    /** CRITICAL when the statistic reaches the critical threshold, WARNING when it reaches the warning one. */
    public Level level() {
        return statistic >= criticalThreshold ? Level.CRITICAL
                : statistic >= warningThreshold ? Level.WARNING : Level.NONE;
    }

    /** The threshold a drift event reports: the critical one when reached, else the warning one. */
    public double threshold() {
        return statistic >= criticalThreshold ? criticalThreshold : warningThreshold;
    }

    static DistributionCheck of(String detector, BinnedReference reference, BinnedReference.Gaps gaps, double statistic,
                                double warning, double critical, double pValue) {
        boolean located = gaps.maxGapEdge() >= 0;
        return new DistributionCheck(detector, statistic, warning, critical, gaps.n(), pValue,
                located ? reference.edge(gaps.maxGapEdge()) : Double.NaN,
                located ? reference.cdfAt(gaps.maxGapEdge()) : Double.NaN,
                located ? gaps.liveCdfAtMax() : Double.NaN, gaps.meanShift());
    }
}
