package io.riptide.app.backtest;

import io.riptide.serving.metrics.BinaryMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Live quality on resolved outcomes: what the predictions said against what happened. Pure, so it is tested
 * without a broker.
 */
final class LiveMetrics {
    private LiveMetrics() {
    }

    /** A resolved prediction: the probability served and the final label. */
    record Outcome(String modelKey, int version, String instrument, long predictionTimeMs, double probability,
                   int label) {
    }

    /**
     * n, positives, auc, pr_auc, log_loss, brier, ece of the outcomes; the rank metrics are null when only one
     * class occurred (undefined), and all but n and positives when there is no outcome.
     */
    static Map<String, Object> of(List<Outcome> outcomes) {
        Map<String, Object> m = new LinkedHashMap<>();
        int positives = 0;
        for (Outcome o : outcomes) {
            positives += o.label();
        }
        m.put("n", outcomes.size());
        m.put("positives", positives);
        if (outcomes.isEmpty()) {
            return m;
        }
        double[] p = new double[outcomes.size()];
        double[] y = new double[outcomes.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, Math.min(1, outcomes.get(i).probability()));
            y[i] = outcomes.get(i).label();
        }
        boolean bothClasses = positives > 0 && positives < outcomes.size();
        m.put("auc", bothClasses ? round(BinaryMetrics.rocAuc(p, y)) : null);
        m.put("pr_auc", bothClasses ? round(BinaryMetrics.prAuc(p, y)) : null);
        m.put("log_loss", round(BinaryMetrics.logLoss(p, y)));
        m.put("brier", round(BinaryMetrics.brier(p, y)));
        m.put("ece", round(BinaryMetrics.ece(p, y, 10)));
        return m;
    }

    /** The AUC of the outcomes, NaN when undefined. */
    static double auc(List<Outcome> outcomes) {
        Object auc = of(outcomes).get("auc");
        return auc == null ? Double.NaN : (Double) auc;
    }

    static List<Outcome> select(List<Outcome> outcomes, Predicate<Outcome> keep) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (keep.test(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * AUC and log-loss over a window sliding along prediction time: one point per {@code stepMs}, of the outcomes
     * predicted in the {@code windowMs} before it. Points with fewer than {@code minOutcomes} outcomes or one class
     * only carry NaN.
     *
     * @return rows of {time, auc, log-loss, n}
     */
    static List<double[]> rolling(List<Outcome> outcomes, long fromMs, long toMs, long windowMs, long stepMs,
                                  int minOutcomes) {
        List<double[]> rows = new ArrayList<>();
        for (long t = fromMs + windowMs; t <= toMs; t += stepMs) {
            long end = t;
            long start = t - windowMs;
            List<Outcome> in = select(outcomes, o -> o.predictionTimeMs() >= start && o.predictionTimeMs() < end);
            double auc = Double.NaN;
            double logLoss = Double.NaN;
            if (in.size() >= minOutcomes) {
                Map<String, Object> m = of(in);
                auc = m.get("auc") == null ? Double.NaN : (Double) m.get("auc");
                logLoss = (Double) m.get("log_loss");
            }
            rows.add(new double[]{t, auc, logLoss, in.size()});
        }
        return rows;
    }

    /** Six decimals: enough for any comparison, stable in JSON. */
    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }
}
