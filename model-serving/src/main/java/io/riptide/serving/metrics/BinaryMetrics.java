package io.riptide.serving.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification metrics on scores in [0,1] and labels in {0,1}. A row is predicted positive when its
 * score is >= the threshold.
 */
public final class BinaryMetrics {

    private static final double LOG_LOSS_EPS = 1e-15;

    private BinaryMetrics() {
    }

    /** Area under the ROC curve (Mann-Whitney, ties count half); NaN when only one class is present. */
    public static double rocAuc(double[] scores, double[] labels) {
        check(scores, labels);
        int n = scores.length;
        Integer[] idx = sortedIndexes(scores, true);
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] == 1.0) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Area under the precision-recall curve as average precision: the sum over score thresholds of
     * (recall step) x precision; NaN without positives.
     */
    public static double prAuc(double[] scores, double[] labels) {
        check(scores, labels);
        int n = scores.length;
        Integer[] idx = sortedIndexes(scores, false);
        long totalPos = Arrays.stream(labels).filter(l -> l == 1.0).count();
        if (totalPos == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        double prevRecall = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] == 1.0) {
                    tp++;
                } else {
                    fp++;
                }
            }
            double recall = (double) tp / totalPos;
            double precision = (double) tp / (tp + fp);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
            i = j + 1;
        }
        return ap;
    }

    /** Mean squared error of the probability. */
    public static double brier(double[] scores, double[] labels) {
        check(scores, labels);
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double d = scores[i] - labels[i];
            sum += d * d;
        }
        return sum / scores.length;
    }

    /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1-1e-15]. */
    public static double logLoss(double[] scores, double[] labels) {
        check(scores, labels);
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, scores[i]));
            sum -= labels[i] == 1.0 ? Math.log(p) : Math.log(1 - p);
        }
        return sum / scores.length;
    }

    /**
     * One outcome's log-loss, capped at {@code clip}: the per-outcome loss the stream's concept-drift detectors
     * watch. The cap keeps one confident miss from outweighing a window of outcomes.
     */
    public static double clippedLogLoss(double probability, int label, double clip) {
        double p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probability));
        return Math.min(clip, -(label == 1 ? Math.log(p) : Math.log(1 - p)));
    }

    /**
     * Expected calibration error over {@code bins} equal-width bins of [0,1]: the row-weighted mean of
     * |mean score - positive rate| per bin (a score of exactly 1 falls in the last bin).
     */
    public static double ece(double[] scores, double[] labels, int bins) {
        check(scores, labels);
        if (bins < 1) {
            throw new IllegalArgumentException("ECE needs at least one bin, got " + bins);
        }
        double[] sumScore = new double[bins];
        double[] sumLabel = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < scores.length; i++) {
            int b = Math.min(bins - 1, Math.max(0, (int) Math.floor(scores[i] * bins)));
            sumScore[b] += scores[i];
            sumLabel[b] += labels[i];
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(sumScore[b] / count[b] - sumLabel[b] / count[b]) * count[b] / scores.length;
            }
        }
        return ece;
    }

    /** TP / (TP + FP); 0 when nothing is predicted positive. */
    public static double precision(double[] scores, double[] labels, double threshold) {
        long[] c = confusion(scores, labels, threshold);
        return c[0] + c[1] == 0 ? 0.0 : (double) c[0] / (c[0] + c[1]);
    }

    /** TP / (TP + FN); 0 without positives. */
    public static double recall(double[] scores, double[] labels, double threshold) {
        long[] c = confusion(scores, labels, threshold);
        return c[0] + c[3] == 0 ? 0.0 : (double) c[0] / (c[0] + c[3]);
    }

    /** Harmonic mean of precision and recall; 0 when both are 0. */
    public static double f1(double[] scores, double[] labels, double threshold) {
        long[] c = confusion(scores, labels, threshold);
        long denominator = 2 * c[0] + c[1] + c[3];
        return denominator == 0 ? 0.0 : 2.0 * c[0] / denominator;
    }

    /** (TP + TN) / n. */
    public static double accuracy(double[] scores, double[] labels, double threshold) {
        long[] c = confusion(scores, labels, threshold);
        return (double) (c[0] + c[2]) / scores.length;
    }

    /** Every metric under the keys auc, pr_auc, f1, precision, recall, accuracy, brier, log_loss, ece (10 bins). */
    public static Map<String, Double> all(double[] scores, double[] labels, double threshold) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc", rocAuc(scores, labels));
        m.put("pr_auc", prAuc(scores, labels));
        m.put("f1", f1(scores, labels, threshold));
        m.put("precision", precision(scores, labels, threshold));
        m.put("recall", recall(scores, labels, threshold));
        m.put("accuracy", accuracy(scores, labels, threshold));
        m.put("brier", brier(scores, labels));
        m.put("log_loss", logLoss(scores, labels));
        m.put("ece", ece(scores, labels, 10));
        return m;
    }

    /** {TP, FP, TN, FN}. */
    private static long[] confusion(double[] scores, double[] labels, double threshold) {
        check(scores, labels);
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            boolean actual = labels[i] == 1.0;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        return new long[] {tp, fp, tn, fn};
    }

    private static Integer[] sortedIndexes(double[] scores, boolean ascending) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> ascending ? Double.compare(scores[a], scores[b]) : Double.compare(scores[b], scores[a]));
        return idx;
    }

    private static void check(double[] scores, double[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("metrics need one label per score, got " + scores.length + " scores and "
                    + labels.length + " labels");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("metrics need at least one score");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score at row " + i + " is NaN");
            }
            if (labels[i] != 0.0 && labels[i] != 1.0) {
                throw new IllegalArgumentException("label at row " + i + " is " + labels[i] + ", expected 0 or 1");
            }
        }
    }
}
