package io.riptide.topology.internal;

/**
 * A prediction waiting for its horizon to pass in event time; the features are those the model saw, kept for the
 * training example. Its label is computed at resolution from the liquidations logged in (timeMs, timeMs + horizon].
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

    PendingPrediction(String predictionId, long timeMs, int horizonMinutes, String modelKey, int modelVersion,
                      double probability, String regime, double[] features) {
        this.predictionId = predictionId;
        this.timeMs = timeMs;
        this.horizonMinutes = horizonMinutes;
        this.modelKey = modelKey;
        this.modelVersion = modelVersion;
        this.probability = probability;
        this.regime = regime;
        this.features = features;
    }

    long horizonEndMs() {
        return timeMs + horizonMinutes * 60_000L;
    }
}
