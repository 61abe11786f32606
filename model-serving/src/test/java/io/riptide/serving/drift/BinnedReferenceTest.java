package io.riptide.serving.drift;

import io.riptide.serving.training.FeatureDistribution;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinnedReferenceTest {

    @Test
    void binsFollowThePublishedInnerEdgesLikeTheMonitor() {
        BinnedReference ref = BinnedReference.of(List.of(0.2, 0.5, 0.8), List.of(0.25, 0.25, 0.25, 0.25));
        assertEquals(4, ref.bins());
        assertEquals(0, ref.binOf(0.1));
        assertEquals(1, ref.binOf(0.2), "an edge belongs to the bin above it");
        assertEquals(2, ref.binOf(0.79));
        assertEquals(3, ref.binOf(5.0));
        assertEquals(0, ref.binOf(Double.NEGATIVE_INFINITY));
        assertEquals(3, ref.binOf(Double.POSITIVE_INFINITY));
        assertEquals(-1, ref.binOf(Double.NaN));
        assertEquals(0.6, ref.spread(), 1e-15);
        assertEquals(0.5, ref.cdfAt(1), 1e-15);
    }

    @Test
    void trainingRowsFallInTheBinsTheirReferenceCountedThemIn() {
        double[] values = new double[1_000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.floor(r.nextGaussian() * 4) / 4; // ties on the edges
        }
        FeatureDistribution fd = FeatureDistribution.of("x", values, 10);
        double[] full = fd.binEdges();
        BinnedReference ref = new BinnedReference(Arrays.copyOfRange(full, 1, full.length - 1), fd.binFractions());
        long[] counts = new long[ref.bins()];
        for (double v : values) {
            counts[ref.binOf(v)]++;
        }
        for (int b = 0; b < counts.length; b++) {
            assertEquals(fd.binFractions()[b], counts[b] / 1_000.0, 1e-12, "bin " + b);
        }
        assertEquals(0.0, new KolmogorovSmirnov().check(ref, counts).statistic(), 1e-12);
    }

    @Test
    void fractionsAreNormalisedAndBadReferencesRejected() {
        BinnedReference ref = new BinnedReference(new double[] {1}, new double[] {2, 6});
        assertEquals(0.25, ref.fraction(0));
        assertEquals(0.25, ref.cdfAt(0));
        assertThrows(IllegalArgumentException.class,
                () -> new BinnedReference(new double[] {1, 2}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new BinnedReference(new double[] {2, 1}, new double[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new BinnedReference(new double[] {Double.NaN}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new BinnedReference(new double[] {1}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new BinnedReference(new double[] {1}, new double[] {-1, 2}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ref.compare(new long[] {1, 2, 3})).getMessage()
                .contains("3 bin counts"));
        assertThrows(IllegalArgumentException.class, () -> ref.compare(new long[] {1, -2}));
    }
}
