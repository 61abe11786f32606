package io.riptide.app.backtest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code riptide backtest}: replay a market through the real services and measure whether retraining helps. */
@Command(name = "backtest", mixinStandardHelpOptions = true, subcommands = DetectorSweepCommand.class,
        description = {"Replay a simulated or recorded market through the real stream and trigger services, in event",
                "time at machine speed, with arms (retrain, frozen, rules, no-online) side by side on the same input.",
                "Writes backtest.json and report.html to --out; the last line is RESULT key=value ..."})
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--simulate", description = "Use the market simulator (with --seed, --market-hours, --shift-at).")
    boolean simulate;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--instruments", defaultValue = "3",
            description = "Simulated instruments, 1 to 10 (default ${DEFAULT-VALUE}): more give each retrain more rows per market hour.")
    int instruments;

    @Option(names = "--market-hours", defaultValue = "24", description = "Simulated market hours (default ${DEFAULT-VALUE}).")
    int marketHours;

    @Option(names = "--shift-at", split = ",", paramLabel = "H",
            description = "Market hours of scripted shifts, e.g. 12 or 8,20 (the simulator's cycle: volatility-targeting leverage, then back).")
    List<Double> shiftAt = new ArrayList<>();

    @Option(names = "--capture", paramLabel = "PATH", description = "Recorded Binance websocket capture file or folder (repeatable).")
    List<Path> captures = new ArrayList<>();

    @Option(names = "--symbol", description = "Only this symbol of the capture, e.g. BTCUSDT.")
    String symbol;

    @Option(names = "--klines", paramLabel = "CSV", description = "Recorded kline CSV (repeatable).")
    List<Path> klines = new ArrayList<>();

    @Option(names = "--liquidations", paramLabel = "CSV", description = "Recorded liquidation CSV (repeatable).")
    List<Path> liquidations = new ArrayList<>();

    @Option(names = "--arms", defaultValue = "retrain,frozen,rules,no-online", split = ",",
            description = "Arms to run (default ${DEFAULT-VALUE}).")
    List<String> arms;

    @Option(names = "--out", defaultValue = "riptide-backtest", description = "Output directory (default ./${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--step", defaultValue = "5", paramLabel = "MINUTES",
            description = "Market minutes per lockstep step: the longest a trained model waits to serve (default ${DEFAULT-VALUE}).")
    int stepMinutes;

    @Option(names = "--horizons", defaultValue = "5,15,30,60", split = ",",
            description = "Liquidation-risk horizons in minutes (default ${DEFAULT-VALUE}).")
    List<Integer> horizons;

    @Option(names = "--trainer", defaultValue = "lightgbm", description = "lightgbm or xgboost (default ${DEFAULT-VALUE}).")
    String trainer;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A stream or trigger setting for every arm (repeatable), e.g. --set trigger.cooldown.ms=1800000; see docs/CONFIGURATION.md.")
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--lifecycle", defaultValue = "direct", description = "What a retrained candidate that passed "
            + "its gates serves as: direct (production at once) or shadow (shadow first, promoted on live outcomes; "
            + "docs/RETRAINING.md). Default ${DEFAULT-VALUE}.")
    String lifecycle;

    @Option(names = "--quiet", description = "No progress lines, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        boolean recorded = !captures.isEmpty() || !klines.isEmpty() || !liquidations.isEmpty();
        if (simulate == recorded) {
            throw new IllegalArgumentException("give either --simulate or recorded input (--capture, or --klines with "
                    + "optional --liquidations)");
        }
        if (!captures.isEmpty() && !klines.isEmpty()) {
            throw new IllegalArgumentException("--capture and --klines drive bars differently; backtest one or the other");
        }
        if (instruments < 1 || instruments > BacktestOptions.SIMULATED.size()) {
            throw new IllegalArgumentException("--instruments must be between 1 and " + BacktestOptions.SIMULATED.size()
                    + ", got " + instruments);
        }
        if (marketHours < 1 || marketHours > 24 * 31) {
            throw new IllegalArgumentException("--market-hours must be between 1 and 744, got " + marketHours);
        }
        double previous = 0;
        for (double h : shiftAt) {
            if (!(h > previous) || h >= marketHours) {
                throw new IllegalArgumentException("--shift-at hours must increase and lie inside the run (0, "
                        + marketHours + "), got " + shiftAt);
            }
            previous = h;
        }
        if (!simulate && !shiftAt.isEmpty()) {
            throw new IllegalArgumentException("--shift-at scripts the simulator; recorded data has no scripted shift");
        }
        if (stepMinutes < 1 || stepMinutes > 60) {
            throw new IllegalArgumentException("--step must be between 1 and 60 minutes, got " + stepMinutes);
        }
        for (int h : horizons) {
            if (h < 1 || h > 240) {
                throw new IllegalArgumentException("--horizons must be between 1 and 240 minutes, got " + h);
            }
        }
        if (!trainer.equals("lightgbm") && !trainer.equals("xgboost")) {
            throw new IllegalArgumentException("--trainer must be lightgbm or xgboost, got '" + trainer + "'");
        }
        for (String key : settings.keySet()) {
            if (!key.startsWith("stream.") && !key.startsWith("trigger.")) {
                throw new IllegalArgumentException("--set takes stream.* and trigger.* settings, got " + key);
            }
        }
        if (!lifecycle.equals("direct") && !lifecycle.equals("shadow")) {
            throw new IllegalArgumentException("--lifecycle must be direct or shadow, got '" + lifecycle + "'");
        }
        if (settings.containsKey("trigger.lifecycle")) {
            throw new IllegalArgumentException("give the lifecycle with --lifecycle, not --set trigger.lifecycle");
        }
        settings.put("trigger.lifecycle", lifecycle);
        List<Arm> chosen = new ArrayList<>();
        for (String a : arms) {
            Arm arm = Arm.parse(a);
            if (!chosen.contains(arm)) {
                chosen.add(arm);
            }
        }
        BacktestOptions options = new BacktestOptions(simulate, seed, instruments, marketHours, shiftAt, captures, symbol, klines,
                liquidations, chosen, out, stepMinutes, List.copyOf(horizons), trainer, quiet, settings);
        BacktestResult result = new BacktestRun(options, System.out).run();
        result.writeJson(out.resolve("backtest.json"));
        BacktestReport.write(out.resolve("report.html"), result);
        if (!quiet) {
            System.out.println("written " + out.resolve("backtest.json") + ", " + out.resolve("report.html"));
        }
        System.out.println(result.resultLine());
        return 0;
    }
}
