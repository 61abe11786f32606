package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacktestAnalysisTest {
    private static final long H = BacktestAnalysis.HOUR;
    private static final String KEY = "liquidation-15m";

    /** Outcomes every minute from {@code from} to {@code to}, ranked well ({@code skill} near 1) or at random. */
    private static List<LiveMetrics.Outcome> outcomes(long from, long to, int version, double skill, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LiveMetrics.Outcome> out = new ArrayList<>();
        for (long t = from; t < to; t += 60_000) {
            int label = random.nextDouble() < 0.3 ? 1 : 0;
            double p = skill * (label == 1 ? 0.7 : 0.3) + (1 - skill) * random.nextDouble();
            p = Math.min(1, Math.max(0, p + 0.2 * (random.nextDouble() - 0.5)));
            out.add(new LiveMetrics.Outcome(KEY, version, "SIM:X", t, p, label));
        }
        return out;
    }

    @Test
    void liveMetricsAreUndefinedForOneClassAndExactForAHandExample() {
        List<LiveMetrics.Outcome> one = List.of(new LiveMetrics.Outcome(KEY, 1, "X", 0, 0.4, 0),
                new LiveMetrics.Outcome(KEY, 1, "X", 1, 0.6, 0));
        Map<String, Object> m = LiveMetrics.of(one);
        assertEquals(2, m.get("n"));
        assertNull(m.get("auc"), "AUC needs both classes");
        List<LiveMetrics.Outcome> two = List.of(new LiveMetrics.Outcome(KEY, 1, "X", 0, 0.2, 0),
                new LiveMetrics.Outcome(KEY, 1, "X", 1, 0.8, 1), new LiveMetrics.Outcome(KEY, 1, "X", 2, 0.6, 0));
        assertEquals(1.0, LiveMetrics.auc(two));
        assertEquals(LiveMetrics.round((0.04 + 0.04 + 0.36) / 3), (Double) LiveMetrics.of(two).get("brier"), 1e-9);
    }

    @Test
    void recoveryCountsTheRetrainCyclesUntilAVersionIsBackToNinetyFivePercentOfThePreShiftAuc() {
        long shift = 12 * H;
        List<LiveMetrics.Outcome> retrain = new ArrayList<>();
        retrain.addAll(outcomes(0, shift, 1, 0.9, 1));
        retrain.addAll(outcomes(shift, shift + 3 * H, 1, 0.0, 2));   // the old version breaks
        retrain.addAll(outcomes(shift + 3 * H, shift + 6 * H, 2, 0.4, 3));  // cycle 1: better, not back
        retrain.addAll(outcomes(shift + 6 * H, 24 * H, 3, 0.9, 4));  // cycle 2: back
        List<LiveMetrics.Outcome> frozen = new ArrayList<>(outcomes(0, shift, 1, 0.9, 1));
        frozen.addAll(outcomes(shift, 24 * H, 1, 0.0, 5));
        List<ArmRuntime.Swap> swaps = List.of(new ArmRuntime.Swap(KEY, 0, 1, 2 * H, "bootstrap"),
                new ArmRuntime.Swap(KEY, 1, 2, shift + 3 * H, "drift"),
                new ArmRuntime.Swap(KEY, 2, 3, shift + 6 * H, "schedule"));
        Map<String, List<LiveMetrics.Outcome>> byArm = new LinkedHashMap<>();
        byArm.put("retrain", retrain);
        byArm.put("frozen", frozen);
        BacktestAnalysis analysis = new BacktestAnalysis(0, 24 * H, List.of(shift), List.of(KEY));
        Map<String, Object> result = analysis.shifts(byArm, swaps).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> key = ((Map<String, Map<String, Object>>) result.get("keys")).get(KEY);
        assertEquals(2, key.get("cycles_to_recover"));
        assertTrue((Double) key.get("recovery") >= 0.95, "recovery " + key.get("recovery"));
        @SuppressWarnings("unchecked")
        Map<String, Double> post = (Map<String, Double>) key.get("post_auc");
        assertTrue(post.get("retrain") > post.get("frozen") + 0.1, "post " + post);
    }

    @Test
    void detectorsAreJudgedOnDelayAfterEachShiftAndOnFalseAlarmsOutsideItsWindow() {
        long shift = 12 * H;
        List<BacktestAnalysis.Alarm> alarms = List.of(
                new BacktestAnalysis.Alarm(KEY, 1, "ADWIN", "log_loss", "CRITICAL", 3 * H),           // false
                new BacktestAnalysis.Alarm(KEY, 1, "ADWIN", "log_loss", "INFO", 5 * H),               // not a firing
                new BacktestAnalysis.Alarm(KEY, 1, "ADWIN", "log_loss", "CRITICAL", shift + 20 * 60_000),
                new BacktestAnalysis.Alarm(KEY, 1, "KS", "score", "WARNING", shift + 7 * 60_000),
                new BacktestAnalysis.Alarm(KEY, 1, "KS", "f1", "WARNING", shift + 7 * 60_000));        // same firing
        BacktestAnalysis analysis = new BacktestAnalysis(0, 24 * H, List.of(shift), List.of(KEY));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> d = (Map<String, Map<String, Object>>) (Map<?, ?>) analysis.detectors(alarms);
        assertEquals(2, d.get("ADWIN").get("firings"));
        assertEquals(1, d.get("ADWIN").get("false_alarms"));
        assertEquals(20.0, d.get("ADWIN").get("median_delay_min"));
        assertEquals(1, d.get("KS").get("firings"));
        assertEquals(7.0, d.get("KS").get("median_delay_min"));
        assertEquals(0, d.get("KS").get("missed"));
        assertEquals(20.0, analysis.firstDetectionMedianMinutes(alarms), "only CRITICAL firings make the trigger act");
        double calmDays = (24 - 3) / 24.0;
        assertEquals(LiveMetrics.round(1 / calmDays), analysis.falseAlarmsPerKeyPerCalmDay(alarms), 1e-6);
    }
}
