package io.riptide.topology.internal;

import io.riptide.schemas.avro.RiskLevel;

/**
 * When a prediction becomes an alert for people: once per episode, not at every bar. An episode of an instrument
 * and horizon starts when its risk rises to HIGH or CRITICAL and alerts then (and once more if it climbs from HIGH
 * to CRITICAL); it ends when the risk falls back to LOW, which re-arms the alert. While the risk stays high, or
 * wavers between MEDIUM and HIGH, nothing new is raised: the trading topics carry every prediction, the alert
 * topic carries what someone should act on.
 */
final class AlertPolicy {
    private AlertPolicy() {
    }

    /**
     * @param raised the highest level alerted in the current episode (LOW when none is open)
     * @return the episode's highest alerted level after this prediction
     */
    static RiskLevel next(RiskLevel raised, RiskLevel level) {
        if (level == RiskLevel.LOW) {
            return RiskLevel.LOW;
        }
        return alerts(raised, level) ? level : raised;
    }

    /** Whether a prediction at {@code level} alerts, given the highest level already alerted in its episode. */
    static boolean alerts(RiskLevel raised, RiskLevel level) {
        return level.ordinal() >= RiskLevel.HIGH.ordinal() && level.ordinal() > raised.ordinal();
    }
}
