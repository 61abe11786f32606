package io.riptide.app.backtest;

import io.riptide.serving.drift.Adwin;
import io.riptide.serving.drift.Detection;
import io.riptide.serving.drift.DriftDetector;
import io.riptide.serving.drift.PageHinkley;
import io.riptide.serving.metrics.BinaryMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays one arm's resolved outcomes through the stream's concept-drift detectors (ADWIN and Page-Hinkley on
 * clipped per-outcome log-loss, one detector per key and version, CRITICAL on a rise) under many settings, and
 * scores each setting as the backtest scores the stream's own: false alarms per key per calm market day, detection
 * delay after each shift, missed shifts. Pure, so the choice of defaults is reproducible from a backtest's files.
 */
final class DetectorSweep {

    /** One detector setting; {@code lambda} is NaN for ADWIN. */
    record Setting(String detector, double delta, double lambda) {
        DriftDetector newDetector(double clip) {
            return detector.equals(Adwin.NAME)
                    ? new Adwin(Adwin.Config.defaults().withDelta(delta).withRange(clip))
                    : new PageHinkley(delta, lambda);
        }

        String label() {
            return detector.equals(Adwin.NAME) ? String.format(java.util.Locale.ROOT, "delta=%g", delta)
                    : String.format(java.util.Locale.ROOT, "delta=%g lambda=%g", delta, lambda);
        }
    }

    /** How a setting did. {@code medianDelayMin} is null when it detected no shift. */
    record Score(Setting setting, int firings, double falseAlarmsPerKeyPerCalmDay, Double medianDelayMin, int missed) {
    }

    static List<Setting> grid() {
        List<Setting> grid = new ArrayList<>();
        for (double delta : new double[]{2e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12}) {
            grid.add(new Setting(Adwin.NAME, delta, Double.NaN));
        }
        for (double delta : new double[]{0.01, 0.05, 0.1, 0.2, 0.5}) {
            for (double lambda : new double[]{10, 20, 50, 100, 200, 500}) {
                grid.add(new Setting(PageHinkley.NAME, delta, lambda));
            }
        }
        return grid;
    }

    private final BacktestAnalysis analysis;
    private final double clip;

    DetectorSweep(BacktestAnalysis analysis, double clip) {
        this.analysis = analysis;
        this.clip = clip;
    }

    /** The CRITICAL firings the stream would have emitted for {@code rows} (one arm, in resolution order). */
    List<BacktestAnalysis.Alarm> replay(List<OutcomesCsv.Row> rows, Setting setting) {
        Map<String, DriftDetector> detectors = new LinkedHashMap<>();
        List<BacktestAnalysis.Alarm> alarms = new ArrayList<>();
        for (OutcomesCsv.Row r : rows) {
            DriftDetector detector = detectors.computeIfAbsent(r.modelKey() + "@" + r.version(),
                    k -> setting.newDetector(clip));
            Detection d = DriftDetector.watchLoss(detector, BinaryMetrics.clippedLogLoss(r.probability(), r.label(), clip));
            if (d != null && d.isRise()) {
                alarms.add(new BacktestAnalysis.Alarm(r.modelKey(), r.version(), setting.detector(), "log_loss",
                        "CRITICAL", r.resolvedAtMs()));
            }
        }
        return alarms;
    }

    @SuppressWarnings("unchecked")
    Score score(List<OutcomesCsv.Row> rows, Setting setting) {
        List<BacktestAnalysis.Alarm> alarms = replay(rows, setting);
        Map<String, Object> figures = (Map<String, Object>) analysis.detectors(alarms).get(setting.detector());
        if (figures == null) {
            return new Score(setting, 0, 0, null, analysis.shiftCount() * analysis.keyCount());
        }
        Object falseAlarms = figures.get("false_alarms_per_key_per_calm_day");
        return new Score(setting, (Integer) figures.get("firings"),
                falseAlarms == null ? 0 : ((Number) falseAlarms).doubleValue(),
                (Double) figures.get("median_delay_min"), (Integer) figures.get("missed"));
    }

    List<Score> sweep(List<OutcomesCsv.Row> rows, List<Setting> settings) {
        return settings.stream().map(s -> score(rows, s)).toList();
    }

    /**
     * The best setting of {@code detector} within the false-alarm budget: fewest missed shifts, then the shortest
     * median delay, then the fewest false alarms. Empty when none stays within the budget.
     */
    static Optional<Score> best(List<Score> scores, String detector, double maxFalseAlarmsPerKeyPerCalmDay) {
        return scores.stream()
                .filter(s -> s.setting().detector().equals(detector))
                .filter(s -> s.falseAlarmsPerKeyPerCalmDay() <= maxFalseAlarmsPerKeyPerCalmDay)
                .min(Comparator.comparingInt(Score::missed)
                        .thenComparingDouble(s -> s.medianDelayMin() == null ? Double.MAX_VALUE : s.medianDelayMin())
                        .thenComparingDouble(Score::falseAlarmsPerKeyPerCalmDay));
    }
}
