package io.riptide.app.backtest;

import io.riptide.serving.drift.Adwin;
import io.riptide.serving.drift.PageHinkley;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorSweepTest {
    private static final long M = BacktestAnalysis.MINUTE;
    private static final long H = BacktestAnalysis.HOUR;
    private static final String KEY = "liquidation-15m";

    /**
     * One outcome a minute over 24 h for a model that serves p = 0.05 throughout; the positive rate is 5% until the
     * shift at hour 12 (the model is calibrated), then 40% (it is badly wrong, and its log-loss jumps).
     */
    private static List<OutcomesCsv.Row> rows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<OutcomesCsv.Row> rows = new ArrayList<>();
        for (long t = 0; t < 24 * H; t += M) {
            double rate = t < 12 * H ? 0.05 : 0.4;
            rows.add(new OutcomesCsv.Row("frozen", KEY, 1, "SIM:X", t, t + 15 * M, 0.05,
                    random.nextDouble() < rate ? 1 : 0));
        }
        return rows;
    }

    private static DetectorSweep sweep() {
        return new DetectorSweep(new BacktestAnalysis(0, 24 * H + 15 * M, List.of(12 * H), List.of(KEY)), 5);
    }

    @Test
    void aStrictPageHinkleyFindsTheShiftSoonAndStaysQuietWhileTheModelIsCalibrated() {
        DetectorSweep.Score score = sweep().score(rows(1), new DetectorSweep.Setting(PageHinkley.NAME, 0.5, 50));
        assertEquals(0, score.missed());
        assertNotNull(score.medianDelayMin());
        // outcomes of post-shift predictions resolve a horizon (15 min) after the shift; then the loss rises from a
        // mean of 0.2 to 1.23 nats a minute, 0.53 over PH's 0.5 slack, so the statistic reaches 50 after ~95 more
        assertTrue(score.medianDelayMin() >= 15 + 60 && score.medianDelayMin() <= 15 + 120,
                "delay " + score.medianDelayMin());
        assertEquals(0.0, score.falseAlarmsPerKeyPerCalmDay(), "calibrated calm phase raises nothing");
    }

    @Test
    void aLooseSettingRaisesFalseAlarmsAndBestPicksWithinTheBudget() {
        List<OutcomesCsv.Row> rows = rows(2);
        List<DetectorSweep.Score> scores = sweep().sweep(rows, DetectorSweep.grid());
        DetectorSweep.Score loose = scores.stream().filter(s -> s.setting().detector().equals(PageHinkley.NAME)
                && s.setting().delta() == 0.01 && s.setting().lambda() == 10).findFirst().orElseThrow();
        assertTrue(loose.falseAlarmsPerKeyPerCalmDay() > 1, "delta 0.01, lambda 10 fires on calm noise: " + loose);
        DetectorSweep.Score best = DetectorSweep.best(scores, PageHinkley.NAME, 1).orElseThrow();
        assertTrue(best.falseAlarmsPerKeyPerCalmDay() <= 1);
        assertEquals(0, best.missed());
        for (DetectorSweep.Score s : scores) {
            if (s.setting().detector().equals(PageHinkley.NAME) && s.falseAlarmsPerKeyPerCalmDay() <= 1
                    && s.missed() == 0) {
                assertTrue(best.medianDelayMin() <= s.medianDelayMin(), best + " vs " + s);
            }
        }
        assertTrue(DetectorSweep.best(scores, Adwin.NAME, 1).isPresent(), "some ADWIN delta stays within budget");
    }

    @Test
    void detectorsStartOverForEachVersion() {
        List<OutcomesCsv.Row> rows = new ArrayList<>();
        for (OutcomesCsv.Row r : rows(3)) {
            // a new version each hour: too few outcomes for PH's 30-value warm-up to matter less than its slack
            rows.add(new OutcomesCsv.Row(r.arm(), r.modelKey(), (int) (r.predictionTimeMs() / (20 * M)), r.instrument(),
                    r.predictionTimeMs(), r.resolvedAtMs(), r.probability(), r.label()));
        }
        List<BacktestAnalysis.Alarm> alarms = sweep().replay(rows,
                new DetectorSweep.Setting(PageHinkley.NAME, 0.5, 50));
        assertTrue(alarms.isEmpty(), "20 outcomes a version never add up to lambda 50: " + alarms);
    }

    @Test
    void outcomesCsvRoundTripsAndRefusesOtherFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve(OutcomesCsv.FILE);
        io.riptide.schemas.avro.Outcome o = io.riptide.schemas.avro.Outcome.newBuilder().setPredictionId("p1")
                .setInstrument("SIM:X").setPredictionTimeMs(60_000).setHorizonMinutes(15).setResolvedAtMs(960_000)
                .setLabel(1).setRealizedValue(2e6).setModelKey(KEY).setModelVersion(3).setProbability(0.1234567)
                .build();
        OutcomesCsv.write(file, List.of(OutcomesCsv.row("retrain", o)));
        assertEquals(List.of(new OutcomesCsv.Row("retrain", KEY, 3, "SIM:X", 60_000, 960_000, 0.1234567, 1)),
                OutcomesCsv.read(file));
        Files.writeString(file, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutcomesCsv.read(file));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
