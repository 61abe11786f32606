package io.riptide.serving.drift;

import io.riptide.serving.drift.DistributionCheck.Level;
import io.riptide.serving.drift.DriftReferences.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WassersteinTest {

    private final Wasserstein w1 = new Wasserstein();

    @Test
    void areaBetweenTheCdfsWorkedByHand() {
        // inner edges 0, 1, 3 (spread 3), quartile reference; live counts 1, 6, 1, 2 of 10
        // F_ref 0.25, 0.50, 0.75; F_live 0.1, 0.7, 0.8; gaps 0.15, -0.20, -0.05
        // [0, 1]: the gap crosses zero: (0.15^2 + 0.20^2) / (2 * 0.35) = 0.0892857...
        // [1, 3]: 2 * (0.20 + 0.05) / 2 = 0.25; W1 = 0.3392857... / 3
        BinnedReference ref = new BinnedReference(new double[] {0, 1, 3}, new double[] {0.25, 0.25, 0.25, 0.25});
        DistributionCheck c = w1.check(ref, new long[] {1, 6, 1, 2});
        assertEquals(Wasserstein.NAME, c.detector());
        assertEquals((0.0625 / 0.7 + 0.25) / 3, c.statistic(), 1e-15);
        // signed: (1 * (0.15 - 0.20) / 2 + 2 * (-0.25) / 2) / 3 = -0.275 / 3
        assertEquals(-0.275 / 3, c.meanShift(), 1e-15);
        assertEquals(1.0, c.edge(), "the largest gap, 0.2, is at the second edge");
        assertEquals(0.7, c.liveCdf(), 1e-15);
        assertTrue(Double.isNaN(c.pValue()));
        assertTrue(c.statistic() <= new KolmogorovSmirnov().check(ref, new long[] {1, 6, 1, 2}).statistic());
        // two bins: one spread apart, the statistic is the gap at the edge
        BinnedReference two = new BinnedReference(new double[] {5}, new double[] {0.5, 0.5});
        assertEquals(0.3, w1.check(two, new long[] {2, 8}).statistic(), 1e-15);
        assertEquals(0.3, w1.check(two, new long[] {2, 8}).meanShift(), 1e-15);
        assertEquals(0.0, w1.check(new BinnedReference(new double[0], new double[] {1}), new long[] {9}).statistic());
    }

    @Test
    void theStatisticIsScaleFree() {
        SplittableRandom r = new SplittableRandom(3);
        BinnedReference ref = DriftReferences.reference(Shape.LOGNORMAL, 5_000, r);
        double[] edges = new double[ref.bins() - 1];
        double[] scaledEdges = new double[edges.length];
        double[] fractions = new double[ref.bins()];
        for (int j = 0; j < edges.length; j++) {
            edges[j] = ref.edge(j);
            scaledEdges[j] = 1_000 * ref.edge(j) - 7;
        }
        for (int b = 0; b < fractions.length; b++) {
            fractions[b] = ref.fraction(b);
        }
        BinnedReference scaled = new BinnedReference(scaledEdges, fractions);
        long[] counts = DriftReferences.window(ref, Shape.LOGNORMAL, 120, 0.3, r, new long[ref.bins()]);
        assertEquals(w1.check(ref, counts).statistic(), w1.check(scaled, counts).statistic(), 1e-12);
        assertEquals(w1.check(ref, counts).meanShift(), w1.check(scaled, counts).meanShift(), 1e-12);
    }

    @Test
    void aMeanShiftReadsAsAFractionOfTheSpread() {
        // normal: the 10%-90% spread is 2.563 standard deviations, so a shift of s sd reads about s / 2.563, a bit
        // less as the outer bins hold their mass on the outermost edges
        SplittableRandom r = new SplittableRandom(4);
        BinnedReference ref = DriftReferences.reference(Shape.NORMAL, 20_000, r);
        long[] counts = new long[ref.bins()];
        double sum = 0;
        for (int w = 0; w < 1_000; w++) {
            sum += w1.check(ref, DriftReferences.window(ref, Shape.NORMAL, 120, 0.5, r, counts)).statistic();
        }
        double mean = sum / 1_000;
        assertTrue(mean > 0.13 && mean < 0.5 / 2.563, "mean W1 " + mean); // measured 0.151
    }

    @Test
    void thresholdsAreAMagnitudeRaisedToTheNoiseOfSmallWindows() {
        // 0.5 z / sqrt(n): z = 3.2905 (two-sided 1e-3), 4.4172 (1e-5)
        assertEquals(0.5 * 3.290526731491926 / Math.sqrt(120), w1.warningThreshold(120), 1e-9);
        assertEquals(0.5 * 4.417173413469022 / Math.sqrt(120), w1.criticalThreshold(120), 1e-9);
        assertEquals(0.1502, w1.warningThreshold(120), 1e-4);
        assertEquals(0.2016, w1.criticalThreshold(120), 1e-4);
        assertEquals(0.1, w1.warningThreshold(10_000), "large windows keep the magnitude");
        assertEquals(0.2, w1.criticalThreshold(10_000));
        assertEquals(Double.POSITIVE_INFINITY, w1.criticalThreshold(0));
    }

    @Test
    void aStableFeatureIsRarelyFlaggedWhateverItsShape() {
        int windows = 100_000;
        for (Shape shape : Shape.values()) {
            for (int n : new int[] {30, 120}) {
                SplittableRandom r = new SplittableRandom(17 + n);
                BinnedReference ref = DriftReferences.reference(shape, 20_000, r);
                long[] counts = new long[ref.bins()];
                int warnings = 0;
                int criticals = 0;
                int overMagnitude = 0;
                for (int w = 0; w < windows; w++) {
                    DistributionCheck c = w1.check(ref, DriftReferences.window(ref, shape, n, 0, r, counts));
                    warnings += c.level() != Level.NONE ? 1 : 0;
                    criticals += c.level() == Level.CRITICAL ? 1 : 0;
                    overMagnitude += c.statistic() >= 0.1 ? 1 : 0;
                }
                // nominal 1e-3 and 1e-5 plus three binomial sd; measured at most 4.1e-4 (bimodal, n = 120) and 0
                assertTrue(warnings <= 130, shape + " n " + n + ": " + warnings + " warnings");
                assertTrue(criticals <= 4, shape + " n " + n + ": " + criticals + " criticals");
                if (n == 120 && shape == Shape.BIMODAL) {
                    // without the floor a fixed 0.1 would flag the worst-case shape in ~2% of windows
                    assertTrue(overMagnitude > 10 * windows / 1_000, "bimodal over 0.1: " + overMagnitude);
                }
            }
        }
    }

    @Test
    void aShiftedFeatureIsFlaggedAndNeverScoresAboveKs() {
        SplittableRandom r = new SplittableRandom(6);
        BinnedReference ref = DriftReferences.reference(Shape.NORMAL, 20_000, r);
        KolmogorovSmirnov ks = new KolmogorovSmirnov();
        long[] counts = new long[ref.bins()];
        int critical = 0;
        for (int w = 0; w < 1_000; w++) {
            DriftReferences.window(ref, Shape.NORMAL, 120, -1.0, r, counts);
            DistributionCheck c = w1.check(ref, counts);
            critical += c.level() == Level.CRITICAL ? 1 : 0;
            assertTrue(c.meanShift() < 0);
            assertTrue(c.statistic() <= ks.check(ref, counts).statistic() + 1e-15);
        }
        assertTrue(critical >= 990, "one sd down: " + critical + " of 1,000 critical"); // measured 1,000
    }
}
