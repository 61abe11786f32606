package io.riptide.serving.internal;

import io.riptide.serving.LightGbmTextEdits;
import io.riptide.serving.SyntheticData;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.riptide.serving.LightGbmTextEdits.field;
import static io.riptide.serving.LightGbmTextEdits.firstTrees;
import static io.riptide.serving.LightGbmTextEdits.trees;
import static io.riptide.serving.LightGbmTextEdits.withElement;
import static io.riptide.serving.LightGbmTextEdits.withField;
import static io.riptide.serving.LightGbmTextEdits.withMatchingTreeSizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LightGBM reader's checks on a real model with one thing broken at a time (tree_sizes kept matching, so that
 * the check under test is the one that fires), and on hand-written hostile models.
 */
class LightGbmTextParserTest {

    private static final int COLS = 6;
    private static String text;

    @BeforeAll
    static void train() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(20).withNumLeaves(15).withEarlyStoppingRounds(0);
        text = new String(new LightGbmTrainer().train(SyntheticData.dataset(3_000, COLS, 5), null, p).artifact().bytes(),
                StandardCharsets.UTF_8);
    }

    private static String rejection(String model) {
        return assertThrows(IllegalArgumentException.class, () -> LightGbmJavaModel.parse(model)).getMessage();
    }

    /** An internal node of tree 0 other than the root, with an internal child. */
    private static int innerNodeWithInnerChild() {
        String[] left = field(text, 0, "left_child").split(" ");
        for (int k = 1; k < left.length; k++) {
            if (Integer.parseInt(left[k]) >= 0) {
                return k;
            }
        }
        throw new IllegalStateException("tree 0 has no such node");
    }

    @Test
    void theRealModelLoadsAndEveryEditBelowIsTheOnlyChange() {
        assertEquals(20, LightGbmJavaModel.parse(text).numTrees());
        assertEquals(text, withMatchingTreeSizes(text), "tree_sizes as LightGBM wrote it");
    }

    @Test
    void refusesAChildPointingToAnAncestor() {
        int k = innerNodeWithInnerChild();
        String cyclic = withMatchingTreeSizes(withElement(text, 0, "left_child", k, "0"));
        assertEquals("LightGBM tree 0: node 0 is reachable twice (cycle or shared child)", rejection(cyclic));
        String self = withMatchingTreeSizes(withElement(text, 3, "right_child", 0, "0"));
        assertEquals("LightGBM tree 3: node 0 is reachable twice (cycle or shared child)", rejection(self));
    }

    @Test
    void refusesASharedChildAndAnOrphan() {
        String rootRight = field(text, 0, "right_child").split(" ")[0];
        String shared = withMatchingTreeSizes(withElement(text, 0, "left_child", 0, rootRight));
        assertTrue(rejection(shared).endsWith("is reachable twice (cycle or shared child)"), rejection(shared));
    }

    @Test
    void refusesChildIndexesOutOfRange() {
        String pastNodes = withMatchingTreeSizes(withElement(text, 2, "left_child", 0, "14"));
        assertEquals("LightGBM tree 2: node 0 has left child 14, outside the internal nodes 0..13", rejection(pastNodes));
        String pastLeaves = withMatchingTreeSizes(withElement(text, 2, "right_child", 1, "-16"));
        assertTrue(rejection(pastLeaves).contains("(leaf 15), outside the leaves 0..14"), rejection(pastLeaves));
    }

    @Test
    void refusesAModelCutToHalfItsTreesWithTheHeaderLeftAsItWas() {
        String half = firstTrees(text, 10);
        assertEquals("LightGBM tree_sizes lists 20 trees, the text has 10", rejection(half));
        String cutMidTree = text.substring(0, text.indexOf("\nleaf_value=", text.indexOf("Tree=10")));
        assertTrue(rejection(cutMidTree).contains("no 'end of trees' line"), rejection(cutMidTree));
    }

    /**
     * tree_sizes and the sha256 are a LightGBM file's only integrity data, and both are recomputed by whoever
     * edits the file: a consistent smaller model is a valid model. Tampering is for the artifact's signature.
     */
    @Test
    void servesAModelCutToHalfItsTreesWithAMatchingHeaderAsTheSmallerModelItIs() {
        String half = withMatchingTreeSizes(firstTrees(text, 10));
        LightGbmJavaModel java = LightGbmJavaModel.parse(half);
        assertEquals(10, java.numTrees());
        try (NativeLightGbmModel nat = NativeLightGbmModel.fromString(half)) {
            double[] rows = EvaluatorRows.rows(2_000, COLS, 3, -1);
            double[] row = new double[COLS];
            for (int i = 0; i < 2_000; i++) {
                System.arraycopy(rows, i * COLS, row, 0, COLS);
                assertEquals(nat.predictRaw(row), java.predictRaw(row), 1e-12, "row " + i);
            }
        }
    }

    @Test
    void refusesTreeSizesThatDoNotMatchTheBlocks() {
        String longer = withField(text, 1, "shrinkage", "0.050");
        assertTrue(rejection(longer).startsWith("LightGBM tree 1 is "), rejection(longer));
        assertTrue(rejection(longer).contains("bytes, tree_sizes says"), rejection(longer));
    }

    @Test
    void refusesNonFiniteOrHugeLeavesAndNaNThresholds() {
        assertTrue(rejection(withMatchingTreeSizes(withElement(text, 4, "leaf_value", 2, "nan")))
                .startsWith("LightGBM tree 4: leaf 2 has value NaN"));
        assertTrue(rejection(withMatchingTreeSizes(withElement(text, 4, "leaf_value", 0, "1e300")))
                .contains("not a finite number within"));
        assertEquals("LightGBM tree 5: node 1 has a NaN threshold",
                rejection(withMatchingTreeSizes(withElement(text, 5, "threshold", 1, "nan"))));
    }

    @Test
    void refusesFeaturesDecisionTypesAndCountsOutsideTheModel() {
        assertEquals("LightGBM tree 0: node 2 splits on feature 6, outside 0..5",
                rejection(withMatchingTreeSizes(withElement(text, 0, "split_feature", 2, "6"))));
        assertTrue(rejection(withMatchingTreeSizes(withElement(text, 0, "decision_type", 0, "14")))
                .contains("decision_type 14"));
        assertEquals("LightGBM tree 0 split_feature has 13 values, expected 14",
                rejection(withMatchingTreeSizes(withField(text, 0, "split_feature",
                        field(text, 0, "split_feature").replaceFirst(" \\d+$", "")))));
        assertEquals("LightGBM tree 7 has num_leaves=2147483647, outside 1..131072",
                rejection(withMatchingTreeSizes(withField(text, 7, "num_leaves", "2147483647"))));
        assertTrue(rejection(text.replaceFirst("max_feature_idx=5", "max_feature_idx=2147483646"))
                .contains("max_feature_idx is 2147483646"));
        assertTrue(rejection(text.replaceFirst("num_tree_per_iteration=1", "num_tree_per_iteration=2"))
                .contains("num_tree_per_iteration=2"));
    }

    @Test
    void refusesWhatTheNativeLoaderWouldReadDifferently() {
        String stray = text.replaceFirst("\nTree=3\n", "\nstray line\nTree=3\n");
        assertTrue(rejection(stray).contains("'stray line' where tree"), rejection(stray));
        String hex = withMatchingTreeSizes(withElement(text, 0, "threshold", 0, "0x1p-1"));
        assertTrue(rejection(hex).contains("'0x1p-1' is not a number"), rejection(hex));
        String twice = withMatchingTreeSizes(text.replaceFirst("\nshrinkage=1\n", "\nshrinkage=1\nnum_leaves=15\n"));
        assertEquals("LightGBM tree 0 has num_leaves twice", rejection(twice));
        String renumbered = withMatchingTreeSizes(text.replaceFirst("\nTree=2\n", "\nTree=7\n"));
        assertTrue(rejection(renumbered).contains("expected Tree=2"), rejection(renumbered));
        assertTrue(rejection(withMatchingTreeSizes(text.replaceFirst("\nis_linear=0\n", "\nis_linear=1\n")))
                .contains("linear tree"));
    }

    /**
     * Found by ModelArtifactFuzzTest: with tree_sizes the native loader parses trees in parallel threads, where its
     * error on a malformed number, even in a field no evaluator reads, cannot be caught and aborts the JVM
     * ("terminate called without an active exception"); a missing num_cat does the same.
     */
    @Test
    void refusesWhatWouldAbortTheNativeLoaderInFieldsTheEvaluatorsDoNotRead() {
        String weights = field(text, 0, "internal_weight");
        String flipped = withMatchingTreeSizes(withField(text, 0, "internal_weight",
                weights.replaceFirst(" (\\d)", " $1v")));
        assertTrue(rejection(flipped).startsWith("LightGBM tree 0 internal_weight value '"), rejection(flipped));
        assertTrue(rejection(flipped).endsWith("is not a number"), rejection(flipped));
        assertTrue(rejection(withMatchingTreeSizes(withField(text, 2, "shrinkage", "abc"))).contains("shrinkage value"));
        String noNumCat = withMatchingTreeSizes(text.replaceFirst("\nnum_cat=0\n", "\n"));
        assertEquals("LightGBM tree 0 has no num_cat", rejection(noNumCat));
    }

    /** Values are counted before any is cut out, and header lines the reader does not use are not kept. */
    @Test
    void refusesHugeFieldsWithoutCuttingThemUp() {
        String tokens = "0 ".repeat(2_000_000) + "0";
        String huge = withMatchingTreeSizes(withField(text, 0, "leaf_value", tokens));
        long before = allocatedByThisThread();
        assertEquals("LightGBM tree 0 leaf_value has 2000001 values, expected 15", rejection(huge));
        long allocated = allocatedByThisThread() - before;
        assertTrue(allocated < 8L * huge.length(), "refusing " + huge.length() + " chars allocated " + allocated);

        String header = text.replaceFirst("\ntree_sizes=", "\n" + "x=1\n".repeat(500_000) + "tree_sizes=");
        before = allocatedByThisThread();
        assertEquals(20, LightGbmJavaModel.parse(header).numTrees());
        assertTrue(allocatedByThisThread() - before < 30L * header.length(), "a long header is not kept");
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void refusesA10000DeepChainByTheDepthBound() {
        String chain = LightGbmTextEdits.chain(10_000);
        assertTrue(rejection(chain).startsWith("LightGBM tree 0 is deeper than 256 levels"), rejection(chain));
        LightGbmJavaModel deepest = LightGbmJavaModel.parse(LightGbmTextEdits.chain(256));
        LightGbmJavaModel branches = LightGbmJavaModel.parse(LightGbmTextEdits.chain(256), TreeEvaluator.BRANCHES);
        for (double x : new double[] {-1, 0.0005, 0.1005, 0.2555, 0.256, 7, Double.NaN}) {
            assertEquals(branches.predictRaw(new double[] {x}), deepest.predictRaw(new double[] {x}), 0.0, "x " + x);
        }
    }
}
