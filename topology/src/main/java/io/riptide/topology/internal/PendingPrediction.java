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
    /** What consumers were told (the batch model blended with the online learner, when it is). */
    final double probability;
    /** The batch model's own probability, which drift and performance monitoring judge. */
    final double batchProbability;
    final String regime;
    final double[] features;

    PendingPrediction(String predictionId, long timeMs, int horizonMinutes, String modelKey, int modelVersion,
                      double probability, double batchProbability, String regime, double[] features) {
        this.predictionId = predictionId;
        this.timeMs = timeMs;
        this.horizonMinutes = horizonMinutes;
        this.modelKey = modelKey;
        this.modelVersion = modelVersion;
        this.probability = probability;
        this.batchProbability = batchProbability;
        this.regime = regime;
        this.features = features;
    }

    long horizonEndMs() {
        return timeMs + horizonMinutes * 60_000L;
    }
}
