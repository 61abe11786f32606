package io.riptide.serving;

/**
 * Probability thresholds of the risk bands: p < medium is LOW, p < high is MEDIUM, p < critical is HIGH,
 * else CRITICAL. See docs/MODELS.md.
 */
public record RiskLevels(double medium, double high, double critical) {

    public RiskLevels {
        if (!(0 < medium && medium < high && high < critical && critical <= 1)) {
            throw new IllegalArgumentException("risk thresholds must satisfy 0 < medium < high < critical <= 1, got "
                    + medium + ", " + high + ", " + critical);
        }
    }

    /** 0.25 / 0.50 / 0.75. */
    public static RiskLevels defaults() {
        return new RiskLevels(0.25, 0.50, 0.75);
    }

    public RiskLevel levelOf(double probability) {
        if (Double.isNaN(probability)) {
            throw new IllegalArgumentException("probability is NaN");
        }
        if (probability < medium) {
            return RiskLevel.LOW;
        }
        if (probability < high) {
            return RiskLevel.MEDIUM;
        }
        return probability < critical ? RiskLevel.HIGH : RiskLevel.CRITICAL;
    }

    /**
     * How far the probability is from a coin flip, in [0,1]: |2p - 1|. 0 means the model cannot tell, 1 that it
     * is certain either way.
     */
    public static double confidence(double probability) {
        return Math.min(1.0, Math.abs(2.0 * probability - 1.0));
    }
}
