package io.riptide.serving.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rank encoding on hand-written models, against the branchy walk (every rule spelled out): values exactly on
 * a threshold and one ulp either side of it, NaN, zeros and the zero band, infinities, every missing type and
 * default direction, a tree deeper than a block's usual depth, a single-leaf tree, a dummy lane.
 */
class RankForestTest {

    private static final int MISSING_NONE = 0;
    private static final int MISSING_ZERO = 1;
    private static final int MISSING_NAN = 2;
    private static final int DEFAULT_LEFT = 2;

    @Test
    void equalsTheBranchyWalkOnEdgeValues() {
        double[] chain = {-1e300, -2.5, -1e-30, 0.0, 1e-36, 0.75, 0.7500000000000001, 3.0, 1e10, 1e300};
        List<String> trees = new ArrayList<>();
        int[] missingTypes = {MISSING_NONE, MISSING_ZERO, MISSING_NAN};
        // one chain per feature and missing type / default direction, deeper than eight levels
        int t = 0;
        for (int feature = 0; feature < 3; feature++) {
            for (int missing : missingTypes) {
                for (int defaultLeft : new int[] {0, DEFAULT_LEFT}) {
                    trees.add(chainTree(t++, feature, chain, missing << 2 | defaultLeft));
                }
            }
        }
        trees.add(singleLeafTree(t++, 0.125));
        trees.add(chainTree(t++, 1, new double[] {0.0}, MISSING_ZERO << 2));
        String text = model(3, trees);
        LightGbmJavaModel exact = LightGbmJavaModel.parse(text, TreeEvaluator.RANK_LOCKSTEP);
        LightGbmJavaModel lanes = LightGbmJavaModel.parse(text, TreeEvaluator.RANK_LANES);
        LightGbmJavaModel branches = LightGbmJavaModel.parse(text, TreeEvaluator.BRANCHES);
        assertEquals(TreeEvaluator.RANK_LOCKSTEP, exact.evaluator());
        assertEquals(TreeEvaluator.RANK_LANES, lanes.evaluator());
        assertEquals(TreeEvaluator.RANK_LANES, LightGbmJavaModel.parse(text).evaluator(), "the default");
        assertTrue(trees.size() % RankForest.LANES != 0, "the last block has a dummy lane");

        List<Double> pool = new ArrayList<>(List.of(Double.NaN, 0.0, -0.0, 1e-36, -1e-36, 1e-35, -1e-35,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.MIN_VALUE));
        for (double c : chain) {
            pool.add(c);
            pool.add(Math.nextUp(c));
            pool.add(Math.nextDown(c));
        }
        SplittableRandom random = new SplittableRandom(7);
        double[] row = new double[3];
        int differentFromFirstTree = 0;
        for (int i = 0; i < 20_000; i++) {
            for (int f = 0; f < 3; f++) {
                row[f] = pool.get(random.nextInt(pool.size()));
            }
            double expected = branches.rawScore(row, 0);
            assertEquals(expected, exact.rawScore(row, 0), 0.0, () -> "tree order, row " + Arrays.toString(row));
            assertEquals(expected, lanes.rawScore(row, 0), 1e-12, () -> "lane sums, row " + Arrays.toString(row));
            if (expected != branches.rawScore(new double[] {0.0, 0.0, 0.0}, 0)) {
                differentFromFirstTree++;
            }
        }
        assertTrue(differentFromFirstTree > 10_000, "rows reach different leaves: " + differentFromFirstTree);
    }

    @Test
    void modelsWithTooManyRowSlotsUseAnotherEvaluatorWithTheSameScores() {
        // five variants of 6,600 features do not fit the node's 15-bit slot field
        int features = 6_600;
        String text = model(features, List.of(chainTree(0, features - 1, new double[] {0.5, 1.5}, MISSING_NAN << 2)));
        LightGbmJavaModel fastest = LightGbmJavaModel.parse(text);
        assertNotEquals(TreeEvaluator.RANK_LANES, fastest.evaluator());
        assertNotEquals(TreeEvaluator.RANK_LOCKSTEP, fastest.evaluator());
        LightGbmJavaModel branches = LightGbmJavaModel.parse(text, TreeEvaluator.BRANCHES);
        double[] row = new double[features];
        for (double v : new double[] {Double.NaN, 0.0, 0.5, 1.0, 1.5, 2.0}) {
            row[features - 1] = v;
            assertEquals(branches.rawScore(row, 0), fastest.rawScore(row, 0), 0.0, "value " + v);
        }
        // and the evaluator does answer differently for different values
        row[features - 1] = 0.0;
        double low = fastest.rawScore(row, 0);
        row[features - 1] = 2.0;
        assertNotEquals(low, fastest.rawScore(row, 0));
    }

    /** A chain: node i splits {@code feature} at {@code thresholds[i]}, left to leaf i, right to node i + 1. */
    private static String chainTree(int index, int feature, double[] thresholds, int decisionType) {
        int n = thresholds.length;
        StringBuilder split = new StringBuilder();
        StringBuilder threshold = new StringBuilder();
        StringBuilder decision = new StringBuilder();
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        StringBuilder leaves = new StringBuilder();
        for (int i = 0; i < n; i++) {
            split.append(i == 0 ? "" : " ").append(feature);
            threshold.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.17g", thresholds[i]));
            decision.append(i == 0 ? "" : " ").append(decisionType);
            left.append(i == 0 ? "" : " ").append(~i);
            right.append(i == 0 ? "" : " ").append(i + 1 < n ? Integer.toString(i + 1) : Integer.toString(~n));
        }
        for (int i = 0; i <= n; i++) {
            // distinct leaf values per tree and leaf, so that a wrong leaf shows in the sum
            leaves.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.17g", (index + 1) * 0.01 + i * 0.37));
        }
        return "Tree=" + index + "\nnum_leaves=" + (n + 1) + "\nnum_cat=0\nsplit_feature=" + split + "\nthreshold="
                + threshold + "\ndecision_type=" + decision + "\nleft_child=" + left + "\nright_child=" + right
                + "\nleaf_value=" + leaves + "\nshrinkage=1\n\n";
    }

    private static String singleLeafTree(int index, double value) {
        return "Tree=" + index + "\nnum_leaves=1\nnum_cat=0\nleaf_value=" + value + "\nshrinkage=1\n\n";
    }

    private static String model(int features, List<String> trees) {
        return "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx="
                + (features - 1) + "\nobjective=binary sigmoid:1\n\n" + String.join("", trees) + "end of trees\n";
    }
}
