package io.riptide.serving;

import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoaderTest {

    private static final String HASH = "fs-hash-1";
    private static ModelArtifact artifact;

    @BeforeAll
    static void train() {
        Dataset data = SyntheticData.dataset(2_000, 5, 1);
        artifact = new LightGbmTrainer().train(data, null, TrainingParams.defaults().withNumRounds(20)).artifact();
    }

    @Test
    void loadsAValidArtifactOnBothPaths() throws Exception {
        try (Model model = ModelLoader.load(artifact, artifact.sha256(), HASH, HASH, 5);
             Model nativeModel = ModelLoader.loadNative(artifact, artifact.sha256().toUpperCase(), HASH, HASH, 5)) {
            double[] row = {0.5, -1, 0, 2, Double.NaN};
            double p = model.predict(row);
            assertTrue(p > 0 && p < 1);
            assertEquals(nativeModel.predict(row), p, 1e-12);
            assertEquals(ModelFormats.LIGHTGBM_TEXT, model.format());
            assertTrue(model instanceof io.riptide.serving.internal.LightGbmJavaModel, "Java evaluator by default");
            assertTrue(nativeModel instanceof io.riptide.serving.internal.NativeLightGbmModel);
        }
    }

    @Test
    void loadsXgBoostOnBothPaths() throws Exception {
        Dataset data = SyntheticData.dataset(2_000, 5, 2);
        ModelArtifact xgb = new io.riptide.serving.training.XgBoostTrainer().train(data, null,
                TrainingParams.defaults().withNumRounds(20)).artifact();
        try (Model java = ModelLoader.load(xgb, xgb.sha256(), HASH, HASH, 5, false);
             Model nat = ModelLoader.load(xgb, xgb.sha256(), HASH, HASH, 5, true)) {
            double[] row = {0.5, Double.NaN, 0, 2, -1};
            assertEquals(nat.predict(row), java.predict(row), 1e-6);
            assertEquals(ModelFormats.XGBOOST_JSON, java.format());
        }
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(xgb, xgb.sha256(), HASH, HASH, 4));
        assertTrue(e.getMessage().contains("feature count mismatch"), e.getMessage());
    }

    @Test
    void rejectsWrongSha256() {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(artifact, "00" + artifact.sha256().substring(2), HASH, HASH, 5));
        assertTrue(e.getMessage().startsWith("sha256 mismatch"), e.getMessage());
    }

    @Test
    void rejectsTamperedBytes() {
        byte[] bytes = artifact.bytes().clone();
        bytes[bytes.length / 2] ^= 1;
        ModelArtifact tampered = new ModelArtifact(artifact.format(), bytes);
        assertThrows(ModelRejectedException.class, () -> ModelLoader.load(tampered, artifact.sha256(), HASH, HASH, 5));
    }

    @Test
    void rejectsFeatureSetHashMismatch() {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(artifact, artifact.sha256(), "old-hash", HASH, 5));
        assertTrue(e.getMessage().contains("feature-set hash mismatch"), e.getMessage());
    }

    @Test
    void rejectsFeatureCountMismatch() {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(artifact, artifact.sha256(), HASH, HASH, 6));
        assertTrue(e.getMessage().contains("feature count mismatch"), e.getMessage());
    }

    @Test
    void rejectsBytesThatDoNotParse() {
        ModelArtifact garbage = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT,
                "this is not a model".getBytes(StandardCharsets.UTF_8));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(garbage, garbage.sha256(), HASH, HASH, 5));
        assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
    }

    @Test
    void rejectsUnknownFormat() {
        ModelArtifact onnx = new ModelArtifact("onnx", new byte[] {1, 2, 3});
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(onnx, onnx.sha256(), HASH, HASH, 5));
        assertTrue(e.getMessage().contains("onnx"), e.getMessage());
    }

    @Test
    void rejectsModelWhoseSanityPredictionsAreNotProbabilities() {
        String text = new String(artifact.bytes(), StandardCharsets.UTF_8);
        int tree = text.indexOf("Tree=0");
        int leaves = Integer.parseInt(text.substring(text.indexOf("num_leaves=", tree) + 11,
                text.indexOf('\n', text.indexOf("num_leaves=", tree))));
        int at = text.indexOf("leaf_value=", tree) + "leaf_value=".length();
        String nan = String.join(" ", java.util.Collections.nCopies(leaves, "nan"));
        // tree_sizes holds byte offsets of every tree; without it LightGBM parses the trees one after another
        String broken2 = (text.substring(0, at) + nan + text.substring(text.indexOf('\n', at)))
                .replaceFirst("tree_sizes=[^\n]*\n", "");
        ModelArtifact bad = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, broken2.getBytes(StandardCharsets.UTF_8));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(bad, bad.sha256(), HASH, HASH, 5));
        assertTrue(e.getMessage().contains("sanity") || e.getMessage().contains("parse"), e.getMessage());
    }

    private static ModelRejectedException rejected(ModelArtifact a, boolean nativePath) {
        return assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(a, a.sha256(), HASH, HASH, 5, nativePath));
    }

    @Test
    void refusesACyclicTreeOnBothPathsWithTheJavaReason() {
        String text = new String(artifact.bytes(), StandardCharsets.UTF_8);
        String cyclic = LightGbmTextEdits.withMatchingTreeSizes(LightGbmTextEdits.withElement(text, 0, "right_child", 0, "0"));
        ModelArtifact bad = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, cyclic.getBytes(StandardCharsets.UTF_8));
        for (boolean nativePath : new boolean[] {false, true}) {
            assertEquals("model does not parse as lightgbm-text: LightGBM tree 0: node 0 is reachable twice"
                    + " (cycle or shared child)", rejected(bad, nativePath).getMessage(), "native " + nativePath);
        }
    }

    @Test
    void refusesA10000DeepChainWithoutAStackOverflow() {
        ModelArtifact chain = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT,
                LightGbmTextEdits.chain(10_000).getBytes(StandardCharsets.UTF_8));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(chain, chain.sha256(), HASH, HASH, 1));
        assertTrue(e.getMessage().contains("deeper than 256 levels"), e.getMessage());
    }

    @Test
    void refusesAnArtifactOverTheSizeCapBeforeHashingIt() {
        ModelArtifact huge = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, new byte[ModelLoader.MAX_ARTIFACT_BYTES + 1]);
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelLoader.load(huge, "not checked", HASH, HASH, 5));
        assertEquals("model artifact is 67108865 bytes, over the 67108864 the loader reads", e.getMessage());
    }

    @Test
    void turnsEveryFailureOfTheInputIntoAOneLineRejection() {
        assertEquals("x: nested too deeply (StackOverflowError)",
                ModelLoader.rejected("x", new StackOverflowError()).getMessage());
        assertEquals("x: OutOfMemoryError: Requested array size exceeds VM limit",
                ModelLoader.rejected("x", new OutOfMemoryError("Requested array size exceeds VM limit")).getMessage());
        assertEquals("x: NumberFormatException: For input string: \"abc\"",
                ModelLoader.rejected("x", new NumberFormatException("For input string: \"abc\"")).getMessage());
        assertEquals("x: tree 3: bad", ModelLoader.rejected("x", new IllegalArgumentException("tree 3: bad")).getMessage());
        assertEquals("x: NullPointerException", ModelLoader.rejected("x", new NullPointerException()).getMessage());
        assertEquals("x: line one line two", ModelLoader.rejected("x", new IllegalArgumentException("line one\n  line two"))
                .getMessage());
        assertTrue(ModelLoader.rejected("x", new IllegalArgumentException("y".repeat(5_000))).getMessage().length() < 320);
        ModelRejectedException original = new ModelRejectedException("as it was");
        assertEquals(original, ModelLoader.rejected("x", original));
        assertThrows(InternalError.class, () -> ModelLoader.rejected("x", new InternalError("the JVM is broken")));
    }

    @Test
    void aModelFailingItsSanityPredictionsWithAnErrorIsClosedAndRefused() {
        boolean[] closed = {false};
        Model overflowing = new Model() {
            @Override
            public double predict(double[] features) {
                throw new StackOverflowError();
            }

            @Override
            public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
                throw new StackOverflowError();
            }

            @Override
            public int numFeatures() {
                return 5;
            }

            @Override
            public String format() {
                return "test";
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ModelRejectedException e = assertThrows(ModelRejectedException.class, () -> ModelLoader.checked(overflowing, 5));
        assertEquals("sanity prediction failed: nested too deeply (StackOverflowError)", e.getMessage());
        assertTrue(closed[0], "the refused model is closed");
    }
}
