package io.riptide.topology;

import io.riptide.features.FeatureSet;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/** Small real models for stream tests: a LightGBM model on random rows, and the version record that publishes it. */
final class TestModels {
    private static final Map<String, ModelArtifact> TINY = new ConcurrentHashMap<>();

    private TestModels() {
    }

    /** A 10-round LightGBM model whose score follows the first feature; trained once per feature set. */
    static ModelArtifact tiny(FeatureSet featureSet) {
        return TINY.computeIfAbsent(featureSet.hash(), h -> {
            int rows = 400;
            int cols = featureSet.size();
            double[] x = new double[rows * cols];
            double[] y = new double[rows];
            Random random = new Random(3);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[i * cols + j] = random.nextGaussian();
                }
                y[i] = x[i * cols] > 0 ? 1 : 0;
            }
            return new LightGbmTrainer().train(new Dataset(x, rows, featureSet.names(), y, null, null), null,
                    TrainingParams.defaults().withNumRounds(10)).artifact();
        });
    }

    /** A production version of {@code modelKey} carrying the artifact, unsigned. */
    static ModelVersion version(FeatureSet featureSet, String modelKey, ModelArtifact artifact, int version,
                                String sha256, long trainedAtMs) throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(artifact.bytes());
        }
        return ModelVersion.newBuilder().setModelKey(modelKey).setRole(ModelRole.PRODUCTION)
                .setVersion(version).setFormat(artifact.format()).setSha256(sha256)
                .setFeatureSetId(featureSet.id()).setFeatureSetHash(featureSet.hash())
                .setFeatureNames(featureSet.names()).setTrainedAtMs(trainedAtMs).setPublishedAtMs(trainedAtMs + version)
                .setTrainingExamples(400).setMetrics(Map.of()).setReferenceDistributions(List.of())
                .setArtifactGzip(ByteBuffer.wrap(gzip.toByteArray())).setArtifactBytes(artifact.bytes().length)
                .setReason("test").build();
    }
}
