package io.riptide.serving;

/**
 * One scored row, marked with where it came from.
 *
 * @param probability  calibrated probability in [0,1]
 * @param confidence   {@link RiskLevels#confidence(double)}
 * @param risk         band of the probability
 * @param modelKey     the key that served, e.g. {@code liquidation-15m@BINANCE:BTCUSDT}, or
 *                     {@link ModelSelector#RULE_BASED_KEY}
 * @param modelVersion version of the serving model ("rule-based" for the fallback)
 * @param fallbackLevel 0 = instrument key, 1 = regime key, 2 = global key, 3 = rule-based fallback
 */
public record Prediction(double probability, double confidence, RiskLevel risk, String modelKey, String modelVersion,
                         int fallbackLevel) {

    /** Whether a less specific model than the instrument's own served this prediction. */
    public boolean fellBack() {
        return fallbackLevel > 0;
    }

    /** Whether the rule-based model served because no trained model exists for the task. */
    public boolean ruleBased() {
        return fallbackLevel == ModelSelector.LEVEL_RULE_BASED;
    }
}
