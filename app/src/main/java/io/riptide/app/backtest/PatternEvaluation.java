package io.riptide.app.backtest;

import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.serving.metrics.BinaryMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Does the pattern model's confidence beat the pattern's base confidence? Judged on the signals that a model version
 * scored (version > 0): each was scored by a version trained before it, on examples that had ended before it was
 * trained, so every figure is out of sample. For both confidences, on the same signals: the AUC of success (profit
 * barrier first), the success rate of the top decile, and the mean triple-barrier return after a round-trip fee of
 * the signals taken at or above {@link #TAKE_THRESHOLD}, against all of them.
 */
record PatternEvaluation(int signals, int scored, double successRate, double aucMl, double aucBase,
                         double topDecileMl, double topDecileBase, double meanNetReturnAll,
                         double meanNetReturnTakenMl, int takenMl, double meanNetReturnTakenBase, int takenBase) {

    /** Round-trip fee: two taker fills at 0.04% (Binance USD-M futures' base taker rate). */
    static final double ROUND_TRIP_FEE = 0.0008;
    /**
     * A signal is taken when its confidence is above the break-even of the default barriers, fixed before any run:
     * winning 2 ATR with probability p and losing 1 ATR otherwise breaks even at p = 1/3 (before fees).
     */
    static final double TAKE_THRESHOLD = 1.0 / 3;

    static PatternEvaluation of(List<PatternOutcome> outcomes) {
        List<PatternOutcome> scored = outcomes.stream().filter(o -> o.getModelVersion() > 0).toList();
        double[] labels = scored.stream().mapToDouble(PatternOutcome::getLabel).toArray();
        double[] ml = scored.stream().mapToDouble(PatternOutcome::getMlConfidence).toArray();
        double[] base = scored.stream().mapToDouble(PatternOutcome::getBaseConfidence).toArray();
        double success = scored.isEmpty() ? Double.NaN : mean(scored, PatternOutcome::getLabel);
        boolean bothClasses = success > 0 && success < 1;
        List<PatternOutcome> takenMl = scored.stream().filter(o -> o.getMlConfidence() >= TAKE_THRESHOLD).toList();
        List<PatternOutcome> takenBase = scored.stream().filter(o -> o.getBaseConfidence() >= TAKE_THRESHOLD).toList();
        return new PatternEvaluation(outcomes.size(), scored.size(), success,
                bothClasses ? BinaryMetrics.rocAuc(ml, labels) : Double.NaN,
                bothClasses ? BinaryMetrics.rocAuc(base, labels) : Double.NaN,
                topDecileSuccess(scored, PatternOutcome::getMlConfidence),
                topDecileSuccess(scored, PatternOutcome::getBaseConfidence),
                meanNet(scored), meanNet(takenMl), takenMl.size(), meanNet(takenBase), takenBase.size());
    }

    /**
     * The success rate of the tenth of the signals ranked highest by a score. Ties at the cut are ranked by signal
     * time, the order a trader meets them in (the base confidence has only four values).
     */
    private static double topDecileSuccess(List<PatternOutcome> scored, ToDoubleFunction<PatternOutcome> score) {
        int n = scored.size() / 10;
        if (n == 0) {
            return Double.NaN;
        }
        List<PatternOutcome> ranked = new ArrayList<>(scored);
        ranked.sort(Comparator.comparingDouble(score).reversed().thenComparingLong(PatternOutcome::getSignalTimeMs));
        return mean(ranked.subList(0, n), PatternOutcome::getLabel);
    }

    private static double meanNet(List<PatternOutcome> outcomes) {
        return outcomes.isEmpty() ? Double.NaN : mean(outcomes, o -> o.getRealizedReturn() - ROUND_TRIP_FEE);
    }

    private static double mean(List<PatternOutcome> outcomes, ToDoubleFunction<PatternOutcome> value) {
        return outcomes.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("signals_ended", signals);
        j.put("scored_by_a_model", scored);
        j.put("success_rate", round(successRate));
        j.put("auc_ml", round(aucMl));
        j.put("auc_base", round(aucBase));
        j.put("top_decile_success_ml", round(topDecileMl));
        j.put("top_decile_success_base", round(topDecileBase));
        j.put("round_trip_fee", ROUND_TRIP_FEE);
        j.put("take_threshold", TAKE_THRESHOLD);
        j.put("mean_net_return_all", round(meanNetReturnAll));
        j.put("mean_net_return_taken_ml", round(meanNetReturnTakenMl));
        j.put("taken_ml", takenMl);
        j.put("mean_net_return_taken_base", round(meanNetReturnTakenBase));
        j.put("taken_base", takenBase);
        return j;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1e6) / 1e6;
    }
}
