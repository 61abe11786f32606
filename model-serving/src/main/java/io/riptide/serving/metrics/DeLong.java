package io.riptide.serving.metrics;

import io.riptide.serving.drift.Normal;

import java.util.Arrays;

/**
 * DeLong's test for two ROC AUCs measured on the same outcomes (DeLong, DeLong and Clarke-Pearson 1988), in the
 * O(n log n) midrank form of Sun and Xu (2014). Pairing matters: two models scored on the same outcomes have
 * strongly correlated AUC errors, so the variance of their difference is far below the sum of their variances, and
 * a paired test needs far fewer outcomes than comparing two separate confidence intervals.
 */
public final class DeLong {

    /**
     * @param aucA  AUC of the first model
     * @param aucB  AUC of the second
     * @param sd    standard deviation of aucA - aucB
     * @param z     (aucA - aucB) / sd
     * @param pAGreater one-sided p-value of "A ranks better than B" (small when A is clearly better)
     */
    public record Comparison(int positives, int negatives, double aucA, double aucB, double sd, double z,
                             double pAGreater) {
        /** One-sided p-value of "B ranks better than A". */
        public double pBGreater() {
            return Double.isNaN(z) ? Double.NaN : Normal.upperTail(-z);
        }
    }

    private DeLong() {
    }

    /**
     * @param scoresA scores of model A, one per outcome
     * @param scoresB scores of model B on the same outcomes
     * @param labels  1 for a positive outcome, 0 for a negative one
     * @return NaN statistics when either class is missing
     */
    public static Comparison compare(double[] scoresA, double[] scoresB, int[] labels) {
        if (scoresA.length != labels.length || scoresB.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scoresA.length + ", "
                    + scoresB.length + ", " + labels.length);
        }
        int m = 0;
        for (int label : labels) {
            m += label == 1 ? 1 : 0;
        }
        int n = labels.length - m;
        if (m == 0 || n == 0) {
            return new Comparison(m, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[][] v10 = new double[2][];
        double[][] v01 = new double[2][];
        double[] auc = new double[2];
        double[][] scores = {scoresA, scoresB};
        for (int k = 0; k < 2; k++) {
            double[] pos = new double[m];
            double[] neg = new double[n];
            int p = 0;
            int q = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == 1) {
                    pos[p++] = scores[k][i];
                } else {
                    neg[q++] = scores[k][i];
                }
            }
            double[] all = new double[m + n];
            System.arraycopy(pos, 0, all, 0, m);
            System.arraycopy(neg, 0, all, m, n);
            double[] tz = midranks(all);
            double[] tx = midranks(pos);
            double[] ty = midranks(neg);
            v10[k] = new double[m];
            v01[k] = new double[n];
            double sum = 0;
            for (int i = 0; i < m; i++) {
                v10[k][i] = (tz[i] - tx[i]) / n;
                sum += v10[k][i];
            }
            for (int j = 0; j < n; j++) {
                v01[k][j] = 1 - (tz[m + j] - ty[j]) / m;
            }
            auc[k] = sum / m;
        }
        double variance = varianceOfDifference(v10, m) / m + varianceOfDifference(v01, n) / n;
        double sd = Math.sqrt(Math.max(0, variance));
        double diff = auc[0] - auc[1];
        double z = sd > 0 ? diff / sd : diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
        return new Comparison(m, n, auc[0], auc[1], sd, z, Normal.upperTail(z));
    }

    /** The sample variance of v[0] - v[1] (n - 1 in the denominator; 0 for a single value). */
    private static double varianceOfDifference(double[][] v, int count) {
        if (count < 2) {
            return 0;
        }
        double mean = 0;
        for (int i = 0; i < count; i++) {
            mean += v[0][i] - v[1][i];
        }
        mean /= count;
        double ss = 0;
        for (int i = 0; i < count; i++) {
            double d = v[0][i] - v[1][i] - mean;
            ss += d * d;
        }
        return ss / (count - 1);
    }

    /** 1-based ranks, ties given the mean of the ranks they span. */
    static double[] midranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}
