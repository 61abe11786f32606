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
 * @param regimeShiftAtMs           event time of the scripted structural shift (Long.MAX_VALUE: none); from then on
 *                                  traders use more leverage and books are thinner, so the same volatility leads to
 *                                  more liquidations
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
        long regimeShiftAtMs) {

    /** No scripted regime shift. */
    public static final long NO_REGIME_SHIFT = Long.MAX_VALUE;

    /**
     * A label threshold that gives a 15-minute-ahead positive rate of roughly 10-40 % with the default parameters:
     * "liquidation notional in the next 15 minutes above this many USD".
     */
    public static final double SUGGESTED_LIQUIDATION_THRESHOLD_USD = 100_000;

    public SimulatorConfig {
        Objects.requireNonNull(instruments, "instruments");
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
                2_000, 20, 0.55, 0.5, 4_000, 0.035, 45, 12, 15_000, 45, 2_500_000, 0.02, NO_REGIME_SHIFT);
    }

    public SimulatorConfig withSeed(long value) {
        return new SimulatorConfig(value, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withStartTimeMs(long value) {
        return new SimulatorConfig(seed, value, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withInstruments(List<String> value) {
        return new SimulatorConfig(seed, startTimeMs, value, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withBookIntervalMs(long value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, value, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withBookDepth(int value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, value, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withBaseTradesPerSecond(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, value,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withTradeBranchingRatio(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                value, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withDailyVolatility(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, value, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withMeanRegimeMinutes(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, value,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withPositionOpensPerMinute(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                value, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withMedianPositionUsd(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, value, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withBookDepthUsd(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, value,
                liquidationImpact, regimeShiftAtMs);
    }

    public SimulatorConfig withLiquidationImpact(double value) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                value, regimeShiftAtMs);
    }

    public SimulatorConfig withRegimeShiftAt(long timeMs) {
        return new SimulatorConfig(seed, startTimeMs, instruments, bookIntervalMs, bookDepth, baseTradesPerSecond,
                tradeBranchingRatio, tradeExcitationDecayMs, dailyVolatility, meanRegimeMinutes,
                positionOpensPerMinute, medianPositionUsd, meanPositionLifetimeMinutes, bookDepthUsd,
                liquidationImpact, timeMs);
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
