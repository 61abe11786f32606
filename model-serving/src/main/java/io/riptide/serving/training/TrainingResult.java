package io.riptide.serving.training;

import io.riptide.serving.Calibrator;
import io.riptide.serving.ModelArtifact;

import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param artifact               the model bytes (format named inside)
 * @param metrics                {@link io.riptide.serving.metrics.BinaryMetrics#all} keys on the evaluation set,
 *                               plus {@code rows_train}, {@code rows_eval}, {@code positives_train}
 * @param referenceDistributions quantile bins of every feature (training set) and of the score ("score")
 * @param bestIteration          number of boosting rounds kept in the artifact
 * @param calibrator             fitted on the evaluation scores (identity when none was asked for); store
 *                               {@link Calibrator#toBytes()} next to the artifact and wrap the loaded model in
 *                               {@link io.riptide.serving.CalibratedModel}. Metrics are of calibrated scores.
 */
public record TrainingResult(ModelArtifact artifact, Map<String, Double> metrics,
                             List<FeatureDistribution> referenceDistributions, int bestIteration,
                             Calibrator calibrator) {

    public TrainingResult {
        metrics = Map.copyOf(metrics);
        referenceDistributions = List.copyOf(referenceDistributions);
        calibrator = calibrator == null ? Calibrator.identity() : calibrator;
    }

    /** Without calibration. */
    public TrainingResult(ModelArtifact artifact, Map<String, Double> metrics,
                          List<FeatureDistribution> referenceDistributions, int bestIteration) {
        this(artifact, metrics, referenceDistributions, bestIteration, Calibrator.identity());
    }

    /** The distribution with this name; throws when there is none. */
    public FeatureDistribution distribution(String name) {
        return referenceDistributions.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reference distribution named " + name));
    }
}
