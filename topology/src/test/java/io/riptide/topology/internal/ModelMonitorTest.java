package io.riptide.topology.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelMonitorTest {

    @Test
    void binsFollowTheReferenceEdges() {
        List<Double> edges = List.of(0.2, 0.5, 0.8);
        assertEquals(0, ModelMonitor.binOf(edges, 0.1));
        assertEquals(1, ModelMonitor.binOf(edges, 0.2), "an edge belongs to the bin above it");
        assertEquals(2, ModelMonitor.binOf(edges, 0.79));
        assertEquals(3, ModelMonitor.binOf(edges, 5.0));
    }

    @Test
    void psiIsZeroForTheReferenceItselfAndMatchesAHandComputedShift() {
        List<Double> expected = List.of(0.25, 0.25, 0.25, 0.25);
        assertEquals(0.0, ModelMonitor.psi(expected, new long[]{10, 10, 10, 10}), 1e-12);
        // actual 0.4, 0.3, 0.2, 0.1: sum (a - e) ln(a / e)
        double byHand = (0.4 - 0.25) * Math.log(0.4 / 0.25) + (0.3 - 0.25) * Math.log(0.3 / 0.25)
                + (0.2 - 0.25) * Math.log(0.2 / 0.25) + (0.1 - 0.25) * Math.log(0.1 / 0.25);
        assertEquals(byHand, ModelMonitor.psi(expected, new long[]{40, 30, 20, 10}), 1e-12);
        assertEquals(0.0, ModelMonitor.psi(expected, new long[]{0, 0, 0, 0}), "no samples, no drift");
    }

    @Test
    void thresholdsRiseAboveTheNoiseOfSmallWindowsSoStableFeaturesAreRarelyFlagged() {
        // chi-square quantiles by Wilson-Hilferty against tabulated values (9 dof: 27.88 at 0.999)
        assertEquals(27.88, ModelMonitor.chiSquareQuantile(9, 3.090), 0.3);
        assertEquals(0.1, ModelMonitor.warningThreshold(10, 100_000), 0.0, "large windows keep the usual 0.1");
        assertEquals(0.25, ModelMonitor.criticalThreshold(10, 100_000), 0.0);

        int bins = 10;
        List<Double> reference = java.util.Collections.nCopies(bins, 0.1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int windows = 5_000;
        int n = 120;
        int fixedWarnings = 0;
        int warnings = 0;
        int criticals = 0;
        for (int w = 0; w < windows; w++) {
            long[] counts = new long[bins];
            for (int i = 0; i < n; i++) {
                counts[random.nextInt(bins)]++;
            }
            double psi = ModelMonitor.psi(reference, counts);
            fixedWarnings += psi >= ModelMonitor.PSI_WARNING ? 1 : 0;
            warnings += psi >= ModelMonitor.warningThreshold(bins, n) ? 1 : 0;
            criticals += psi >= ModelMonitor.criticalThreshold(bins, n) ? 1 : 0;
        }
        assertTrue(fixedWarnings > windows / 10, "a fixed 0.1 flags a stable feature in " + fixedWarnings + " windows");
        assertTrue(warnings < windows / 200, "noise-aware warnings: " + warnings);
        assertEquals(0, criticals);

        // a real shift (half the mass moved into two bins) is still critical in a window of 120
        long[] shifted = new long[bins];
        for (int i = 0; i < n; i++) {
            shifted[i < n / 2 ? i % 2 : 2 + random.nextInt(bins - 2)]++;
        }
        assertTrue(ModelMonitor.psi(reference, shifted) >= ModelMonitor.criticalThreshold(bins, n),
                "psi " + ModelMonitor.psi(reference, shifted) + " vs " + ModelMonitor.criticalThreshold(bins, n));
    }
}
