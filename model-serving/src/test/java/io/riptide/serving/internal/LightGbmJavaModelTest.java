package io.riptide.serving.internal;

import io.riptide.serving.SyntheticData;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure-Java LightGBM evaluator against the native library, on 10,000 hostile rows per model. */
class LightGbmJavaModelTest {

    private static final int ROWS = 10_000;
    private static final int COLS = 8;

    static Stream<Arguments> models() {
        TrainingParams base = TrainingParams.defaults().withNumRounds(60).withEarlyStoppingRounds(0);
        return Stream.of(
                Arguments.of("shallow, NaN seen in training", base.withNumLeaves(7).withMaxDepth(3), "", false),
                Arguments.of("deep, 63 leaves", base.withNumLeaves(63).withMinDataInLeaf(5), "", false),
                Arguments.of("no NaN in training (missing type None)", base, "", true),
                Arguments.of("zero as missing", base, "zero_as_missing=true", false),
                Arguments.of("missing handling off", base, "use_missing=false", false),
                Arguments.of("categorical feature 3", base.withMinDataInLeaf(5), "categorical_feature=3 cat_smooth=1 "
                        + "min_data_per_group=5 max_cat_threshold=16", false),
                Arguments.of("random forest (average output)", base.withNumRounds(30), "boosting=rf", false),
                Arguments.of("single-leaf trees", base.withNumRounds(5).withMinDataInLeaf(100000), "", false));
    }

    static Dataset trainingData(boolean withoutNaN, long seed) {
        Dataset d = SyntheticData.dataset(4_000, COLS, seed);
        double[] m = d.matrix();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < d.rows(); i++) {
            m[i * COLS + 3] = r.nextInt(0, 30);  // integer-coded categorical column
            if (m[i * COLS + 3] % 3 == 0 && d.labels()[i] == 0 && r.nextDouble() < 0.5) {
                d.labels()[i] = 1.0;
            }
            if (!withoutNaN && d.labels()[i] == 1.0 && r.nextDouble() < 0.4) {
                m[i * COLS + 6] = Double.NaN;  // informative missingness: LightGBM isolates NaN with threshold inf
            }
            if (withoutNaN && Double.isNaN(m[i * COLS + 1])) {
                m[i * COLS + 1] = r.nextGaussian();
            }
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void equalsNativeRawScoreOnHostileRows(String name, TrainingParams params, String extra, boolean withoutNaN) {
        Dataset train = trainingData(withoutNaN, 5);
        String text = new String(new LightGbmTrainer(extra).train(train, null, params).artifact().bytes(),
                StandardCharsets.UTF_8);
        if (extra.contains("categorical")) {
            assertTrue(text.contains("num_cat=1") || text.matches("(?s).*num_cat=[1-9].*"),
                    "model has categorical splits");
        }
        double[] rows = EvaluatorRows.rows(ROWS, COLS, 99, 3);
        LightGbmJavaModel java = LightGbmJavaModel.parse(text);
        try (NativeLightGbmModel nat = NativeLightGbmModel.fromString(text)) {
            double[] expected = new double[ROWS];
            nat.predictBatchRaw(rows, ROWS, expected);
            double[] actual = new double[ROWS];
            java.predictBatchRaw(rows, ROWS, actual);
            double maxDiff = 0;
            int worst = -1;
            for (int i = 0; i < ROWS; i++) {
                double d = Math.abs(expected[i] - actual[i]);
                if (!(d <= maxDiff)) {
                    maxDiff = d;
                    worst = i;
                }
            }
            assertTrue(maxDiff <= 1e-12, name + ": max |java - native| raw = " + maxDiff + " at row " + worst);
            boolean categorical = extra.contains("categorical");
            assertEquals(categorical ? TreeEvaluator.QUICKSCORER : TreeEvaluator.RANK_LANES,
                    java.evaluator(), "rank lanes for numerical models, QuickScorer for categorical ones");
            assertTrue(java.branchFree());
            // every evaluator that adds the leaves in tree order gives LightGBM's raw score, bit for bit, on every row
            for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.RANK_LOCKSTEP, TreeEvaluator.QUICKSCORER,
                    TreeEvaluator.LOCKSTEP, TreeEvaluator.BRANCHES}) {
                LightGbmJavaModel other = LightGbmJavaModel.parse(text, evaluator);
                TreeEvaluator expectedKind = categorical && evaluator != TreeEvaluator.QUICKSCORER
                        ? TreeEvaluator.BRANCHES : evaluator;
                assertEquals(expectedKind, other.evaluator(), name + ": " + evaluator);
                for (int i = 0; i < ROWS; i++) {
                    assertEquals(expected[i], other.rawScore(rows, i * COLS), 0.0, name + ": " + evaluator + ", row " + i);
                }
            }
            // lane sums: the same leaves in another order, so equal within the rounding of the additions
            LightGbmJavaModel lanes = LightGbmJavaModel.parse(text, TreeEvaluator.RANK_LANES);
            assertEquals(categorical ? TreeEvaluator.BRANCHES : TreeEvaluator.RANK_LANES, lanes.evaluator());
            for (int i = 0; i < ROWS; i++) {
                assertEquals(expected[i], lanes.rawScore(rows, i * COLS), 1e-12, name + ": lane sums, row " + i);
            }
            if (name.startsWith("shallow") || name.startsWith("deep")) {
                assertTrue(text.contains(" inf") || text.contains("=inf"), "model has an infinite threshold");
            }
            for (int i = 0; i < ROWS; i++) {
                assertEquals(expected[i], java.rawScoreByBranches(rows, i * COLS), 1e-12, "branchy walk, row " + i);
            }
            double[] row = new double[COLS];
            for (int i = 0; i < 500; i++) {
                System.arraycopy(rows, i * COLS, row, 0, COLS);
                assertEquals(nat.predict(row), java.predict(row), 1e-12, "probability, row " + i);
                assertEquals(nat.predictRaw(row), java.predictRaw(row), 1e-12, "single-row raw, row " + i);
            }
        }
    }

    @Test
    void rejectsTextThatIsNotABinaryModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LightGbmJavaModel.parse("x=1"));
        assertTrue(e.getMessage().contains("max_feature_idx"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LightGbmJavaModel.parse(
                "tree\nversion=v3\nnum_class=1\nmax_feature_idx=1\nobjective=regression\n\nTree=0\nnum_leaves=1\n"
                        + "leaf_value=0.5\n\nend of trees\n"));
        assertTrue(e.getMessage().contains("regression"), e.getMessage());
    }
}
