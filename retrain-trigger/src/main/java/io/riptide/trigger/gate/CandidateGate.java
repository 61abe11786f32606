package io.riptide.trigger.gate;

import io.riptide.serving.drift.Normal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline gate: judges a candidate's hold-out metrics, and the champion's on the same hold-out, against a key's
 * {@link GateRules}. Every check is reported, passed or not, so the decision in {@code ml_eval_history} says what was
 * checked and by how much it passed.
 */
public final class CandidateGate {
    /** Metrics are sums of doubles: a value at its limit passes despite rounding in the last bits. */
    private static final double TOLERANCE = 1e-9;

    private final GateRules rules;

    public CandidateGate(GateRules rules) {
        this.rules = rules;
    }

    /** One check and its outcome: "auc 0.6120 >= 0.55". */
    public record Check(String name, boolean passed, String detail) {
    }

    /**
     * @param checks every check made, in order
     * @param chance the Mann-Whitney probability that a model with no skill reaches the candidate's AUC on this
     *               hold-out (NaN where it could not be computed)
     */
    public record Verdict(List<Check> checks, double chance) {
        public Verdict {
            checks = List.copyOf(checks);
        }

        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }

        /** What failed, "; "-joined; "passed all gates" when nothing did. */
        public String reasons() {
            List<String> failed = checks.stream().filter(c -> !c.passed()).map(Check::detail).toList();
            return failed.isEmpty() ? "passed all gates" : String.join("; ", failed);
        }

        /** {@link #reasons()}, then every check made: what the decision record keeps. */
        public String summary() {
            StringBuilder s = new StringBuilder(reasons()).append(" [");
            for (int i = 0; i < checks.size(); i++) {
                Check c = checks.get(i);
                s.append(i == 0 ? "" : "; ").append(c.passed() ? "ok " : "FAILED ").append(c.name()).append(": ")
                        .append(c.detail());
            }
            return s.append(']').toString();
        }
    }

    /**
     * @param candidate the candidate's hold-out metrics, named as {@link GateMetric#metricName()}
     * @param champion  the champion's on the same rows (the rule-based fallback's when no version serves); a metric
     *                  missing or NaN there skips the comparisons on it
     * @param positives positive labels in the hold-out
     * @param rows      hold-out rows
     */
    public Verdict judge(Map<String, Double> candidate, Map<String, Double> champion, int positives, int rows) {
        List<Check> checks = new ArrayList<>();
        String shortfall = rules.holdoutShortfall(rows, positives, 0);
        checks.add(new Check("holdout", shortfall.isEmpty(), shortfall.isEmpty()
                ? "hold-out of " + rows + " rows with " + positives + " positives" : shortfall.trim()));
        for (Map.Entry<GateMetric, Double> e : rules.limits().entrySet()) {
            GateMetric m = e.getKey();
            double value = value(candidate, m);
            boolean ok = m.withinLimit(value, e.getValue(), TOLERANCE);
            checks.add(new Check(m.metricName() + "." + m.limitSuffix(), ok, String.format(Locale.ROOT,
                    "hold-out %s %s %s %s", m.metricName(), fmt(value), ok ? (m.higherIsBetter() ? ">=" : "<=")
                            : (m.higherIsBetter() ? "below the floor" : "above the ceiling"), fmt(e.getValue()))));
        }
        for (Map.Entry<GateMetric, Double> e : rules.maxDegradation().entrySet()) {
            GateMetric m = e.getKey();
            double reference = value(champion, m);
            if (Double.isFinite(reference)) {
                double worse = m.worseBy(value(candidate, m), reference);
                checks.add(degradation(m, "max.degradation", worse <= e.getValue() + TOLERANCE, worse, e.getValue(),
                        reference));
            }
        }
        for (Map.Entry<GateMetric, Double> e : rules.maxRelativeDegradation().entrySet()) {
            GateMetric m = e.getKey();
            double reference = value(champion, m);
            if (Double.isFinite(reference) && reference != 0) {
                double worse = m.worseBy(value(candidate, m), reference) / Math.abs(reference);
                checks.add(degradation(m, "max.degradation.relative", worse <= e.getValue() + TOLERANCE, worse,
                        e.getValue(), reference));
            }
        }
        double chance = chance(value(candidate, GateMetric.AUC), positives, rows - positives);
        if (rules.maxChance() < 1) {
            boolean ok = chance <= rules.maxChance();
            checks.add(new Check("auc.chance.max", ok, String.format(Locale.ROOT,
                    "a model with no skill reaches hold-out AUC %s on %d positives and %d negatives with "
                            + "probability %s, %s %s", fmt(value(candidate, GateMetric.AUC)), positives,
                    rows - positives, fmt(chance), ok ? "<=" : "above", fmt(rules.maxChance()))));
        }
        return new Verdict(checks, chance);
    }

    private static Check degradation(GateMetric m, String rule, boolean ok, double worse, double limit,
                                     double reference) {
        return new Check(m.metricName() + "." + rule, ok, String.format(Locale.ROOT,
                "hold-out %s %s the champion's %s by %s (%s %s)", m.metricName(), worse > 0 ? "worse than"
                        : "no worse than", fmt(reference), fmt(Math.max(0, worse)), ok ? "at most" : "more than",
                fmt(limit)));
    }

    /**
     * The one-sided Mann-Whitney p-value of an AUC: the probability that scores with no relation to the labels
     * reach it, by the normal approximation of U = AUC * n1 * n0 (mean n1 n0 / 2, variance n1 n0 (n1 + n0 + 1) /
     * 12; ties ignored, which makes it slightly conservative). NaN without both classes or an AUC.
     */
    public static double chance(double auc, int positives, int negatives) {
        if (!Double.isFinite(auc) || positives <= 0 || negatives <= 0) {
            return Double.NaN;
        }
        double n1 = positives;
        double n0 = negatives;
        double sd = Math.sqrt((n1 + n0 + 1) / (12 * n1 * n0));
        return Normal.upperTail((auc - 0.5) / sd);
    }

    private static double value(Map<String, Double> metrics, GateMetric m) {
        Double v = metrics.get(m.metricName());
        return v == null ? Double.NaN : v;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
