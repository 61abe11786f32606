package io.riptide.app.backtest;

import java.nio.file.Path;
import java.util.List;

/**
 * What a backtest runs: its input (the simulator, or recorded files), its arms and how it steps.
 *
 * @param seed         simulator seed
 * @param instruments  simulated instruments
 * @param marketHours  simulated hours
 * @param shiftHours   market hours (from the start) of scripted shifts, ascending
 * @param captures     recorded Binance websocket captures (files or folders)
 * @param symbol       only this symbol of the captures (null: all)
 * @param klines       recorded kline CSVs
 * @param liquidations recorded liquidation CSVs
 * @param stepMinutes  market minutes per lockstep step: the longest a trained model waits to serve
 * @param horizons     liquidation-risk horizons in minutes
 * @param trainer      lightgbm or xgboost
 * @param settings     stream and trigger settings for every arm ({@code --set key=value}), over the backtest's own
 */
record BacktestOptions(boolean simulate, long seed, int instruments, int marketHours, List<Double> shiftHours, List<Path> captures,
                       String symbol, List<Path> klines, List<Path> liquidations, List<Arm> arms, Path out,
                       int stepMinutes, List<Integer> horizons, String trainer, boolean quiet,
                       java.util.Map<String, String> settings) {

    /** The simulator's instruments, in the order {@code --instruments N} takes them. */
    static final List<String> SIMULATED = List.of("SIM:BTCUSDT", "SIM:ETHUSDT", "SIM:SOLUSDT", "SIM:DOGEUSDT",
            "SIM:AVAXUSDT", "SIM:LINKUSDT", "SIM:XRPUSDT", "SIM:ADAUSDT", "SIM:DOTUSDT", "SIM:LTCUSDT");

    BacktestOptions {
        shiftHours = List.copyOf(shiftHours);
        captures = List.copyOf(captures);
        klines = List.copyOf(klines);
        liquidations = List.copyOf(liquidations);
        arms = List.copyOf(arms);
        horizons = List.copyOf(horizons);
        settings = java.util.Map.copyOf(settings);
    }

    /**
     * The simulated market as a backtest would run it, for the benches (they write no backtest files, so no
     * {@code --out}): a month of market hours, no shift.
     */
    /** The bench commands' {@code --instruments}: 2 to as many as the simulator names. */
    static void checkSimulatedInstruments(int instruments) {
        if (instruments < 2 || instruments > SIMULATED.size()) {
            throw new IllegalArgumentException("--instruments must be between 2 and " + SIMULATED.size() + ", got "
                    + instruments);
        }
    }

    static BacktestOptions simulatedMarket(long seed, int instruments, int stepMinutes, boolean quiet) {
        return new BacktestOptions(true, seed, instruments, 24 * 31, List.of(), List.of(), null, List.of(), List.of(),
                List.of(Arm.RULES), Path.of(System.getProperty("java.io.tmpdir")), stepMinutes,
                List.of(5, 15, 30, 60), "lightgbm", quiet, java.util.Map.of());
    }
}
