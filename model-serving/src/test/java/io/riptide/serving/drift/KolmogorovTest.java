package io.riptide.serving.drift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KolmogorovTest {

    @Test
    void exactDistributionMatchesPublishedValues() {
        // Marsaglia, Tsang & Wang (2003), section 4: K(10, 0.274) = 0.6284796154565043
        assertEquals(0.6284796154565043, Kolmogorov.exactCdf(10, 0.274), 1e-15);
        // n = 1: P(D_1 < d) = 2d - 1 on [1/2, 1]
        assertEquals(0.5, Kolmogorov.exactCdf(1, 0.75), 1e-15);
        assertEquals(0.0, Kolmogorov.exactCdf(7, 1.0 / 14), "D_n >= 1/(2n)");
        assertEquals(1.0, Kolmogorov.exactCdf(7, 1.0));
    }

    @Test
    void criticalValuesMatchPublishedTables() {
        // Miller (1956), JASA 51, two-sided: n = 5, 10, 20 at 0.05 and 0.01
        assertEquals(0.56328, Kolmogorov.exactCriticalValue(5, 0.05), 5e-6);
        assertEquals(0.66853, Kolmogorov.exactCriticalValue(5, 0.01), 5e-6);
        assertEquals(0.40925, Kolmogorov.exactCriticalValue(10, 0.05), 5e-6);
        assertEquals(0.48893, Kolmogorov.exactCriticalValue(10, 0.01), 5e-6);
        assertEquals(0.29408, Kolmogorov.exactCriticalValue(20, 0.05), 5e-6);
        assertEquals(0.35241, Kolmogorov.exactCriticalValue(20, 0.01), 5e-6);
        // n = 100, 0.05: tables 0.134 (1.36 / sqrt(n) gives 0.136); Stephens 0.13405, exact 0.13403
        double stephens = Kolmogorov.asymptoticQuantile(0.05) / Kolmogorov.stephensScale(100);
        assertEquals(0.1340, stephens, 1e-4);
        assertEquals(0.13403, Kolmogorov.exactCriticalValue(100, 0.05), 1e-5);
        // Kolmogorov's distribution: Q_KS(1.3581) = 0.05, Q_KS(1.6276) = 0.01, Q_KS(1.9495) = 0.001
        assertEquals(1.35810, Kolmogorov.asymptoticQuantile(0.05), 1e-5);
        assertEquals(1.62762, Kolmogorov.asymptoticQuantile(0.01), 1e-5);
        assertEquals(1.94947, Kolmogorov.asymptoticQuantile(0.001), 1e-5);
        // both series forms agree where they meet
        assertEquals(Kolmogorov.asymptoticSurvival(1.1799999999), Kolmogorov.asymptoticSurvival(1.18), 1e-9);
    }

    @Test
    void stephensIsCloseToExactFrom35ValuesOnWhichJustifiesTheSwitchAt50() {
        for (double alpha : new double[] {1e-3, 1e-5}) {
            double lambda = Kolmogorov.asymptoticQuantile(alpha);
            for (int n : new int[] {35, 50, 51, 60, 100, 120}) {
                double exact = Kolmogorov.exactCriticalValue(n, alpha);
                double stephens = lambda / Kolmogorov.stephensScale(n);
                assertEquals(exact, stephens, 0.005 * exact, "n " + n + " alpha " + alpha);
                double trueLevel = 1 - Kolmogorov.exactCdf(n, stephens);
                // measured 0.88 (n 35, 1e-5) to 1.02 (n 120) times alpha
                assertTrue(trueLevel > 0.85 * alpha && trueLevel < 1.05 * alpha, n + " " + alpha + " " + trueLevel);
            }
            // and off for tiny windows: n = 5, 0.781 exact against 0.811 at 1e-3, 0.913 against 1.027 (beyond D's
            // range) at 1e-5
            assertTrue(lambda / Kolmogorov.stephensScale(5) > 1.03 * Kolmogorov.exactCriticalValue(5, alpha));
        }
        // the switch: P(D >= d) is continuous in n across it to within Stephens' accuracy
        assertEquals(Kolmogorov.survival(50, 0.25), Kolmogorov.survival(51, 0.25), 0.003);
    }

    @Test
    void normalTailAndQuantiles() {
        assertEquals(0.15865525393145705, Normal.upperTail(1.0), 1e-15);
        assertEquals(0.0013498980316301, Normal.upperTail(3.0), 1e-16);
        assertEquals(2.866515718791939e-7, Normal.upperTail(5.0), 1e-20);
        assertEquals(1.959963984540054, Normal.twoSidedQuantile(0.05), 1e-12);
        assertEquals(3.290526731491926, Normal.twoSidedQuantile(1e-3), 1e-9);
        assertEquals(4.417173413469022, Normal.twoSidedQuantile(1e-5), 1e-9);
    }
}
