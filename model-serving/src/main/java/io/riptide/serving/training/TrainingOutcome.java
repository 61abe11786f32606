package io.riptide.serving.training;

import io.riptide.serving.Calibrator;
import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.metrics.BinaryMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metrics and reference distributions of a freshly trained model; shared by the trainers. */
final class TrainingOutcome {

    static final int REFERENCE_BINS = FeatureDistribution.REFERENCE_BINS;

    private TrainingOutcome() {
    }

    static TrainingResult of(ModelArtifact artifact, Model model, Dataset train, Dataset validation, int bestIteration,
                             String calibration) {
        Dataset eval = validation != null && validation.rows() > 0 ? validation : train;
        double[] evalScores = new double[eval.rows()];
        model.predictBatch(eval.matrix(), eval.rows(), evalScores);
        double eceRaw = BinaryMetrics.ece(evalScores, eval.labels(), 10);
        Calibrator calibrator = Calibrator.fit(calibration, evalScores, eval.labels());
        for (int i = 0; i < evalScores.length; i++) {
            evalScores[i] = calibrator.apply(evalScores[i]);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(BinaryMetrics.all(evalScores, eval.labels(), 0.5));
        metrics.put("ece_uncalibrated", eceRaw);
        metrics.put("rows_train", (double) train.rows());
        metrics.put("rows_eval", (double) eval.rows());
        metrics.put("positives_train", (double) train.positives());
        metrics.put("best_iteration", (double) bestIteration);
        metrics.replaceAll((k, v) -> v);

        double[] trainScores = new double[train.rows()];
        model.predictBatch(train.matrix(), train.rows(), trainScores);
        for (int i = 0; i < trainScores.length; i++) {
            trainScores[i] = calibrator.apply(trainScores[i]);
        }
        List<FeatureDistribution> distributions = new ArrayList<>();
        int cols = train.cols();
        double[] column = new double[train.rows()];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < train.rows(); r++) {
                column[r] = train.matrix()[r * cols + c];
            }
            distributions.add(FeatureDistribution.of(train.featureNames().get(c), column, REFERENCE_BINS));
        }
        distributions.add(FeatureDistribution.of("score", trainScores, REFERENCE_BINS));
        return new TrainingResult(artifact, withoutNaN(metrics), distributions, bestIteration, calibrator);
    }

    /** Map.copyOf accepts NaN values, but JSON consumers do not; an undefined metric (one class) is left out. */
    private static Map<String, Double> withoutNaN(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (!v.isNaN()) {
                out.put(k, v);
            }
        });
        return out;
    }

    static void requireTrainable(Dataset train, Dataset validation) {
        if (train == null || train.rows() == 0) {
            throw new IllegalArgumentException("training set is empty");
        }
        int positives = train.positives();
        if (positives == 0 || positives == train.rows()) {
            throw new IllegalArgumentException("training set has only one class (" + positives + " positives of "
                    + train.rows() + " rows)");
        }
        if (validation != null && !validation.featureNames().equals(train.featureNames())) {
            throw new IllegalArgumentException("validation features " + validation.featureNames()
                    + " differ from training features " + train.featureNames());
        }
    }
}
