package io.riptide.serving.drift;

import io.riptide.serving.drift.DistributionCheck.Level;
import io.riptide.serving.drift.DriftReferences.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KolmogorovSmirnovTest {

    private final KolmogorovSmirnov ks = new KolmogorovSmirnov();

    @Test
    void statisticWorkedByHand() {
        // reference quartiles at 1, 2, 3; live counts 4, 2, 2, 2 of 10:
        // F_ref 0.25, 0.50, 0.75 against F_live 0.4, 0.6, 0.8: gaps -0.15, -0.10, -0.05, D = 0.15 at edge 1
        BinnedReference ref = new BinnedReference(new double[] {1, 2, 3}, new double[] {0.25, 0.25, 0.25, 0.25});
        DistributionCheck c = ks.check(ref, new long[] {4, 2, 2, 2});
        assertEquals(KolmogorovSmirnov.NAME, c.detector());
        assertEquals(0.15, c.statistic(), 1e-15);
        assertEquals(10, c.n());
        assertEquals(1.0, c.edge());
        assertEquals(0.25, c.referenceCdf());
        assertEquals(0.4, c.liveCdf(), 1e-15);
        // live mass sits lower: mean shift = (1 * (-0.15 - 0.10) / 2 + 1 * (-0.10 - 0.05) / 2) / 2 = -0.1 spreads
        assertEquals(-0.1, c.meanShift(), 1e-15);
        assertEquals(1 - Kolmogorov.exactCdf(10, 0.15), c.pValue(), 1e-15);
        assertEquals(Level.NONE, c.level());
        assertEquals(c.warningThreshold(), c.threshold());
    }

    @Test
    void thresholdsAreTheCriticalValuesAtTheMonitorsTwoLevels() {
        // n = 120 (the stream's drift window): Stephens, lambda(1e-3) = 1.94947, lambda(1e-5) = 2.47043
        double scale = Math.sqrt(120) + 0.12 + 0.11 / Math.sqrt(120);
        assertEquals(1.949474603504375 / scale, ks.warningThreshold(120), 1e-12);
        assertEquals(2.470432416150073 / scale, ks.criticalThreshold(120), 1e-12);
        assertEquals(0.1759, ks.warningThreshold(120), 1e-4);
        assertEquals(0.2229, ks.criticalThreshold(120), 1e-4);
        // n <= 50: exact
        assertEquals(Kolmogorov.exactCriticalValue(30, 1e-3), ks.warningThreshold(30), 1e-15);
        assertEquals(Kolmogorov.exactCriticalValue(1, 1e-5), ks.criticalThreshold(1), 1e-15);
        assertEquals(1 - 5e-6, ks.criticalThreshold(1), 1e-9, "one value: P(D_1 >= d) = 2(1 - d)");
        assertEquals(Double.POSITIVE_INFINITY, ks.warningThreshold(0));
        DistributionCheck empty = ks.check(new BinnedReference(new double[] {0}, new double[] {1, 1}), new long[2]);
        assertEquals(Level.NONE, empty.level());
        assertEquals(1.0, empty.pValue());
        assertTrue(Double.isNaN(empty.edge()));
        // p-values agree with the thresholds on both sides of the exact/Stephens switch
        for (long n : new long[] {20, 50, 51, 120}) {
            assertEquals(1e-3, KolmogorovSmirnov.pValue(n, ks.warningThreshold(n)), 1e-9, "n " + n);
            assertEquals(1e-5, KolmogorovSmirnov.pValue(n, ks.criticalThreshold(n)), 1e-11, "n " + n);
        }
    }

    @Test
    void aStableFeatureIsFlaggedNoMoreThanTheNominalRate() {
        // references from 20,000 training rows; 100,000 live windows of the same distribution per shape and size
        int windows = 100_000;
        for (Shape shape : new Shape[] {Shape.NORMAL, Shape.LOGNORMAL}) {
            for (int n : new int[] {30, 120}) {
                SplittableRandom r = new SplittableRandom(11 + n);
                BinnedReference ref = DriftReferences.reference(shape, 20_000, r);
                long[] counts = new long[ref.bins()];
                int warnings = 0;
                int criticals = 0;
                for (int w = 0; w < windows; w++) {
                    Level level = ks.check(ref, DriftReferences.window(ref, shape, n, 0, r, counts)).level();
                    warnings += level != Level.NONE ? 1 : 0;
                    criticals += level == Level.CRITICAL ? 1 : 0;
                }
                // nominal 1e-3 and 1e-5 plus three binomial standard deviations: 100 + 30 and 1 + 3;
                // measured 1.1e-4 to 2.3e-4 and 0 (binning: D is looked at on 9 edges only)
                assertTrue(warnings <= 130, shape + " n " + n + ": " + warnings + " warnings");
                assertTrue(criticals <= 4, shape + " n " + n + ": " + criticals + " criticals");
            }
        }
    }

    @Test
    void aShiftedFeatureIsFlagged() {
        SplittableRandom r = new SplittableRandom(5);
        BinnedReference ref = DriftReferences.reference(Shape.NORMAL, 20_000, r);
        long[] counts = new long[ref.bins()];
        int criticalAtOneSd = 0;
        int warningAtHalfSd = 0;
        for (int w = 0; w < 1_000; w++) {
            DistributionCheck c = ks.check(ref, DriftReferences.window(ref, Shape.NORMAL, 120, 1.0, r, counts));
            criticalAtOneSd += c.level() == Level.CRITICAL ? 1 : 0;
            assertTrue(c.meanShift() > 0, "live values run higher");
            assertEquals(c.criticalThreshold(), c.threshold());
            warningAtHalfSd += ks.check(ref, DriftReferences.window(ref, Shape.NORMAL, 120, 0.5, r, counts))
                    .level() != Level.NONE ? 1 : 0;
        }
        assertEquals(1_000, criticalAtOneSd, "a shift of one standard deviation: D about 0.38 against 0.22");
        assertTrue(warningAtHalfSd >= 700, "half a standard deviation: " + warningAtHalfSd); // measured 794
    }

    @Test
    void checksAllocateOnlyTheirResult() {
        SplittableRandom r = new SplittableRandom(1);
        BinnedReference ref = DriftReferences.reference(Shape.NORMAL, 2_000, r);
        long[] counts = DriftReferences.window(ref, Shape.NORMAL, 120, 0, r, new long[ref.bins()]);
        for (int i = 0; i < 20_000; i++) {
            ks.check(ref, counts);
        }
        long allocated = Allocation.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                ks.check(ref, counts);
            }
        });
        assertTrue(allocated < 10_000 * 200, allocated + " bytes for 10,000 checks");
    }
}
