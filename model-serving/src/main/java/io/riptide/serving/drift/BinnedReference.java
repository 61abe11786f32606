package io.riptide.serving.drift;

import java.util.Arrays;
import java.util.List;

/**
 * A training reference as the model version publishes it ({@code ReferenceDistribution}): k - 1 ascending inner
 * edges and the share of training rows in each of the k bins. Bin 0 is {@code (-inf, e_0)}, bin b is
 * {@code [e_(b-1), e_b)} and bin k - 1 is {@code [e_(k-2), +inf)}: a value on an edge belongs to the bin above it,
 * as in {@code FeatureDistribution} and the stream's {@code ModelMonitor.binOf}. Fractions are normalised to sum
 * to 1. Immutable; build one per model version and subject and reuse it for every window.
 */
public final class BinnedReference {

    private final double[] edges;
    private final double[] fractions;
    private final double[] cdf; // cdf[j]: reference share below edge j
    private final double spread;

    /**
     * @param innerEdges k - 1 finite, non-decreasing edges (none for a one-bin reference)
     * @param fractions  k finite, non-negative shares with a positive sum
     */
    public BinnedReference(double[] innerEdges, double[] fractions) {
        if (fractions.length != innerEdges.length + 1) {
            throw new IllegalArgumentException("reference has " + innerEdges.length + " inner edges for "
                    + fractions.length + " bin fractions; k bins need k - 1 inner edges");
        }
        for (int j = 0; j < innerEdges.length; j++) {
            if (!Double.isFinite(innerEdges[j]) || (j > 0 && innerEdges[j] < innerEdges[j - 1])) {
                throw new IllegalArgumentException("reference inner edges must be finite and ascending, got "
                        + Arrays.toString(innerEdges));
            }
        }
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("reference bin fractions must be finite and >= 0, got "
                        + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("reference bin fractions sum to " + sum + "; need a positive sum");
        }
        this.edges = innerEdges.clone();
        this.fractions = new double[fractions.length];
        this.cdf = new double[innerEdges.length];
        double below = 0;
        for (int b = 0; b < fractions.length; b++) {
            this.fractions[b] = fractions[b] / sum;
            if (b < cdf.length) {
                below += fractions[b];
                cdf[b] = below / sum;
            }
        }
        this.spread = edges.length == 0 ? 0.0 : edges[edges.length - 1] - edges[0];
    }

    /** From the lists of a {@code ReferenceDistribution} ({@code getBinEdges()}, {@code getBinFractions()}). */
    public static BinnedReference of(List<Double> innerEdges, List<Double> binFractions) {
        return new BinnedReference(innerEdges.stream().mapToDouble(Double::doubleValue).toArray(),
                binFractions.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public int bins() {
        return fractions.length;
    }

    /** Inner edge j, 0 <= j < bins() - 1. */
    public double edge(int j) {
        return edges[j];
    }

    /** Normalised reference share of bin b. */
    public double fraction(int b) {
        return fractions[b];
    }

    /** Reference share below inner edge j (the reference CDF there). */
    public double cdfAt(int j) {
        return cdf[j];
    }

    /** Last inner edge minus the first: the unit of {@link Wasserstein}'s statistic (0 with fewer than 2 edges). */
    public double spread() {
        return spread;
    }

    /** The bin of {@code value} (binary search, an edge belongs to the bin above it); -1 for NaN, which is no value. */
    public int binOf(double value) {
        if (Double.isNaN(value)) {
            return -1;
        }
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value >= edges[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Where and how the live CDF departs from the reference. */
    record Gaps(long n, double maxGap, int maxGapEdge, double liveCdfAtMax, double w1, double meanShift) {
    }

    /**
     * One pass over the bins: the largest |F_ref - F_live| over the inner edges (first edge reaching it), and, with
     * both CDFs linear inside the inner bins and the outer bins' mass on the outermost edges, the area between them
     * (W1) and the signed area (live mean minus reference mean), both divided by {@link #spread()}. Without a
     * spread (two bins, or all edges equal) the two bins stand one spread unit apart, so both areas are the gap at
     * the edge.
     */
    Gaps compare(long[] counts) {
        if (counts.length != fractions.length) {
            throw new IllegalArgumentException("live window has " + counts.length + " bin counts, the reference "
                    + fractions.length + " bins");
        }
        long n = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("live bin counts must be >= 0, got " + Arrays.toString(counts));
            }
            n += c;
        }
        if (n == 0 || edges.length == 0) {
            return new Gaps(n, 0.0, -1, Double.NaN, 0.0, 0.0); // nothing to compare: no gap, no location
        }
        double maxGap = -1;
        int at = 0;
        double liveAtMax = 0;
        double area = 0;
        double signed = 0;
        long below = 0;
        double previous = 0;
        for (int j = 0; j < edges.length; j++) {
            below += counts[j];
            double live = (double) below / n;
            double gap = cdf[j] - live;
            if (Math.abs(gap) > maxGap) {
                maxGap = Math.abs(gap);
                at = j;
                liveAtMax = live;
            }
            if (j > 0) {
                double w = edges[j] - edges[j - 1];
                double a = previous;
                double b = gap;
                area += a * b >= 0
                        ? w * (Math.abs(a) + Math.abs(b)) / 2
                        : w * (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
                signed += w * (a + b) / 2;
            }
            previous = gap;
        }
        if (spread > 0) {
            return new Gaps(n, maxGap, at, liveAtMax, area / spread, signed / spread);
        }
        double gap0 = cdf[0] - (double) counts[0] / n;
        return new Gaps(n, maxGap, at, liveAtMax, Math.abs(gap0), gap0);
    }
}
