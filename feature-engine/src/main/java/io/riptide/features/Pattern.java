package io.riptide.features;

/**
 * Candlestick and range-breakout patterns. The feature value is the direction (+1 bullish, -1 bearish, 0 none;
 * a doji is +1 when present, it has no direction); the candle patterns are TA-Lib's CDL functions with their
 * +100/-100 divided by 100 (docs/FEATURES.md). The base confidence is the prior the pattern model starts from.
 */
public enum Pattern {
    ENGULFING("pattern_engulfing", 0.60),
    HAMMER("pattern_hammer", 0.55),
    SHOOTING_STAR("pattern_shooting_star", 0.55),
    DOJI("pattern_doji", 0.50),
    MORNING_EVENING_STAR("pattern_morning_evening_star", 0.65),
    THREE_SOLDIERS_CROWS("pattern_three_soldiers_crows", 0.65),
    DONCHIAN_BREAKOUT("breakout_donchian_20", 0.60);

    private final String featureName;
    private final double baseConfidence;

    Pattern(String featureName, double baseConfidence) {
        this.featureName = featureName;
        this.baseConfidence = baseConfidence;
    }

    public String featureName() { return featureName; }

    public double baseConfidence() { return baseConfidence; }
}
