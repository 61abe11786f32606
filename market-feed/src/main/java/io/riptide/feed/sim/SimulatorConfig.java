package io.riptide.feed.sim;

import java.util.List;
import java.util.Objects;

/**
 * Every knob of the {@link MarketSimulator}, validated at construction with messages that name the offending
 * parameter. Start from {@link #defaults(long, long)} and tune with the {@code with...} methods. docs/SIMULATOR.md
 * explains what each parameter does to the market.
 *
 * @param seed                      the only source of randomness: the same config gives the same event sequence
 * @param startTimeMs               event time of the first simulated instant (epoch ms)
 * @param instruments               instrument ids, e.g. {@code SIM:BTCUSDT}; the symbol picks the starting price
 * @param bookIntervalMs            event-time cadence of book snapshots per instrument
 * @param bookDepth                 levels per side in each snapshot (1..20)
 * @param baseTradesPerSecond       background (immigrant) trade rate per instrument in a sideways market
 * @param tradeBranchingRatio       Hawkes branching ratio: expected trades triggered by one trade (0..0.95)
 * @param tradeExcitationDecayMs    Hawkes kernel time constant
 * @param dailyVolatility           baseline volatility of log mid over one day (0.03 = 3 %)
 * @param meanRegimeMinutes         average time spent in one regime before the Markov chain moves on
 * @param positionOpensPerMinute    leveraged positions opened per minute per instrument
 * @param medianPositionUsd         median notional of one leveraged position
 * @param meanPositionLifetimeMinutes positions close voluntarily after this long on average
 * @param bookDepthUsd              total notional resting on one side of a calm top-N book
 * @param liquidationImpact         price impact of a forced order, in log price per unit of (notional / side depth)
 * @param shifts                    scripted structural shifts in increasing time order (empty: none); from each
 *                                  one's time on the market has that shift's {@link ShiftKind} structure
 */
