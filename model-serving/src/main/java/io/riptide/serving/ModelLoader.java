package io.riptide.serving;

import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.NativeLightGbmModel;
import io.riptide.serving.internal.NativeXgBoostModel;
import io.riptide.serving.internal.TreeEvaluator;
import io.riptide.serving.internal.XgBoostJavaModel;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Turns an artifact into a serving {@link Model}, or refuses it with a reason.
 *
 * <p>A refusal never touches what is serving now: callers keep their current model and record the reason.
 * Checks, in order: the artifact's size (at most {@link #MAX_ARTIFACT_BYTES}), the sha256 of the bytes, the
 * feature-set hash, that the model parses and passes every structural check of its format (see
 * {@code docs/MODELS.md}, "Safe loading"), its feature count, and sanity predictions (zeros, all-NaN, extreme and
 * random rows) that must be finite and within [0,1].
 *
 * <p>Whatever goes wrong while parsing, building or sanity-predicting becomes a {@link ModelRejectedException}
 * with a one-line reason ({@link #rejected}): the artifact is untrusted input and no failure of it may reach the
 * stream thread. The native path first runs the pure-Java reader on the same bytes and hands the native library
 * only what it accepts: a native loader that crashes on garbage takes the JVM with it, which no catch can undo.
 */
public final class ModelLoader {

    /** The largest artifact the loader reads: {@link BoundedGunzip}'s default cap on an inflated artifact. */
    public static final int MAX_ARTIFACT_BYTES = BoundedGunzip.DEFAULT_MAX_BYTES;

    /** Reasons are one line; a longer one (a quoted input, say) is cut. */
    private static final int MAX_REASON_LENGTH = 300;

    private ModelLoader() {
    }

    /**
     * Loads on the default serving path: the pure-Java evaluator compiled from the model file, equal to the
     * native libraries (see LightGbmJavaModelTest / XgBoostJavaModelTest) and several times faster per row.
     */
    public static Model load(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                             String servingFeatureSetHash, int numFeatures) throws ModelRejectedException {
        checkArtifact(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash);
        return checked(parsed(artifact, TreeEvaluator.FASTEST), numFeatures);
    }

    /** Loads on the path named by {@code nativePath}: the operator switch between Java and native evaluation. */
    public static Model load(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                             String servingFeatureSetHash, int numFeatures, boolean nativePath)
            throws ModelRejectedException {
        return nativePath
                ? loadNative(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash, numFeatures)
                : load(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash, numFeatures);
    }

    /**
     * Loads on the native library path (LightGBM / XGBoost JNI): a switch for operators and the test oracle. The
     * bytes pass the pure-Java reader's checks first (its branchy evaluator, the cheapest to build, then dropped).
     */
    public static Model loadNative(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                                   String servingFeatureSetHash, int numFeatures) throws ModelRejectedException {
        checkArtifact(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash);
        parsed(artifact, TreeEvaluator.BRANCHES).close();
        Model model;
        try {
            model = switch (artifact.format()) {
                case ModelFormats.LIGHTGBM_TEXT -> NativeLightGbmModel.fromString(text(artifact));
                case ModelFormats.XGBOOST_JSON -> NativeXgBoostModel.fromBytes(artifact.bytes());
                default -> throw new ModelRejectedException("unknown model format '" + artifact.format() + "'");
            };
        } catch (Throwable t) {
            throw rejected("model does not parse as " + artifact.format(), t);
        }
        return checked(model, numFeatures);
    }

    private static Model parsed(ModelArtifact artifact, TreeEvaluator evaluator) throws ModelRejectedException {
        try {
            return switch (artifact.format()) {
                case ModelFormats.LIGHTGBM_TEXT -> LightGbmJavaModel.parse(text(artifact), evaluator);
                case ModelFormats.XGBOOST_JSON -> XgBoostJavaModel.parse(artifact.bytes(), evaluator);
                default -> throw new ModelRejectedException("unknown model format '" + artifact.format() + "'");
            };
        } catch (Throwable t) {
            throw rejected("model does not parse as " + artifact.format(), t);
        }
    }

    /**
     * The one place loading catches Throwable, and what it does with it: the reason the artifact is refused.
     *
     * <ul>
     *   <li>Exceptions (IllegalArgumentException from the checks, NumberFormatException, ClassCastException,
     *       NegativeArraySizeException, ArithmeticException, ...) and errors such as LinkageError: a rejection
     *       naming the failure.</li>
     *   <li>StackOverflowError: a rejection. The loading code is iterative; a recursion this deep can only come
     *       from the input's shape, and the stack has unwound by the time it is caught here.</li>
     *   <li>OutOfMemoryError: a rejection. With the caps ({@link #MAX_ARTIFACT_BYTES}, the parsers' limits) a
     *       bounded input should never get here; if one does, either a cap is wrong for this input, and refusing
     *       it is right, or the heap was already exhausted by something else, and then everything loading
     *       allocated is garbage once this returns and the next allocation outside loading fails on its own, so
     *       nothing is hidden.</li>
     *   <li>Other VirtualMachineErrors (InternalError, UnknownError) and ThreadDeath: re-thrown. They say the JVM
     *       or the thread is going down, which is nothing the artifact did.</li>
     * </ul>
     */
    static ModelRejectedException rejected(String what, Throwable failure) {
        if (failure instanceof ModelRejectedException rejection) {
            return rejection;
        }
        if (failure instanceof VirtualMachineError error && !(error instanceof StackOverflowError)
                && !(error instanceof OutOfMemoryError)) {
            throw error;
        }
        if (failure instanceof ThreadDeath death) {
            throw death;
        }
        return new ModelRejectedException(what + ": " + reason(failure), failure);
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        String reason;
        if (failure.getClass() == IllegalArgumentException.class && message != null) {
            reason = message;
        } else if (failure instanceof StackOverflowError) {
            reason = "nested too deeply (StackOverflowError)";
        } else {
            reason = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        if (reason.length() > 2 * MAX_REASON_LENGTH) {
            reason = reason.substring(0, 2 * MAX_REASON_LENGTH);
        }
        reason = reason.replaceAll("\\s+", " ").strip();
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "...";
    }

    static void checkArtifact(ModelArtifact artifact, String expectedSha256, String artifactFeatureSetHash,
                              String servingFeatureSetHash) throws ModelRejectedException {
        if (artifact == null) {
            throw new ModelRejectedException("no model artifact");
        }
        if (artifact.bytes().length == 0) {
            throw new ModelRejectedException("model artifact is empty");
        }
        if (artifact.bytes().length > MAX_ARTIFACT_BYTES) {
            throw new ModelRejectedException("model artifact is " + artifact.bytes().length + " bytes, over the "
                    + MAX_ARTIFACT_BYTES + " the loader reads");
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
        } catch (Throwable t) {
            try {
                model.close();
            } catch (RuntimeException closing) {
                t.addSuppressed(closing);
            }
            throw rejected("sanity prediction failed", t);
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
