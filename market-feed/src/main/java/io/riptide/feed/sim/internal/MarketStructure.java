package io.riptide.feed.sim.internal;

import io.riptide.feed.sim.ShiftKind;

/** The numbers behind each {@link ShiftKind}: how the crowd sizes leverage and how liquidity behaves. */
final class MarketStructure {
    static final double MAX_LEVERAGE = 125;
    static final double MIN_LEVERAGE = 1.5;

    final ShiftKind kind;
    /** Leverage multiplier of every new position. */
    final double leverageFactor;
    /** Leverage is further multiplied by perceived volatility (in base units) to this power, negated: vol targeting. */
    final double volTargeting;
    final double depthFactor;
    final double spreadFactor;

    private MarketStructure(ShiftKind kind, double leverageFactor, double volTargeting, double depthFactor,
                            double spreadFactor) {
        this.kind = kind;
        this.leverageFactor = leverageFactor;
        this.volTargeting = volTargeting;
        this.depthFactor = depthFactor;
        this.spreadFactor = spreadFactor;
    }

    private static final MarketStructure BASE = new MarketStructure(ShiftKind.BASE, 1, 0, 1, 1);
    private static final MarketStructure CALM_LEVERAGE = new MarketStructure(ShiftKind.CALM_LEVERAGE, 1, 2, 1, 1);
    private static final MarketStructure LEVERAGE_UP = new MarketStructure(ShiftKind.LEVERAGE_UP, 3, 0, 0.6, 1.3);

    static MarketStructure of(ShiftKind kind) {
        return switch (kind) {
            case BASE -> BASE;
            case CALM_LEVERAGE -> CALM_LEVERAGE;
            case LEVERAGE_UP -> LEVERAGE_UP;
        };
    }

    /**
     * The leverage a trader who would use {@code base} in the unshifted market picks under this structure, given the
     * volatility he perceives in units of the base volatility; BASE leaves it unchanged.
     */
    double leverage(double base, double perceivedVol) {
        if (kind == ShiftKind.BASE) {
            return base;
        }
        double l = base * leverageFactor;
        if (volTargeting != 0) {
            l *= StrictMath.pow(perceivedVol, -volTargeting);
        }
        return Math.max(MIN_LEVERAGE, Math.min(MAX_LEVERAGE, l));
    }
}
