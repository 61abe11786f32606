package io.riptide.feed.sim;

/**
 * The market structures a scripted shift can move the simulator to (docs/SIMULATOR.md, "Scripted shifts"). A shift
 * changes how the crowd sizes its positions, so the same market state (volatility, books, recent liquidations) leads
 * to a different liquidation risk: concept drift, not only more or fewer liquidations.
 */
public enum ShiftKind {
    /** The unshifted market: leverage drawn independently of the market state; risk follows volatility. */
    BASE,
    /**
     * Volatility targeting: new positions' leverage is multiplied by (perceived volatility / base volatility)^-2,
     * perceived volatility being the instant volatility averaged over 5 minutes (clamped to 1.5x..125x). Calm
     * markets fill up with tightly liquidated positions and volatile ones deleverage, so risk moves from volatile to
     * calm regimes and a liquidation burst at a breakout is followed by quiet rather than by more liquidations.
     */
    CALM_LEVERAGE,
    /**
     * The original single shift: 3x leverage (capped at 125x), 60 % book depth, 30 % wider spreads. More
     * liquidations everywhere, but the same states stay the risky ones: little concept drift (measured).
     */
    LEVERAGE_UP;

    /**
     * The structure the i-th scripted shift (0-based) of {@link SimulatorConfig#withShiftsAt(java.util.List)} moves
     * to: CALM_LEVERAGE, BASE, CALM_LEVERAGE, BASE, ... Every shift inverts how risk depends on volatility, so every
     * shift invalidates the model trained on the phase before it.
     */
    public static ShiftKind cycle(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("shift index must be >= 0, was " + index);
        }
        return index % 2 == 0 ? CALM_LEVERAGE : BASE;
    }
}
