package io.riptide.app.backtest;

import io.riptide.serving.ModelKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.serving.drift.Adwin;
import io.riptide.serving.drift.PageHinkley;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code riptide backtest detectors --from DIR}: how the concept-drift detectors would have done on a finished
 * backtest's outcomes under other settings, to choose {@code stream.drift.adwin.delta}, {@code stream.drift.ph.delta}
 * and {@code stream.drift.ph.lambda} from measurements.
 */
@Command(name = "detectors", mixinStandardHelpOptions = true,
        description = {"Replay a finished backtest's resolved outcomes (outcomes.csv) through ADWIN and Page-Hinkley",
                "under a grid of settings; print false alarms per key per calm day, median detection delay and missed",
                "shifts for each, and the best setting within the false-alarm budget as the last RESULT line."})
public final class DetectorSweepCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "A backtest's --out directory (backtest.json and outcomes.csv).")
    Path from;

    @Option(names = "--arm", defaultValue = "frozen",
            description = "Whose outcomes (default ${DEFAULT-VALUE}: one version per key, so every alarm is the market's).")
    String arm;

    @Option(names = "--max-false-alarms", defaultValue = "1",
            description = "False alarms per key per calm market day a setting may raise (default ${DEFAULT-VALUE}).")
    double maxFalseAlarms;

    @Option(names = "--loss-clip", defaultValue = "5", description = "stream.drift.loss.clip (default ${DEFAULT-VALUE}).")
    double lossClip;

    @Override
    public Integer call() throws Exception {
        Path json = from.resolve("backtest.json");
        Path csv = from.resolve(OutcomesCsv.FILE);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("--from " + from + " must hold backtest.json and " + OutcomesCsv.FILE
                    + " (the --out of a riptide backtest run)");
        }
        if (!(lossClip > 0) || !(maxFalseAlarms >= 0)) {
            throw new IllegalArgumentException("--loss-clip must be > 0 and --max-false-alarms >= 0");
        }
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        JsonNode input = result.path("input");
        List<Long> shifts = new ArrayList<>();
        input.path("shifts").forEach(s -> shifts.add(Instant.parse(s.asText()).toEpochMilli()));
        List<String> keys = new ArrayList<>();
        result.path("config").path("horizonsMinutes").forEach(h -> keys.add(ModelKey.liquidation(h.asInt()).key()));
        BacktestAnalysis analysis = new BacktestAnalysis(Instant.parse(input.path("from").asText()).toEpochMilli(),
                Instant.parse(input.path("to").asText()).toEpochMilli(), shifts, keys);
        List<OutcomesCsv.Row> rows = OutcomesCsv.read(csv).stream().filter(r -> r.arm().equals(arm)).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--arm " + arm + ": no outcomes of that arm in " + csv);
        }
        DetectorSweep sweep = new DetectorSweep(analysis, lossClip);
        List<DetectorSweep.Score> scores = sweep.sweep(rows, DetectorSweep.grid());
        System.out.printf(Locale.ROOT, "%s outcomes of arm %s, %d keys, %d shifts, %.2f calm market days%n",
                rows.size(), arm, keys.size(), shifts.size(), analysis.calmDays());
        System.out.printf(Locale.ROOT, "%-13s %-28s %8s %14s %10s %7s%n", "detector", "setting", "firings",
                "false/key/day", "delay_min", "missed");
        for (DetectorSweep.Score s : scores) {
            System.out.printf(Locale.ROOT, "%-13s %-28s %8d %14.2f %10s %7d%n", s.setting().detector(),
                    s.setting().label(), s.firings(), s.falseAlarmsPerKeyPerCalmDay(),
                    s.medianDelayMin() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.medianDelayMin()),
                    s.missed());
        }
        Optional<DetectorSweep.Score> adwin = DetectorSweep.best(scores, Adwin.NAME, maxFalseAlarms);
        Optional<DetectorSweep.Score> ph = DetectorSweep.best(scores, PageHinkley.NAME, maxFalseAlarms);
        System.out.println("RESULT arm=" + arm
                + " adwin_delta=" + adwin.map(s -> fmt(s.setting().delta())).orElse("none")
                + " adwin_false_alarms_per_day=" + adwin.map(s -> fmt(s.falseAlarmsPerKeyPerCalmDay())).orElse("none")
                + " adwin_delay_min=" + adwin.map(s -> delay(s)).orElse("none")
                + " adwin_missed=" + adwin.map(s -> Integer.toString(s.missed())).orElse("none")
                + " ph_delta=" + ph.map(s -> fmt(s.setting().delta())).orElse("none")
                + " ph_lambda=" + ph.map(s -> fmt(s.setting().lambda())).orElse("none")
                + " ph_false_alarms_per_day=" + ph.map(s -> fmt(s.falseAlarmsPerKeyPerCalmDay())).orElse("none")
                + " ph_delay_min=" + ph.map(s -> delay(s)).orElse("none")
                + " ph_missed=" + ph.map(s -> Integer.toString(s.missed())).orElse("none"));
        return 0;
    }

    private static String delay(DetectorSweep.Score s) {
        return s.medianDelayMin() == null ? "none" : fmt(s.medianDelayMin());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%g", v);
    }
}
