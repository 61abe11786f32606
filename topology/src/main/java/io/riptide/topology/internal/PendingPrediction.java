package io.riptide.topology.internal;

/**
 * A prediction waiting for its horizon to pass in event time. Liquidation notional in (timeMs, timeMs + horizon]
 * accumulates into {@code realizedNotional}; the features are those the model saw, kept for the training example.
 */
final class PendingPrediction {
    final String predictionId;
    final long timeMs;
    final int horizonMinutes;
    final String modelKey;
    final int modelVersion;
    final double probability;
    final String regime;
    final double[] features;
    double realizedNotional;

    PendingPrediction(String predictionId, long timeMs, int horizonMinutes, String modelKey, int modelVersion,
                      double probability, String regime, double[] features, double realizedNotional) {
        this.predictionId = predictionId;
        this.timeMs = timeMs;
        this.horizonMinutes = horizonMinutes;
        this.modelKey = modelKey;
        this.modelVersion = modelVersion;
        this.probability = probability;
        this.regime = regime;
        this.features = features;
        this.realizedNotional = realizedNotional;
    }

    long horizonEndMs() {
        return timeMs + horizonMinutes * 60_000L;
    }

    /** True when a liquidation at {@code eventTimeMs} falls in this prediction's label window (t, t+h]. */
    boolean covers(long eventTimeMs) {
        return eventTimeMs > timeMs && eventTimeMs <= horizonEndMs();
    }
}
