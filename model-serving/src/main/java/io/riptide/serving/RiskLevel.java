package io.riptide.serving;

/** Coarse risk bands of a liquidation probability; thresholds come from {@link RiskLevels}. */
public enum RiskLevel {
    LOW, MEDIUM, HIGH, CRITICAL
}
