package io.riptide.trigger.store;

import java.util.List;
import java.util.Map;

/**
 * A row of ml_models.
 *
 * @param calibration the calibrator fitted with the model, as {@code Calibrator.toBytes()} text ("none" for none)
 */
public record StoredModel(long id, String modelKey, int version, String format, String sha256, String featureSetId,
                          String featureSetHash, List<String> featureNames, byte[] artifact, Map<String, Double> metrics,
                          List<Map<String, Object>> referenceDistributions, long trainingExamples,
                          long trainedFromMs, long trainedToMs, String status, long createdAtMs, String calibration) {
}
