package io.riptide.topology;

import io.riptide.schemas.avro.RiskLevel;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;

/** Probability cut-offs for risk levels: below {@code medium} is LOW, then MEDIUM, HIGH, CRITICAL. */
public record RiskThresholds(double medium, double high, double critical) {

    public RiskThresholds {
        if (!(0 < medium && medium < high && high < critical && critical < 1)) {
            throw new ConfigException("invalid risk thresholds " + medium + "/" + high + "/" + critical
                    + " (stream.risk.medium/high/critical): need 0 < medium < high < critical < 1");
        }
    }

    public static RiskThresholds from(Settings settings) {
        return new RiskThresholds(
                settings.doubleValue("stream.risk.medium", 0.3, 0, 1),
                settings.doubleValue("stream.risk.high", 0.6, 0, 1),
                settings.doubleValue("stream.risk.critical", 0.85, 0, 1));
    }

    public RiskLevel levelOf(double probability) {
        if (probability >= critical) {
            return RiskLevel.CRITICAL;
        }
        if (probability >= high) {
            return RiskLevel.HIGH;
        }
        return probability >= medium ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }

    /**
     * How far the probability sits from the nearest level boundary, scaled to [0, 1]: a prediction right on a
     * boundary has confidence 0 in its level, one in the middle of its band has confidence 1.
     */
    public double confidenceOf(double probability) {
        double[] edges = {0, medium, high, critical, 1};
        for (int i = 0; i < 4; i++) {
            if (probability <= edges[i + 1] || i == 3) {
                double half = (edges[i + 1] - edges[i]) / 2;
                double centre = edges[i] + half;
                return Math.max(0, Math.min(1, 1 - Math.abs(probability - centre) / half));
            }
        }
        return 0;
    }
}
