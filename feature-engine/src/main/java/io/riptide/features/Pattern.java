package io.riptide.features;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Candlestick and range-breakout patterns. The feature value is the direction (+1 bullish, -1 bearish, 0 none;
 * a doji is +1 when present, it has no direction); the candle patterns are TA-Lib's CDL functions with their
 * +100/-100 divided by 100 (docs/FEATURES.md). The base confidence is the prior the pattern model starts from.
 * A doji has no direction, so it is a feature and never a trade signal ({@link #signals()}).
 */
public enum Pattern {
    ENGULFING("pattern_engulfing", 0.60, Family.REVERSAL),
    HAMMER("pattern_hammer", 0.55, Family.REVERSAL),
    SHOOTING_STAR("pattern_shooting_star", 0.55, Family.REVERSAL),
    DOJI("pattern_doji", 0.50, Family.NONE),
    MORNING_EVENING_STAR("pattern_morning_evening_star", 0.65, Family.REVERSAL),
    THREE_SOLDIERS_CROWS("pattern_three_soldiers_crows", 0.65, Family.CONTINUATION),
    DONCHIAN_BREAKOUT("breakout_donchian_20", 0.60, Family.BREAKOUT);

    /** What a pattern claims about the next move; its barriers are configured per family. */
    public enum Family {
        /** the move before the pattern turns */
        REVERSAL,
        /** the move the pattern shows goes on */
        CONTINUATION,
        /** price leaves its recent range and keeps going */
        BREAKOUT,
        /** no direction: not a signal */
        NONE;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        /** Where the family's barrier is configured: {@code stream.pattern.<family>.} (docs/CONFIGURATION.md). */
        public String settingsPrefix() { return "stream.pattern." + label() + "."; }
    }

    /** Whether the stream emits pattern signals at all (docs/CONFIGURATION.md). */
    public static final String SIGNALS_SETTING = "stream.pattern.signals";
    /** The default time barrier of every family, in 1-minute bars: the pattern model key {@code pattern-30m}. */
    public static final int DEFAULT_TIME_BARRIER_BARS = 30;
    /** The setting of a family's time barrier, after {@link Family#settingsPrefix()}. */
    public static final String BARS_SETTING = "bars";

    private final String featureName;
    private final double baseConfidence;
    private final Family family;

    Pattern(String featureName, double baseConfidence, Family family) {
        this.featureName = featureName;
        this.baseConfidence = baseConfidence;
        this.family = family;
    }

    public String featureName() { return featureName; }

    public double baseConfidence() { return baseConfidence; }

    public Family family() { return family; }

    /** The patterns that are trade signals: every one with a direction. */
    public static List<Pattern> signals() {
        return Arrays.stream(values()).filter(p -> p.family != Family.NONE).toList();
    }

    /** A pattern completed by a closed bar, with its direction: +1 long, -1 short. */
    public record Fired(Pattern pattern, int direction) {
    }
}
