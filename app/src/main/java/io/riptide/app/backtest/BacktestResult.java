package io.riptide.app.backtest;

import io.riptide.serving.ModelKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The backtest's figures: {@link #json()} holds every one (written as backtest.json); {@link #resultLine()} the
 * headline. Everything but the {@code timing} section depends on the input, seed and options only.
 *
 * @param series per arm, per key: rolling {time, auc, log-loss, n} over market time, for the report
 */
record BacktestResult(Map<String, Object> json, Map<String, Object> headline,
                      Map<String, Map<String, List<double[]>>> series, List<Long> shiftsMs,
                      Map<String, List<BacktestAnalysis.Alarm>> alarms, Map<String, List<ArmRuntime.Swap>> swaps,
                      long startMs, long endMs) {

    static final long SERIES_WINDOW_MS = 2 * BacktestAnalysis.HOUR;
    static final long SERIES_STEP_MS = 20 * BacktestAnalysis.MINUTE;

    static BacktestResult of(BacktestOptions options, BacktestSource source, BacktestAnalysis analysis,
                             Map<String, List<LiveMetrics.Outcome>> outcomesByArm,
                             Map<String, List<BacktestAnalysis.Alarm>> alarmsByArm, List<ArmRuntime.Swap> retrainSwaps,
                             Map<String, Object> armsJson, long events, double wallSeconds,
                             Map<String, Object> lockstepSeconds) {
        List<String> keys = options.horizons().stream().map(h -> ModelKey.liquidation(h).key()).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("description", source.description());
        input.put("from", Instant.ofEpochMilli(source.startMs()).toString());
        input.put("to", Instant.ofEpochMilli(source.endMs()).toString());
        input.put("events", events);
        List<String> shifts = new ArrayList<>();
        source.shiftsMs().forEach(s -> shifts.add(Instant.ofEpochMilli(s).toString()));
        input.put("shifts", shifts);
        json.put("input", input);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("arms", options.arms().stream().map(Arm::label).toList());
        config.put("stepMinutes", options.stepMinutes());
        config.put("horizonsMinutes", options.horizons());
        config.put("trainer", options.trainer());
        config.put("settings", new java.util.TreeMap<>(options.settings()));
        if (options.simulate()) {
            config.put("seed", options.seed());
            config.put("instruments", options.instruments());
        }
        json.put("config", config);
        json.put("phases", analysis.phases());
        json.put("arms", armsJson);
        List<Map<String, Object>> shiftResults = analysis.shifts(outcomesByArm, retrainSwaps);
        json.put("shifts", shiftResults);
        Map<String, Object> detectors = new LinkedHashMap<>();
        alarmsByArm.forEach((arm, alarms) -> detectors.put(arm, analysis.detectors(alarms)));
        json.put("detectors", detectors);

        Map<String, Object> headline = headline(keys, source, analysis, outcomesByArm, alarmsByArm, shiftResults,
                armsJson);
        json.put("headline", headline);
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("wall_s", LiveMetrics.round(wallSeconds));
        timing.put("lockstep_seconds_by_arm", lockstepSeconds);
        json.put("timing", timing);

        Map<String, Map<String, List<double[]>>> series = new LinkedHashMap<>();
        outcomesByArm.forEach((arm, outcomes) -> {
            Map<String, List<double[]>> byKey = new LinkedHashMap<>();
            for (String key : keys) {
                byKey.put(key, LiveMetrics.rolling(LiveMetrics.select(outcomes, o -> o.modelKey().startsWith(key)),
                        source.startMs(), source.endMs(), SERIES_WINDOW_MS, SERIES_STEP_MS, 30));
            }
            series.put(arm, byKey);
        });
        Map<String, List<ArmRuntime.Swap>> swaps = new LinkedHashMap<>();
        swaps.put(Arm.RETRAIN.label(), retrainSwaps);
        return new BacktestResult(json, headline, series, source.shiftsMs(), alarmsByArm, swaps, source.startMs(),
                source.endMs());
    }

    /**
     * The headline, each figure the mean over keys: pre- and post-shift live AUC (post from the shift to the end),
     * recovery and the retrain cycles it took, the median delay of the first critical drift event after a shift,
     * false alarms per key per calm day and alerts per 1,000 predictions (retrain arm).
     */
    private static Map<String, Object> headline(List<String> keys, BacktestSource source, BacktestAnalysis analysis,
                                                Map<String, List<LiveMetrics.Outcome>> outcomesByArm,
                                                Map<String, List<BacktestAnalysis.Alarm>> alarmsByArm,
                                                List<Map<String, Object>> shiftResults,
                                                Map<String, Object> armsJson) {
        Map<String, Object> h = new LinkedHashMap<>();
        for (String required : List.of("pre_auc_retrain", "post_auc_retrain", "post_auc_frozen", "post_auc_rules",
                "post_auc_no_online", "recovery", "cycles")) {
            h.put(required, null); // without a shift there is no before and after
        }
        if (!shiftResults.isEmpty()) {
            Map<String, Object> first = shiftResults.get(0);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> perKey = (Map<String, Map<String, Object>>) first.get("keys");
            h.put("pre_auc_retrain", mean(perKey, "pre_auc", Arm.RETRAIN.label()));
            for (Arm arm : Arm.values()) {
                h.put("post_auc_" + arm.label().replace("-", "_"), mean(perKey, "post_auc", arm.label()));
            }
            h.put("recovery", meanOf(perKey, "recovery"));
            h.put("cycles", maxOf(perKey, "cycles_to_recover"));
        } else {
            for (Arm arm : Arm.values()) {
                List<LiveMetrics.Outcome> outcomes = outcomesByArm.get(arm.label());
                if (outcomes != null) {
                    List<Double> aucs = new ArrayList<>();
                    for (String key : keys) {
                        double auc = BacktestAnalysis.aucOf(outcomes, key, source.startMs(), source.endMs());
                        if (Double.isFinite(auc)) {
                            aucs.add(auc);
                        }
                    }
                    h.put("auc_" + arm.label().replace("-", "_"), aucs.isEmpty() ? null
                            : LiveMetrics.round(aucs.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
                }
            }
        }
        List<BacktestAnalysis.Alarm> retrainAlarms = alarmsByArm.getOrDefault(Arm.RETRAIN.label(),
                alarmsByArm.values().stream().findFirst().orElse(List.of()));
        h.put("drift_delay_min", analysis.firstDetectionMedianMinutes(retrainAlarms));
        h.put("false_alarms_per_day", analysis.falseAlarmsPerKeyPerCalmDay(retrainAlarms));
        Object retrain = armsJson.getOrDefault(Arm.RETRAIN.label(), armsJson.values().stream().findFirst().orElse(null));
        h.put("alerts_per_1k", retrain instanceof Map<?, ?> m ? m.get("alerts_per_1k_predictions") : null);
        return h;
    }

    private static Double mean(Map<String, Map<String, Object>> perKey, String field, String arm) {
        List<Double> values = new ArrayList<>();
        perKey.values().forEach(k -> {
            Object byArm = k.get(field);
            if (byArm instanceof Map<?, ?> m && m.get(arm) instanceof Double d) {
                values.add(d);
            }
        });
        return values.isEmpty() ? null : LiveMetrics.round(values.stream().mapToDouble(Double::doubleValue).average()
                .orElse(0));
    }

    private static Double meanOf(Map<String, Map<String, Object>> perKey, String field) {
        List<Double> values = new ArrayList<>();
        perKey.values().forEach(k -> {
            if (k.get(field) instanceof Double d) {
                values.add(d);
            }
        });
        return values.isEmpty() ? null : LiveMetrics.round(values.stream().mapToDouble(Double::doubleValue).average()
                .orElse(0));
    }

    /** The most cycles any key needed; null when some key never recovered. */
    private static Integer maxOf(Map<String, Map<String, Object>> perKey, String field) {
        int max = 0;
        for (Map<String, Object> k : perKey.values()) {
            if (!(k.get(field) instanceof Integer i)) {
                return null;
            }
            max = Math.max(max, i);
        }
        return max;
    }

    /** {@code RESULT pre_auc_retrain=.. post_auc_retrain=.. ... wall_s=..}. */
    String resultLine() {
        StringBuilder b = new StringBuilder("RESULT");
        headline.forEach((k, v) -> b.append(' ').append(k).append('=').append(format(v)));
        @SuppressWarnings("unchecked")
        Map<String, Object> timing = (Map<String, Object>) json.get("timing");
        b.append(" wall_s=").append(format(timing.get("wall_s")));
        return b.toString();
    }

    private static String format(Object v) {
        if (v == null) {
            return "n/a";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return v.toString();
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
