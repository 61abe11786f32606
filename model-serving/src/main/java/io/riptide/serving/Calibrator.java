package io.riptide.serving;

import io.riptide.serving.internal.LogisticFit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Maps a model's probability to a calibrated probability. Fitted at training time on held-out scores and
 * stored with the model as bytes ({@link #toBytes()} / {@link #fromBytes(byte[])}); monotone, so ranking
 * metrics (AUC) do not change.
 */
public interface Calibrator {

    double apply(double probability);

    /** "none", "platt" or "isotonic". */
    String method();

    /** A compact text form (UTF-8) that {@link #fromBytes} reads back exactly. */
    byte[] toBytes();

    static Calibrator identity() {
        return Identity.INSTANCE;
    }

    /**
     * Platt scaling: a logistic regression on the logit of the score, with Platt's smoothed targets
     * ((N+ + 1) / (N+ + 2) and 1 / (N- + 2)) so that a perfectly separated set does not diverge.
     */
    static Calibrator platt(double[] scores, double[] labels) {
        requireSameLength(scores, labels);
        int pos = 0;
        for (double l : labels) {
            pos += l == 1.0 ? 1 : 0;
        }
        int neg = labels.length - pos;
        double hi = (pos + 1.0) / (pos + 2.0);
        double lo = 1.0 / (neg + 2.0);
        double[][] x = new double[scores.length][1];
        double[] t = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            x[i][0] = LogisticFit.logit(scores[i]);
            t[i] = labels[i] == 1.0 ? hi : lo;
        }
        double[] w = LogisticFit.fit(x, t, 0.0, 100);
        return new Platt(w[1], w[0]);
    }

    /**
     * Isotonic regression by pool-adjacent-violators; between fitted points the map is linear, outside it
     * is flat (the nearest fitted value).
     */
    static Calibrator isotonic(double[] scores, double[] labels) {
        requireSameLength(scores, labels);
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        List<double[]> blocks = new ArrayList<>();  // {sumY, count, minX, maxX}
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            blocks.add(new double[] {labels[i], 1, scores[i], scores[i]});
            while (blocks.size() > 1) {
                double[] b = blocks.get(blocks.size() - 1);
                double[] a = blocks.get(blocks.size() - 2);
                if (a[0] / a[1] >= b[0] / b[1]) {
                    a[0] += b[0];
                    a[1] += b[1];
                    a[3] = b[3];
                    blocks.remove(blocks.size() - 1);
                } else {
                    break;
                }
            }
        }
        double[] xs = new double[blocks.size() * 2];
        double[] ys = new double[blocks.size() * 2];
        int n = 0;
        for (double[] b : blocks) {
            double y = b[0] / b[1];
            xs[n] = b[2];
            ys[n++] = y;
            if (b[3] > b[2]) {
                xs[n] = b[3];
                ys[n++] = y;
            }
        }
        return new Isotonic(Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
    }

    /** Fits the named method ("none", "platt", "isotonic"). */
    static Calibrator fit(String method, double[] scores, double[] labels) {
        return switch (method) {
            case "none" -> identity();
            case "platt" -> platt(scores, labels);
            case "isotonic" -> isotonic(scores, labels);
            default -> throw new IllegalArgumentException("unknown calibration method '" + method
                    + "', expected none, platt or isotonic");
        };
    }

    /**
     * Fits the named method only where it holds up out of time: on scores in time order, a calibrator fitted on the
     * older half must give the newer half a lower expected calibration error (10 bins) than the raw scores, else
     * the identity is returned. When it passes, the calibrator is refitted on all the scores. Markets drift, and a
     * calibrator fitted just before a change can mis-state probabilities worse than the model alone; this is the
     * check that can be made without touching a hold-out.
     */
    static Calibrator fitIfItHoldsUp(String method, double[] scoresInTimeOrder, double[] labels) {
        Calibrator candidate = fit(method, scoresInTimeOrder, labels);
        if (candidate.method().equals("none")) {
            return candidate;
        }
        int half = scoresInTimeOrder.length / 2;
        double[] olderScores = Arrays.copyOfRange(scoresInTimeOrder, 0, half);
        double[] olderLabels = Arrays.copyOfRange(labels, 0, half);
        double[] newerScores = Arrays.copyOfRange(scoresInTimeOrder, half, scoresInTimeOrder.length);
        double[] newerLabels = Arrays.copyOfRange(labels, half, labels.length);
        if (half < 20 || !bothClasses(olderLabels)) {
            return identity();
        }
        Calibrator older = fit(method, olderScores, olderLabels);
        double[] calibrated = new double[newerScores.length];
        for (int i = 0; i < calibrated.length; i++) {
            calibrated[i] = older.apply(newerScores[i]);
        }
        double before = io.riptide.serving.metrics.BinaryMetrics.ece(newerScores, newerLabels, 10);
        double after = io.riptide.serving.metrics.BinaryMetrics.ece(calibrated, newerLabels, 10);
        return after < before ? candidate : identity();
    }

    private static boolean bothClasses(double[] labels) {
        boolean positive = false;
        boolean negative = false;
        for (double l : labels) {
            positive |= l == 1.0;
            negative |= l != 1.0;
        }
        return positive && negative;
    }

    /**
     * Reads {@link #toBytes()}'s form back. The bytes come with a published model, so they are checked as untrusted:
     * the point count against the values present before anything is allocated, finite Platt coefficients, isotonic
     * points ascending in both coordinates with values in [0,1].
     */
    static Calibrator fromBytes(byte[] bytes) {
        String[] p = new String(bytes, StandardCharsets.UTF_8).strip().split("\\s+");
        try {
            switch (p[0]) {
                case "none":
                    requireValues(p, 1, "none");
                    return identity();
                case "platt": {
                    requireValues(p, 3, "platt");
                    double a = finite(p[1]);
                    double b = finite(p[2]);
                    return new Platt(a, b);
                }
                case "isotonic": {
                    int n = Integer.parseInt(p[1]);
                    if (n < 1 || p.length != 2 + 2L * n) {
                        throw new IllegalArgumentException("isotonic calibrator declares " + n + " points and has "
                                + (p.length - 2) + " values");
                    }
                    double[] xs = new double[n];
                    double[] ys = new double[n];
                    for (int i = 0; i < n; i++) {
                        xs[i] = finite(p[2 + 2 * i]);
                        ys[i] = finite(p[3 + 2 * i]);
                        if (ys[i] < 0 || ys[i] > 1 || (i > 0 && (xs[i] < xs[i - 1] || ys[i] < ys[i - 1]))) {
                            throw new IllegalArgumentException("isotonic point " + i + " (" + xs[i] + ", " + ys[i]
                                    + ") is not ascending within [0,1]");
                        }
                    }
                    return new Isotonic(xs, ys);
                }
                default:
                    throw new IllegalArgumentException("unknown calibrator '" + p[0] + "'");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calibrator bytes do not parse: " + e.getMessage(), e);
        }
    }

    private static void requireValues(String[] parts, int expected, String method) {
        if (parts.length != expected) {
            throw new IllegalArgumentException(method + " calibrator has " + (parts.length - 1) + " values, expected "
                    + (expected - 1));
        }
    }

    private static double finite(String s) {
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("calibrator value " + v + " is not finite");
        }
        return v;
    }

    private static void requireSameLength(double[] scores, double[] labels) {
        if (scores.length != labels.length || scores.length == 0) {
            throw new IllegalArgumentException("calibration needs one label per score and at least one score, got "
                    + scores.length + " scores and " + labels.length + " labels");
        }
    }

    /** No change. */
    enum Identity implements Calibrator {
        INSTANCE;

        @Override
        public double apply(double probability) {
            return probability;
        }

        @Override
        public String method() {
            return "none";
        }

        @Override
        public byte[] toBytes() {
            return "none".getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code sigmoid(a * logit(p) + b)}. */
    record Platt(double a, double b) implements Calibrator {
        @Override
        public double apply(double probability) {
            return 1.0 / (1.0 + Math.exp(-(a * LogisticFit.logit(probability) + b)));
        }

        @Override
        public String method() {
            return "platt";
        }

        @Override
        public byte[] toBytes() {
            return ("platt " + a + " " + b).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Piecewise-linear through (xs[i], ys[i]), xs ascending, flat outside. */
    record Isotonic(double[] xs, double[] ys) implements Calibrator {
        @Override
        public double apply(double p) {
            if (Double.isNaN(p)) {
                return p;
            }
            if (p <= xs[0]) {
                return ys[0];
            }
            int last = xs.length - 1;
            if (p >= xs[last]) {
                return ys[last];
            }
            int i = Arrays.binarySearch(xs, p);
            if (i >= 0) {
                while (i < last && xs[i + 1] == p) {
                    i++;
                }
                return ys[i];
            }
            int hi = -i - 1;
            int lo = hi - 1;
            double f = (p - xs[lo]) / (xs[hi] - xs[lo]);
            return ys[lo] + f * (ys[hi] - ys[lo]);
        }

        @Override
        public String method() {
            return "isotonic";
        }

        @Override
        public byte[] toBytes() {
            StringBuilder s = new StringBuilder("isotonic ").append(xs.length);
            for (int i = 0; i < xs.length; i++) {
                s.append(' ').append(xs[i]).append(' ').append(ys[i]);
            }
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
