package io.riptide.serving.training;

import java.util.Arrays;

/**
 * A reference histogram for drift checks: {@code binEdges} are quantile cut points of the finite values
 * (length k+1, first = min, last = max), {@code binFractions} the share of finite values in each bin
 * (length k, summing to 1; the last bin is closed). {@code missingFraction} is the share of NaN values.
 */
public record FeatureDistribution(String name, double[] binEdges, double[] binFractions, double missingFraction) {

    /** Quantile bins of the reference distributions training records. */
    public static final int REFERENCE_BINS = 10;

    public FeatureDistribution(String name, double[] binEdges, double[] binFractions) {
        this(name, binEdges, binFractions, 0.0);
    }

    /** Quantile bins of {@code values} (NaN counted as missing, infinities clamped into the outer bins). */
    public static FeatureDistribution of(String name, double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double missing = values.length == 0 ? 0.0 : (values.length - finite.length) / (double) values.length;
        if (finite.length == 0) {
            return new FeatureDistribution(name, new double[0], new double[0], missing);
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = finite[(int) Math.min(finite.length - 1, Math.round((double) b * (finite.length - 1) / bins))];
        }
        edges = Arrays.stream(edges).distinct().toArray();
        if (edges.length == 1) {
            return new FeatureDistribution(name, edges, new double[] {1.0}, missing);
        }
        double[] fractions = new double[edges.length - 1];
        for (double v : finite) {
            fractions[binOf(edges, v)] += 1.0;
        }
        for (int i = 0; i < fractions.length; i++) {
            fractions[i] /= finite.length;
        }
        return new FeatureDistribution(name, edges, fractions, missing);
    }

    /** Index of the bin holding {@code v}: bins are [e_i, e_i+1) and the last one is closed; outside values clamp. */
    public static int binOf(double[] edges, double v) {
        int k = edges.length - 1;
        if (k <= 1) {
            return 0;
        }
        int pos = Arrays.binarySearch(edges, v);
        int bin = pos >= 0 ? pos : -pos - 2;
        return Math.max(0, Math.min(k - 1, bin));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureDistribution d && name.equals(d.name) && Arrays.equals(binEdges, d.binEdges)
                && Arrays.equals(binFractions, d.binFractions) && missingFraction == d.missingFraction;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(binEdges);
    }

    @Override
    public String toString() {
        return "FeatureDistribution[" + name + ", edges=" + Arrays.toString(binEdges) + ", fractions="
                + Arrays.toString(binFractions) + ", missing=" + missingFraction + "]";
    }
}
