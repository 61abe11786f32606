package io.riptide.serving.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each metric against a value computed another way: by hand, by brute force, or scikit-learn's documented examples. */
class BinaryMetricsTest {

    private static final double[] Y = {0, 0, 1, 1};
    private static final double[] S = {0.1, 0.4, 0.35, 0.8};

    @Test
    void matchesScikitLearnDocumentedExamples() {
        // sklearn.metrics.roc_auc_score and average_precision_score docstrings use exactly this data
        assertEquals(0.75, BinaryMetrics.rocAuc(S, Y), 1e-15);
        assertEquals(0.8333333333333333, BinaryMetrics.prAuc(S, Y), 1e-15);
    }

    @Test
    void aucEqualsBruteForcePairCountingWithTies() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 400;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            s[i] = Math.round((r.nextDouble() + 0.3 * y[i]) * 20) / 20.0;  // coarse: many ties
        }
        double wins = 0;
        double pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, BinaryMetrics.rocAuc(s, y), 1e-12);
    }

    @Test
    void aucIsNaNWithOneClass() {
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new double[] {0.2, 0.9}, new double[] {1, 1})));
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new double[] {0.2, 0.9}, new double[] {0, 0})));
    }

    @Test
    void thresholdMetricsByHand() {
        // threshold 0.38: predicted positive = {0.4, 0.8}; TP=1 (0.8), FP=1 (0.4), FN=1 (0.35), TN=1 (0.1)
        assertEquals(0.5, BinaryMetrics.precision(S, Y, 0.38));
        assertEquals(0.5, BinaryMetrics.recall(S, Y, 0.38));
        assertEquals(0.5, BinaryMetrics.f1(S, Y, 0.38));
        assertEquals(0.5, BinaryMetrics.accuracy(S, Y, 0.38));
        // threshold 0.3: all but 0.1 positive; TP=2 FP=1 TN=1
        assertEquals(2.0 / 3, BinaryMetrics.precision(S, Y, 0.3), 1e-15);
        assertEquals(1.0, BinaryMetrics.recall(S, Y, 0.3));
        assertEquals(0.8, BinaryMetrics.f1(S, Y, 0.3), 1e-15);
        assertEquals(0.75, BinaryMetrics.accuracy(S, Y, 0.3));
        assertEquals(0.0, BinaryMetrics.precision(S, Y, 0.99));
    }

    @Test
    void brierLogLossAndEceByHand() {
        double brier = (0.01 + 0.16 + 0.65 * 0.65 + 0.04) / 4;
        assertEquals(brier, BinaryMetrics.brier(S, Y), 1e-15);
        double logLoss = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
        assertEquals(logLoss, BinaryMetrics.logLoss(S, Y), 1e-15);
        // 2 bins: [0,0.5) holds 0.1, 0.4, 0.35 (labels 0,0,1) ; [0.5,1] holds 0.8 (label 1)
        double ece = Math.abs((0.1 + 0.4 + 0.35) / 3 - 1.0 / 3) * 3 / 4 + Math.abs(0.8 - 1.0) * 1 / 4;
        assertEquals(ece, BinaryMetrics.ece(S, Y, 2), 1e-15);
        assertEquals(0.0, BinaryMetrics.ece(new double[] {1.0, 0.0}, new double[] {1, 0}, 10), 1e-15);
    }

    @Test
    void logLossClipsCertainWrongAnswers() {
        double v = BinaryMetrics.logLoss(new double[] {1.0}, new double[] {0});
        assertEquals(-Math.log(1e-15), v, 1e-3);
    }

    @Test
    void allHasEveryKey() {
        Map<String, Double> m = BinaryMetrics.all(S, Y, 0.5);
        assertEquals(java.util.List.of("auc", "pr_auc", "f1", "precision", "recall", "accuracy", "brier", "log_loss",
                "ece"), java.util.List.copyOf(m.keySet()));
        assertEquals(0.75, m.get("auc"));
    }

    @Test
    void rejectsMismatchedOrInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.brier(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.brier(new double[] {0.5}, new double[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.brier(new double[] {Double.NaN}, new double[] {1}));
    }
}
