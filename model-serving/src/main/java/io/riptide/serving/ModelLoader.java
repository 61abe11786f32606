package io.riptide.serving;

import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.NativeLightGbmModel;
import io.riptide.serving.internal.NativeXgBoostModel;
import io.riptide.serving.internal.XgBoostJavaModel;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Turns an artifact into a serving {@link Model}, or refuses it with a reason.
 *
 * <p>A refusal never touches what is serving now: callers keep their current model and record the reason.
 * Checks, in order: the sha256 of the bytes, the feature-set hash, that the model parses, its feature count,
 * and sanity predictions (zeros, all-NaN, extreme and random rows) that must be finite and within [0,1].
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * Loads on the default serving path: the pure-Java evaluator compiled from the model file, equal to the
     * native libraries (see LightGbmJavaModelTest / XgBoostJavaModelTest) and several times faster per row.
     */
    public static Model load(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                             String servingFeatureSetHash, int numFeatures) throws ModelRejectedException {
        checkArtifact(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash);
        Model model;
        try {
            model = switch (artifact.format()) {
                case ModelFormats.LIGHTGBM_TEXT -> LightGbmJavaModel.parse(text(artifact));
                case ModelFormats.XGBOOST_JSON -> XgBoostJavaModel.parse(artifact.bytes());
                default -> throw new ModelRejectedException("unknown model format '" + artifact.format() + "'");
            };
        } catch (RuntimeException e) {
            throw new ModelRejectedException("model does not parse as " + artifact.format() + ": " + e.getMessage(), e);
        }
        return checked(model, numFeatures);
    }

    /** Loads on the path named by {@code nativePath}: the operator switch between Java and native evaluation. */
    public static Model load(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                             String servingFeatureSetHash, int numFeatures, boolean nativePath)
            throws ModelRejectedException {
        return nativePath
                ? loadNative(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash, numFeatures)
                : load(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash, numFeatures);
    }

    /** Loads on the native library path (LightGBM / XGBoost JNI): a switch for operators and the test oracle. */
    public static Model loadNative(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                                   String servingFeatureSetHash, int numFeatures) throws ModelRejectedException {
        checkArtifact(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash);
        Model model;
        try {
            model = switch (artifact.format()) {
                case ModelFormats.LIGHTGBM_TEXT -> NativeLightGbmModel.fromString(text(artifact));
                case ModelFormats.XGBOOST_JSON -> NativeXgBoostModel.fromBytes(artifact.bytes());
                default -> throw new ModelRejectedException("unknown model format '" + artifact.format() + "'");
            };
        } catch (RuntimeException e) {
            throw new ModelRejectedException("model does not parse as " + artifact.format() + ": " + e.getMessage(), e);
        }
        return checked(model, numFeatures);
    }

    static void checkArtifact(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                              String servingFeatureSetHash) throws ModelRejectedException {
        if (artifact == null) {
            throw new ModelRejectedException("no model artifact");
        }
        if (artifact.bytes().length == 0) {
            throw new ModelRejectedException("model artifact is empty");
        }
        if (expectedSha256 == null || expectedSha256.isBlank()) {
            throw new ModelRejectedException("no expected sha256 given for the model artifact");
        }
        String actual = artifact.sha256();
        if (!actual.equalsIgnoreCase(expectedSha256.trim())) {
            throw new ModelRejectedException("sha256 mismatch: expected " + expectedSha256 + ", artifact has " + actual);
        }
        if (artifactFeatureSetHash == null || !artifactFeatureSetHash.equals(servingFeatureSetHash)) {
            throw new ModelRejectedException("feature-set hash mismatch: model was trained on " + artifactFeatureSetHash
                    + ", serving computes " + servingFeatureSetHash);
        }
    }

    static String text(ModelArtifact artifact) {
        return new String(artifact.bytes(), StandardCharsets.UTF_8);
    }

    /** Checks the feature count and sanity predictions; closes the model and rejects it on any failure. */
    static Model checked(Model model, int numFeatures) throws ModelRejectedException {
        try {
            if (model.numFeatures() != numFeatures) {
                throw new ModelRejectedException("feature count mismatch: model expects " + model.numFeatures()
                        + " features, serving provides " + numFeatures);
            }
            sanityCheck(model, numFeatures);
            return model;
        } catch (ModelRejectedException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            model.close();
            throw new ModelRejectedException("sanity prediction failed: " + e.getMessage(), e);
        }
    }

    private static void sanityCheck(Model model, int n) throws ModelRejectedException {
        double[][] rows = new double[6][n];
        java.util.Arrays.fill(rows[1], Double.NaN);
        java.util.Arrays.fill(rows[2], 1.0);
        java.util.Arrays.fill(rows[3], 1e30);
        java.util.Arrays.fill(rows[4], -1e30);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            rows[5][i] = random.nextDouble(-3, 3);
        }
        String[] names = {"all zeros", "all NaN", "all ones", "all +1e30", "all -1e30", "random"};
        double[] flat = new double[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            double p = model.predict(rows[r]);
            requireProbability(p, names[r] + " row (single)");
            System.arraycopy(rows[r], 0, flat, r * n, n);
        }
        double[] out = new double[rows.length];
        model.predictBatch(flat, rows.length, out);
        for (int r = 0; r < rows.length; r++) {
            requireProbability(out[r], names[r] + " row (batch)");
        }
    }

    private static void requireProbability(double p, String what) throws ModelRejectedException {
        if (!Double.isFinite(p) || p < 0.0 || p > 1.0) {
            throw new ModelRejectedException("sanity prediction for the " + what + " is " + p
                    + ", not a probability in [0,1]");
        }
    }
}
