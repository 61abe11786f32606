package io.riptide.topology.internal;

/**
 * The id of a prediction, of its outcome and of its training example: {@code instrument|15m|barEndMs}, with
 * {@code |shadow} for a shadow model's prediction of the same bar. Stable across runs and restarts, so sinks
 * (PostgreSQL, downstream joins) deduplicate by it.
 */
final class PredictionIds {
    private static final String SHADOW_SUFFIX = "|shadow";

    private PredictionIds() {
    }

    static String of(String instrument, int horizonMinutes, long barEndMs) {
        return instrument + "|" + horizonMinutes + "m|" + barEndMs;
    }

    static String shadow(String predictionId) {
        return predictionId + SHADOW_SUFFIX;
    }

    /** The production id a shadow prediction's id was made from; the id itself for a production one. */
    static String production(String predictionId) {
        return predictionId.endsWith(SHADOW_SUFFIX)
                ? predictionId.substring(0, predictionId.length() - SHADOW_SUFFIX.length()) : predictionId;
    }
}
