package io.riptide.serving;

import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.TreeEvaluator;
import io.riptide.serving.internal.XgBoostJavaModel;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.XgBoostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile artifacts through the loader. Five real models are trained here (LightGBM numerical and categorical;
 * XGBoost hist, exact with pruned nodes, and categorical) and 12,000 seeded mutations of them are loaded: byte
 * flips, cuts, duplicated, deleted and swapped lines, numbers replaced (huge, negative, NaN, infinite, malformed),
 * child indexes pointed at the root, an ancestor, the node itself, another node's child or out of range, JSON
 * array elements swapped, removed and duplicated, header fields edited (tree_sizes, num_leaves, num_trees,
 * num_feature, ...), trees dropped or duplicated; tree-local LightGBM edits get a matching tree_sizes half the
 * time, so that the checks behind it are reached too.
 *
 * <p>Every mutant must either be refused with a {@link ModelRejectedException} or load and predict probabilities
 * in [0,1] on rows of NaN, infinities, +/-1e30, +/-MAX_VALUE, zeros and random values, through every pure-Java
 * evaluator (the tree-order ones bit for bit equal, LightGBM's lane sums within rounding), and through the native
 * path, which {@link ModelLoader#loadNative} only hands what the Java reader accepted (the native libraries may
 * crash on garbage: LightGBM aborted the JVM on a malformed number in a field the evaluator does not read, until the
 * reader checked those too); natives may refuse a mutant the Java reader accepted, and must agree with it otherwise
 * (every accepted LightGBM mutant, every second XGBoost one). No other Throwable may escape. The counts (accepted,
 * refused by reason) are printed.
 */
class ModelArtifactFuzzTest {

    private static final long SEED = 20_261_123L;
    private static final String HASH = "fuzz";
    private static final int COLS = 6;
    private static final int CATEGORICAL_COLUMN = 3;

    private record Seed(String name, String format, byte[] bytes, int mutants) {
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyMutantIsRefusedCleanlyOrServesProbabilitiesEverywhere() {
        long start = System.nanoTime();
        List<Seed> seeds = seeds();
        double[][] rows = hostileRows(new SplittableRandom(SEED));
        SplittableRandom random = new SplittableRandom(SEED);
        FuzzTally tally = new FuzzTally();
        for (Seed seed : seeds) {
            ArtifactMutator mutator = seed.format().equals(ModelFormats.LIGHTGBM_TEXT)
                    ? new LightGbmTextMutator(new String(seed.bytes(), StandardCharsets.UTF_8))
                    : new XgBoostJsonMutator(seed.bytes(), COLS);
            for (int i = 0; i < seed.mutants(); i++) {
                ArtifactMutator.Mutant mutant;
                try {
                    mutant = mutator.mutate(random);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the test's own mutator failed on " + seed.name(), e);
                }
                tally.record(seed.format(), seed.name(), mutant, check(seed, mutant, rows, tally));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        tally.print(seconds);
        assertTrue(tally.total >= 10_000, "mutants: " + tally.total);
        assertTrue(tally.failures.isEmpty(), tally.failures.size() + " mutants broke the loader's promise, e.g.:\n"
                + String.join("\n", tally.failures.subList(0, Math.min(10, tally.failures.size()))));
        for (String format : new String[] {ModelFormats.LIGHTGBM_TEXT, ModelFormats.XGBOOST_JSON}) {
            int[] counts = tally.byFormat.get(format);
            assertTrue(counts[0] > 100 && counts[1] > 100, format + ": both outcomes exercised, accepted " + counts[0]
                    + ", refused " + counts[1]);
        }
    }

    /** Null when the mutant was refused cleanly or served well; else what went wrong. */
    private static String check(Seed seed, ArtifactMutator.Mutant mutant, double[][] rows, FuzzTally tally) {
        ModelArtifact artifact = new ModelArtifact(seed.format(), mutant.bytes());
        Model model;
        try {
            model = ModelLoader.load(artifact, artifact.sha256(), HASH, HASH, COLS);
        } catch (ModelRejectedException e) {
            tally.refused(e.getMessage());
            return null;
        } catch (Throwable t) {
            return "load threw " + t;
        }
        try (model) {
            double[] served = probabilities(model, rows, "the loaded model");
            double[] reference = seed.format().equals(ModelFormats.LIGHTGBM_TEXT)
                    ? lightGbmVariantsAgree(new String(mutant.bytes(), StandardCharsets.UTF_8), rows, served)
                    : xgBoostVariantsAgree(mutant.bytes(), rows);
            nativeAgrees(seed, artifact, rows, reference, tally);
            return null;
        } catch (Throwable t) {
            return "serving failed: " + t;
        }
    }

    /** Each row's probability, checked to be in [0,1] and the same alone and in a batch. */
    private static double[] probabilities(Model model, double[][] rows, String what) {
        double[] single = new double[rows.length];
        double[] flat = new double[rows.length * COLS];
        for (int r = 0; r < rows.length; r++) {
            single[r] = model.predict(rows[r]);
            if (!(single[r] >= 0.0 && single[r] <= 1.0)) {
                throw new AssertionError(what + " predicts " + single[r] + " for row " + Arrays.toString(rows[r]));
            }
            System.arraycopy(rows[r], 0, flat, r * COLS, COLS);
        }
        double[] batch = new double[rows.length];
        model.predictBatch(flat, rows.length, batch);
        for (int r = 0; r < rows.length; r++) {
            if (batch[r] != single[r]) {
                throw new AssertionError(what + " predicts " + batch[r] + " in a batch, " + single[r] + " alone, row "
                        + Arrays.toString(rows[r]));
            }
        }
        return single;
    }

    /** Each row's probability from one batch, checked to be in [0,1]: the natives' single rows cost a call each. */
    private static double[] batchProbabilities(Model model, double[][] rows) {
        double[] flat = new double[rows.length * COLS];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * COLS, COLS);
        }
        double[] batch = new double[rows.length];
        model.predictBatch(flat, rows.length, batch);
        for (int r = 0; r < rows.length; r++) {
            if (!(batch[r] >= 0.0 && batch[r] <= 1.0)) {
                throw new AssertionError("the native model predicts " + batch[r] + " for row "
                        + Arrays.toString(rows[r]));
            }
        }
        return batch;
    }

    /**
     * The branchy walk's probabilities, after checking that every other evaluator gives the same raw scores (the
     * tree-order ones bit for bit, lane sums within rounding) and that the served ones are among them.
     */
    private static double[] lightGbmVariantsAgree(String text, double[][] rows, double[] served) {
        LightGbmJavaModel branches = LightGbmJavaModel.parse(text, TreeEvaluator.BRANCHES);
        double[] reference = probabilities(branches, rows, "BRANCHES");
        for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.RANK_LANES, TreeEvaluator.RANK_LOCKSTEP,
                TreeEvaluator.QUICKSCORER, TreeEvaluator.LOCKSTEP}) {
            LightGbmJavaModel variant = LightGbmJavaModel.parse(text, evaluator);
            probabilities(variant, rows, evaluator.name());
            double tolerance = variant.evaluator() == TreeEvaluator.RANK_LANES ? 1e-12 : 0.0;
            for (int r = 0; r < rows.length; r++) {
                double raw = variant.predictRaw(rows[r]);
                double expected = branches.predictRaw(rows[r]);
                if (!(Math.abs(raw - expected) <= tolerance * Math.max(1.0, Math.abs(expected)))) {
                    throw new AssertionError(variant.evaluator() + " raw score " + raw + ", branchy walk " + expected
                            + ", row " + Arrays.toString(rows[r]));
                }
            }
        }
        for (int r = 0; r < rows.length; r++) {
            if (!(Math.abs(served[r] - reference[r]) <= 1e-12)) {
                throw new AssertionError("served " + served[r] + ", branchy walk " + reference[r] + ", row " + r);
            }
        }
        return reference;
    }

    private static double[] xgBoostVariantsAgree(byte[] json, double[][] rows) {
        XgBoostJavaModel branches = XgBoostJavaModel.parse(json, TreeEvaluator.BRANCHES);
        double[] reference = probabilities(branches, rows, "BRANCHES");
        for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.FASTEST, TreeEvaluator.COMPLETE_TREES,
                TreeEvaluator.LOCKSTEP}) {
            XgBoostJavaModel variant = XgBoostJavaModel.parse(json, evaluator);
            probabilities(variant, rows, evaluator.name());
            for (int r = 0; r < rows.length; r++) {
                float margin = variant.margin(rows[r], 0);
                float expected = branches.margin(rows[r], 0);
                if (Float.compare(margin, expected) != 0) {
                    throw new AssertionError(variant.evaluator() + " margin " + margin + ", branchy walk " + expected
                            + ", row " + Arrays.toString(rows[r]));
                }
            }
        }
        return reference;
    }

    /** The native path: refused by the library, or probabilities that agree with the Java reader's. */
    private static void nativeAgrees(Seed seed, ModelArtifact artifact, double[][] rows, double[] reference,
                                     FuzzTally tally) {
        // xgboost4j takes some 10 ms to load even a small model (LightGBM 2 ms): every second XGBoost one is enough
        if (artifact.format().equals(ModelFormats.XGBOOST_JSON) && tally.xgBoostAccepted++ % 2 == 1) {
            return;
        }
        Model nat;
        try {
            nat = ModelLoader.loadNative(artifact, artifact.sha256(), HASH, HASH, COLS);
        } catch (ModelRejectedException e) {
            tally.nativeRefused++;
            return;
        }
        try (nat) {
            double[] p = batchProbabilities(nat, rows);
            double tolerance = artifact.format().equals(ModelFormats.LIGHTGBM_TEXT) ? 1e-12 : 1e-6;
            for (int r = 0; r < rows.length; r++) {
                if (!(Math.abs(p[r] - reference[r]) <= tolerance)) {
                    if (baseScoreEdited(seed, artifact)) {
                        tally.nativeBaseScore++;
                        return;
                    }
                    tally.nativeDisagreed++;
                    throw new AssertionError("native predicts " + p[r] + ", Java " + reference[r] + ", row "
                            + Arrays.toString(rows[r]));
                }
            }
            tally.nativeAgreed++;
        }
    }

    /**
     * Whether an XGBoost mutant's base_score differs from its seed's. The native library reads two spellings its own
     * way: XGBoost 3.1's vector {@code "[5E-1]"}, which the Java reader reads and the bundled xgboost4j 3.0.4 silently
     * takes as 0.5, and scores within a few float ulps of 0 or 1, whose logit it computes in float (the Java reader
     * in double). Known differences of the libraries, not misreadings of a hostile file, so counted apart.
     */
    private static boolean baseScoreEdited(Seed seed, ModelArtifact artifact) {
        return artifact.format().equals(ModelFormats.XGBOOST_JSON)
                && !XgBoostJsonEdits.modelParam(XgBoostJsonEdits.read(artifact.bytes())).path("base_score")
                .equals(XgBoostJsonEdits.modelParam(XgBoostJsonEdits.read(seed.bytes())).path("base_score"));
    }

    /** NaN, infinities, +/-1e30, +/-MAX_VALUE, zeros, tiny values, then random rows with categories in column 3. */
    private static double[][] hostileRows(SplittableRandom r) {
        double[] constants = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -1e30,
            Double.MAX_VALUE, -Double.MAX_VALUE, 1e-36, Double.MIN_VALUE, 1.0};
        double[] odd = {Double.NaN, 0.0, -0.0, 1e-36, 1e30, -1e30, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -1, 31, 32, 1e6, 16777216};
        List<double[]> rows = new ArrayList<>();
        for (double c : constants) {
            double[] row = new double[COLS];
            Arrays.fill(row, c);
            rows.add(row);
        }
        for (int i = 0; i < 20; i++) {
            double[] row = new double[COLS];
            for (int c = 0; c < COLS; c++) {
                double u = r.nextDouble();
                row[c] = u < 0.25 ? odd[r.nextInt(odd.length)]
                        : c == CATEGORICAL_COLUMN ? r.nextInt(0, 30) : r.nextGaussian() * 1.5;
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    private static List<Seed> seeds() {
        Dataset data = SyntheticData.dataset(2_000, COLS, 17);
        Dataset categorical = SyntheticData.dataset(2_000, COLS, 18);
        SplittableRandom r = new SplittableRandom(19);
        double[] m = categorical.matrix();
        for (int i = 0; i < categorical.rows(); i++) {
            m[i * COLS + CATEGORICAL_COLUMN] = r.nextInt(0, 30);
            if (m[i * COLS + CATEGORICAL_COLUMN] % 3 == 0 && r.nextDouble() < 0.5) {
                categorical.labels()[i] = 1.0;
            }
        }
        TrainingParams p = TrainingParams.defaults().withNumRounds(12).withNumLeaves(15).withMaxDepth(4)
                .withEarlyStoppingRounds(0).withMinDataInLeaf(5);
        List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed("LightGBM numerical", ModelFormats.LIGHTGBM_TEXT,
                new LightGbmTrainer().train(data, null, p.withMaxDepth(-1)).artifact().bytes(), 3_000));
        seeds.add(new Seed("LightGBM categorical", ModelFormats.LIGHTGBM_TEXT,
                new LightGbmTrainer("categorical_feature=" + CATEGORICAL_COLUMN + " cat_smooth=1 min_data_per_group=5")
                        .train(categorical, null, p.withMaxDepth(-1)).artifact().bytes(), 3_000));
        seeds.add(new Seed("XGBoost hist", ModelFormats.XGBOOST_JSON,
                new XgBoostTrainer().train(data, null, p).artifact().bytes(), 2_000));
        seeds.add(new Seed("XGBoost exact, pruned", ModelFormats.XGBOOST_JSON,
                new XgBoostTrainer(Map.of("tree_method", "exact", "gamma", 2.0)).train(data, null, p.withMaxDepth(5))
                        .artifact().bytes(), 2_000));
        seeds.add(new Seed("XGBoost categorical", ModelFormats.XGBOOST_JSON, xgBoostCategorical(categorical), 2_000));
        return seeds;
    }

    /** XGBoost with column 3 typed categorical, which the trainer does not offer, through xgboost4j directly. */
    private static byte[] xgBoostCategorical(Dataset data) {
        float[] values = new float[data.matrix().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.matrix()[i];
        }
        float[] labels = new float[data.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (float) data.labels()[i];
        }
        try {
            DMatrix d = new DMatrix(values, data.rows(), COLS, Float.NaN);
            try {
                d.setLabel(labels);
                d.setFeatureTypes(new String[] {"q", "q", "q", "c", "q", "q"});
                Map<String, Object> p = new HashMap<>(Map.of("objective", "binary:logistic", "tree_method", "hist",
                        "max_depth", 4, "eta", 0.3, "nthread", 1, "seed", 3, "verbosity", 0, "max_cat_to_onehot", 4));
                Booster b = XGBoost.train(d, p, 12, new HashMap<>(), null, null);
                try {
                    return b.toByteArray("json");
                } finally {
                    b.dispose();
                }
            } finally {
                d.dispose();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
