package io.riptide.serving.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureDistributionTest {

    @Test
    void quantileBinsOfOneToHundred() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) {
            v[i] = i;
        }
        FeatureDistribution d = FeatureDistribution.of("x", v, 4);
        assertArrayEquals(new double[] {0, 25, 50, 75, 100}, d.binEdges());
        // [0,25) [25,50) [50,75) [75,100]: 25, 25, 25, 26 values
        assertArrayEquals(new double[] {25 / 101.0, 25 / 101.0, 25 / 101.0, 26 / 101.0}, d.binFractions(), 1e-15);
        assertEquals(0.0, d.missingFraction());
    }

    @Test
    void countsMissingValuesApartAndCollapsesConstantColumns() {
        FeatureDistribution d = FeatureDistribution.of("c", new double[] {3, 3, Double.NaN, 3}, 10);
        assertArrayEquals(new double[] {3}, d.binEdges());
        assertArrayEquals(new double[] {1.0}, d.binFractions());
        assertEquals(0.25, d.missingFraction());
        FeatureDistribution empty = FeatureDistribution.of("e", new double[] {Double.NaN}, 10);
        assertEquals(0, empty.binEdges().length);
        assertEquals(1.0, empty.missingFraction());
        assertThrows(IllegalArgumentException.class, () -> FeatureDistribution.of("x", new double[1], 0));
    }

    @Test
    void binOfClampsOutsideValuesIntoTheOuterBins() {
        double[] edges = {0, 1, 2, 3};
        assertEquals(0, FeatureDistribution.binOf(edges, -5));
        assertEquals(0, FeatureDistribution.binOf(edges, 0.5));
        assertEquals(1, FeatureDistribution.binOf(edges, 1));
        assertEquals(2, FeatureDistribution.binOf(edges, 3));
        assertEquals(2, FeatureDistribution.binOf(edges, 99));
    }
}