public record SimulatorConfig(
        long seed,
        long startTimeMs,
        List<String> instruments,
        long bookIntervalMs,
        int bookDepth,
        double baseTradesPerSecond,
        double tradeBranchingRatio,
        long tradeExcitationDecayMs,
        double dailyVolatility,
        double meanRegimeMinutes,
        double positionOpensPerMinute,
        double medianPositionUsd,
        double meanPositionLifetimeMinutes,
        double bookDepthUsd,
        double liquidationImpact,
        List<ScriptedShift> shifts) {

    /** No scripted shift: what {@link #regimeShiftAtMs()} answers without one. */
    public static final long NO_REGIME_SHIFT = Long.MAX_VALUE;

    /**
     * A label threshold that gives a 15-minute-ahead positive rate of roughly 10-40 % with the default parameters:
     * "liquidation notional in the next 15 minutes above this many USD".
     */
    public static final double SUGGESTED_LIQUIDATION_THRESHOLD_USD = 100_000;

    /**
     * One scripted shift: from event time {@code atMs} on (steps starting at or after it), the market's structure is
     * {@code kind}'s.
     */
    public record ScriptedShift(long atMs, ShiftKind kind) {
        public ScriptedShift {
            Objects.requireNonNull(kind, "kind");
        }
    }

    public SimulatorConfig {
        Objects.requireNonNull(instruments, "instruments");
        Objects.requireNonNull(shifts, "shifts");
        shifts = List.copyOf(shifts);
        for (int i = 1; i < shifts.size(); i++) {
            if (shifts.get(i).atMs() <= shifts.get(i - 1).atMs()) {
                throw new IllegalArgumentException("shifts must be in strictly increasing time order, was "
                        + shifts.stream().map(ScriptedShift::atMs).toList());
            }
        }
        instruments = List.copyOf(instruments);
        if (instruments.isEmpty()) {
            throw new IllegalArgumentException("instruments must not be empty");
        }
        if (instruments.stream().distinct().count() != instruments.size()) {
            throw new IllegalArgumentException("instruments must be distinct: " + instruments);
        }
        for (String id : instruments) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("instruments must not contain blank ids: " + instruments);
            }
        }
        positive("bookIntervalMs", bookIntervalMs);
        if (bookDepth < 1 || bookDepth > 20) {
            throw new IllegalArgumentException("bookDepth must be in 1..20, was " + bookDepth);
        }
        positive("baseTradesPerSecond", baseTradesPerSecond);
        if (!(tradeBranchingRatio >= 0 && tradeBranchingRatio <= 0.95)) {
            throw new IllegalArgumentException("tradeBranchingRatio must be in 0..0.95, was " + tradeBranchingRatio);
        }
        positive("tradeExcitationDecayMs", tradeExcitationDecayMs);
        positive("dailyVolatility", dailyVolatility);
        positive("meanRegimeMinutes", meanRegimeMinutes);
        if (!(positionOpensPerMinute >= 0)) {
            throw new IllegalArgumentException("positionOpensPerMinute must be >= 0, was " + positionOpensPerMinute);
        }
        positive("medianPositionUsd", medianPositionUsd);
        positive("meanPositionLifetimeMinutes", meanPositionLifetimeMinutes);
        positive("bookDepthUsd", bookDepthUsd);
        if (!(liquidationImpact >= 0)) {
            throw new IllegalArgumentException("liquidationImpact must be >= 0, was " + liquidationImpact);
        }
    }

    /** Three instruments (SIM:BTCUSDT, SIM:ETHUSDT, SIM:SOLUSDT), top-20 books every 2 s, ~2 trades/s each. */
    public static SimulatorConfig defaults(long seed, long startTimeMs) {
        return new SimulatorConfig(seed, startTimeMs, List.of("SIM:BTCUSDT", "SIM:ETHUSDT", "SIM:SOLUSDT"),
                2_000, 20, 0.55, 0.5, 4_000, 0.035, 45, 12, 15_000, 45, 2_500_000, 0.02, List.of());
    }

    public SimulatorConfig withSeed(long value) {
        return new SimulatorConfig(value, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withStartTimeMs(long value) {
        return new SimulatorConfig(seed, value, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withInstruments(List<String> value) {
        return new SimulatorConfig(seed, startTimeMs, value, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withBookIntervalMs(long value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, value, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withBookDepth(int value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, value, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withBaseTradesPerSecond(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, value,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withTradeBranchingRatio(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                value, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withDailyVolatility(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, value, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withMeanRegimeMinutes(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, value,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withPositionOpensPerMinute(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                value, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withMedianPositionUsd(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, value, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withBookDepthUsd(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, value,
                liquidationImpact, shifts);
    }

    public SimulatorConfig withLiquidationImpact(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                value, shifts);
    }

    /**
     * One scripted shift at {@code timeMs}, the first of {@link ShiftKind#cycle}: the same as
     * {@code withShiftsAt(List.of(timeMs))}. {@link #NO_REGIME_SHIFT} removes every shift.
     */
    public SimulatorConfig withRegimeShiftAt(long timeMs) {
        return timeMs == NO_REGIME_SHIFT ? withShifts(List.of()) : withShiftsAt(List.of(timeMs));
    }

    /**
     * Scripted shifts at the given event times (strictly increasing), the i-th moving the market to
     * {@code ShiftKind.cycle(i)}: the documented cycle of structures (docs/SIMULATOR.md).
     */
    public SimulatorConfig withShiftsAt(List<Long> timesMs) {
        Objects.requireNonNull(timesMs, "timesMs");
        List<ScriptedShift> list = new java.util.ArrayList<>(timesMs.size());
        for (int i = 0; i < timesMs.size(); i++) {
            list.add(new ScriptedShift(timesMs.get(i), ShiftKind.cycle(i)));
        }
        return withShifts(list);
    }

    /** Scripted shifts at the given event times (strictly increasing), each to the kind at the same position. */
    public SimulatorConfig withShiftsAt(List<Long> timesMs, List<ShiftKind> kinds) {
        Objects.requireNonNull(timesMs, "timesMs");
        Objects.requireNonNull(kinds, "kinds");
        if (timesMs.size() != kinds.size()) {
            throw new IllegalArgumentException("shifts need one kind per time, got " + timesMs.size() + " times and "
                    + kinds.size() + " kinds");
        }
        List<ScriptedShift> list = new java.util.ArrayList<>(timesMs.size());
        for (int i = 0; i < timesMs.size(); i++) {
            list.add(new ScriptedShift(timesMs.get(i), kinds.get(i)));
        }
        return withShifts(list);
    }

    public SimulatorConfig withShifts(List<ScriptedShift> value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, value);
    }

    /** Event time of the first scripted shift, {@link #NO_REGIME_SHIFT} without one. */
    public long regimeShiftAtMs() {
        return shifts.isEmpty() ? NO_REGIME_SHIFT : shifts.get(0).atMs();
    }

    /** The market structure in force at {@code timeMs}: the kind of the latest shift at or before it, else BASE. */
    public ShiftKind structureAt(long timeMs) {
        ShiftKind kind = ShiftKind.BASE;
        for (ScriptedShift s : shifts) {
            if (s.atMs() > timeMs) {
                break;
            }
            kind = s.kind();
        }
        return kind;
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
