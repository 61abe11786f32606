package io.riptide.serving.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeLongTest {

    /** Scores of two models on the same outcomes: B sees the signal through more noise than A. */
    private static double[][] twoModels(int n, double noiseA, double noiseB, int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] s = new double[2][n];
        for (int i = 0; i < n; i++) {
            double signal = random.nextGaussian();
            labels[i] = signal + 0.8 * random.nextGaussian() > 0.7 ? 1 : 0;
            double shared = random.nextGaussian(); // both models share part of their error: the pairing
            s[0][i] = signal + noiseA * (0.6 * shared + 0.8 * random.nextGaussian());
            s[1][i] = signal + noiseB * (0.6 * shared + 0.8 * random.nextGaussian());
        }
        return s;
    }

    /** DeLong's structural components by their definition, O(m n): the reference for the midrank form. */
    private static double[] bruteForce(double[] a, double[] b, int[] labels) {
        int m = 0;
        for (int l : labels) {
            m += l;
        }
        int n = labels.length - m;
        double[][] scores = {a, b};
        double[][] v10 = new double[2][m];
        double[][] v01 = new double[2][n];
        double[] auc = new double[2];
        for (int k = 0; k < 2; k++) {
            int p = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != 1) {
                    continue;
                }
                int q = 0;
                for (int j = 0; j < labels.length; j++) {
                    if (labels[j] == 0) {
                        double psi = scores[k][i] > scores[k][j] ? 1 : scores[k][i] == scores[k][j] ? 0.5 : 0;
                        v10[k][p] += psi / n;
                        v01[k][q] += psi / m;
                        q++;
                    }
                }
                auc[k] += v10[k][p] / m;
                p++;
            }
        }
        double var = variance(v10[0], v10[1]) / m + variance(v01[0], v01[1]) / n;
        return new double[]{auc[0], auc[1], Math.sqrt(var)};
    }

    private static double variance(double[] x, double[] y) {
        double mean = 0;
        for (int i = 0; i < x.length; i++) {
            mean += (x[i] - y[i]) / x.length;
        }
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            ss += Math.pow(x[i] - y[i] - mean, 2);
        }
        return ss / (x.length - 1);
    }

    @Test
    void theMidrankFormAgreesWithTheDefinitionTiesIncluded() {
        int[] labels = new int[600];
        double[][] s = twoModels(600, 0.8, 1.6, labels, 3);
        for (int i = 0; i < 600; i += 7) {
            s[1][i] = Math.round(s[1][i] * 2) / 2.0; // coarse scores: many ties
        }
        DeLong.Comparison c = DeLong.compare(s[0], s[1], labels);
        double[] expected = bruteForce(s[0], s[1], labels);
        assertEquals(expected[0], c.aucA(), 1e-12);
        assertEquals(expected[1], c.aucB(), 1e-12);
        assertEquals(expected[2], c.sd(), 1e-12);
        assertEquals(BinaryMetrics.rocAuc(s[0], toDoubles(labels)), c.aucA(), 1e-12);
    }

    @Test
    void aClearlyBetterModelIsSignificantInTheRightDirectionOnly() {
        int[] labels = new int[2000];
        double[][] s = twoModels(2000, 0.5, 1.5, labels, 11);
        DeLong.Comparison better = DeLong.compare(s[0], s[1], labels);
        assertTrue(better.aucA() > better.aucB() + 0.05, better.toString());
        assertTrue(better.pAGreater() < 1e-6, better.toString());
        assertTrue(better.pBGreater() > 1 - 1e-6, better.toString());
        DeLong.Comparison swapped = DeLong.compare(s[1], s[0], labels);
        assertEquals(better.pAGreater(), swapped.pBGreater(), 1e-12);
    }

    @Test
    void theSameModelTwiceShowsNoDifferenceAndAMissingClassGivesNoStatistic() {
        int[] labels = new int[300];
        double[][] s = twoModels(300, 1, 1, labels, 5);
        DeLong.Comparison same = DeLong.compare(s[0], s[0], labels);
        assertEquals(0, same.z());
        assertEquals(0.5, same.pAGreater(), 1e-12);
        DeLong.Comparison oneClass = DeLong.compare(new double[]{0.1, 0.2}, new double[]{0.3, 0.4}, new int[]{1, 1});
        assertTrue(Double.isNaN(oneClass.pAGreater()));
        assertThrows(IllegalArgumentException.class, () -> DeLong.compare(new double[1], new double[2], new int[1]));
    }

    @Test
    void midranksAverageTies() {
        assertArrayEquals(new double[]{1, 2.5, 2.5, 4}, DeLong.midranks(new double[]{0.1, 0.5, 0.5, 0.9}));
    }

    private static double[] toDoubles(int[] labels) {
        double[] d = new double[labels.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = labels[i];
        }
        return d;
    }
}
