package io.riptide.serving.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.riptide.serving.SyntheticData;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.XgBoostTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.riptide.serving.XgBoostJsonEdits.bytes;
import static io.riptide.serving.XgBoostJsonEdits.ints;
import static io.riptide.serving.XgBoostJsonEdits.keepTrees;
import static io.riptide.serving.XgBoostJsonEdits.model;
import static io.riptide.serving.XgBoostJsonEdits.modelParam;
import static io.riptide.serving.XgBoostJsonEdits.nodeWithLeafChildren;
import static io.riptide.serving.XgBoostJsonEdits.read;
import static io.riptide.serving.XgBoostJsonEdits.tree;
import static io.riptide.serving.XgBoostJsonEdits.trees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The XGBoost reader's checks on real models (hist; exact with pruned, deleted nodes; categorical) with one thing
 * broken at a time, and on hand-written hostile ones.
 */
class XgBoostJsonParserTest {

    private static final int COLS = 5;
    private static byte[] hist;
    private static byte[] pruned;

    @BeforeAll
    static void train() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(10).withMaxDepth(4).withEarlyStoppingRounds(0);
        hist = new XgBoostTrainer().train(SyntheticData.dataset(2_000, COLS, 3), null, p).artifact().bytes();
        pruned = new XgBoostTrainer(Map.of("tree_method", "exact", "gamma", 2.0))
                .train(SyntheticData.dataset(2_000, COLS, 1), null, p.withMaxDepth(6).withNumRounds(20)).artifact()
                .bytes();
    }

    private static String rejection(ObjectNode doc) {
        return rejection(bytes(doc));
    }

    private static String rejection(byte[] json) {
        return assertThrows(IllegalArgumentException.class, () -> XgBoostJavaModel.parse(json)).getMessage();
    }

    private static void setInt(ObjectNode tree, String key, int k, long value) {
        ((ArrayNode) tree.path(key)).set(k, LongNode.valueOf(value));
    }

    private static ObjectNode treeParam(ObjectNode tree) {
        return (ObjectNode) tree.path("tree_param");
    }

    @Test
    void theRealModelsLoadAfterARoundTripThroughTheEditor() {
        assertEquals(10, XgBoostJavaModel.parse(bytes(read(hist))).numTrees());
        assertEquals(20, XgBoostJavaModel.parse(bytes(read(pruned))).numTrees());
    }

    /** Pruning (tree method exact) leaves deleted nodes in the arrays: unreachable, marked, counted. */
    @Test
    void servesAPrunedModelWithDeletedNodesAsTheLibraryDoes() {
        ObjectNode doc = read(pruned);
        int deleted = 0;
        for (int t = 0; t < trees(doc).size(); t++) {
            deleted += Integer.parseInt(tree(doc, t).path("tree_param").path("num_deleted").asText());
        }
        assertTrue(deleted > 0, "the pruned model has deleted nodes");
        double[] rows = EvaluatorRows.rows(3_000, COLS, 9, -1);
        try (NativeXgBoostModel nat = NativeXgBoostModel.fromBytes(pruned)) {
            double[] expected = new double[3_000];
            nat.predictBatchMargin(rows, 3_000, expected);
            for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.FASTEST, TreeEvaluator.LOCKSTEP,
                    TreeEvaluator.BRANCHES}) {
                XgBoostJavaModel java = XgBoostJavaModel.parse(pruned, evaluator);
                for (int i = 0; i < 3_000; i++) {
                    assertEquals(expected[i], java.margin(rows, i * COLS), 1e-5, evaluator + ", row " + i);
                }
            }
        }
        treeParam(tree(doc, 0)).put("num_deleted", "0");
        assertTrue(rejection(doc).startsWith("XGBoost tree 0 has "), rejection(doc));
        assertTrue(rejection(doc).endsWith("deleted nodes, num_deleted says 0"), rejection(doc));
    }

    @Test
    void refusesAChildPointingToAnAncestorOrToItself() {
        ObjectNode doc = read(hist);
        ObjectNode tree = tree(doc, 0);
        setInt(tree, "left_children", nodeWithLeafChildren(tree), 0);
        assertEquals("XGBoost tree 0: node 0 is reachable twice (cycle or shared child)", rejection(doc));
        doc = read(hist);
        setInt(tree(doc, 2), "right_children", 0, 0);
        assertEquals("XGBoost tree 2: node 0 is reachable twice (cycle or shared child)", rejection(doc));
    }

    @Test
    void refusesASharedChildAnOrphanAndParentsThatDisagree() {
        ObjectNode doc = read(hist);
        ObjectNode tree = tree(doc, 1);
        setInt(tree, "left_children", 0, ints(tree, "right_children")[0]);
        assertTrue(rejection(doc).endsWith("is reachable twice (cycle or shared child)"), rejection(doc));

        doc = read(hist);
        tree = tree(doc, 1);
        int k = nodeWithLeafChildren(tree);
        int orphan = ints(tree, "left_children")[k];
        setInt(tree, "left_children", k, -1);
        setInt(tree, "right_children", k, -1);
        assertEquals("XGBoost tree 1: node " + orphan + " is not reachable from the root and not a deleted leaf (orphan)",
                rejection(doc));

        doc = read(hist);
        setInt(tree(doc, 3), "parents", 1, 2);
        assertTrue(rejection(doc).startsWith("XGBoost tree 3: node 0's children"), rejection(doc));
    }

    @Test
    void refusesChildIndexesAndFeaturesOutOfRange() {
        ObjectNode doc = read(hist);
        int n = ints(tree(doc, 0), "left_children").length;
        setInt(tree(doc, 0), "left_children", 0, n);
        assertEquals("XGBoost tree 0: node 0 has left child " + n + ", outside the tree's nodes 0.." + (n - 1),
                rejection(doc));
        doc = read(hist);
        setInt(tree(doc, 0), "split_indices", 0, COLS);
        assertEquals("XGBoost tree 0: node 0 splits on feature 5, outside 0..4", rejection(doc));
        doc = read(hist);
        modelParam(doc).put("num_feature", "4");
        assertTrue(rejection(doc).contains("num_feature=5, the model 4"), rejection(doc));
    }

    @Test
    void refusesCountsThatDisagreeWithTheTrees() {
        ObjectNode doc = read(hist);
        ((ObjectNode) model(doc).path("gbtree_model_param")).put("num_trees", "2147483647");
        assertEquals("XGBoost num_trees is 2147483647, the model has 10 trees", rejection(doc));
        doc = read(hist);
        ((ArrayNode) model(doc).path("tree_info")).remove(0);
        assertEquals("XGBoost tree_info lists 9 trees, the model has 10", rejection(doc));
        doc = read(hist);
        ((ArrayNode) tree(doc, 4).path("parents")).remove(0);
        assertTrue(rejection(doc).startsWith("XGBoost tree 4 has "), rejection(doc));
        assertTrue(rejection(doc).contains("parents for"), rejection(doc));
        doc = read(hist);
        treeParam(tree(doc, 4)).put("num_nodes", "2147483647");
        assertTrue(rejection(doc).contains("num_nodes=2147483647"), rejection(doc));
        doc = read(hist);
        trees(doc).add(tree(doc, 0).deepCopy());
        assertTrue(rejection(doc).contains("num_trees is 10, the model has 11 trees"), rejection(doc));
        keepTrees(doc, 11);
        assertTrue(rejection(doc).startsWith("XGBoost tree 10 has id 0"), rejection(doc));
    }

    @Test
    void refusesValuesOfTheWrongTypeOrSize() {
        ObjectNode doc = read(hist);
        ((ArrayNode) tree(doc, 0).path("left_children")).set(0, TextNode.valueOf("1"));
        assertTrue(rejection(doc).contains("left_children has a value that is not an int"), rejection(doc));
        doc = read(hist);
        setInt(tree(doc, 0), "left_children", 0, 4_294_967_297L);
        assertTrue(rejection(doc).contains("not an int"), "not cut to 1: " + rejection(doc));
        doc = read(hist);
        int leaf = nodeWithLeafChildren(tree(doc, 0));
        leaf = ints(tree(doc, 0), "left_children")[leaf];
        ((ArrayNode) tree(doc, 0).path("split_conditions")).set(leaf, DoubleNode.valueOf(1e39));
        assertTrue(rejection(doc).startsWith("XGBoost tree 0: leaf " + leaf + " has value Infinity"), rejection(doc));
        doc = read(hist);
        setInt(tree(doc, 0), "default_left", 0, 2);
        assertTrue(rejection(doc).contains("default_left of node 0 is 2"), rejection(doc));
        doc = read(hist);
        modelParam(doc).put("base_score", "0x1p-1");
        assertTrue(rejection(doc).contains("is not a number"), rejection(doc));
    }

    @Test
    void refusesDuplicateKeysDeepNestingAndTrailingContent() {
        String text = new String(hist, StandardCharsets.UTF_8);
        String twice = text.replaceFirst("\"left_children\":", "\"left_children\":[1],\"left_children\":");
        assertEquals("XGBoost JSON tree 0 has the key 'left_children' twice",
                rejection(twice.getBytes(StandardCharsets.UTF_8)));
        String deep = "{\"learner\":{\"attributes\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        assertTrue(rejection(deep.getBytes(StandardCharsets.UTF_8)).startsWith("XGBoost model is not JSON"));
        assertEquals("XGBoost JSON has content after the model",
                rejection((text + "{}").getBytes(StandardCharsets.UTF_8)));
        String cut = rejection(text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8));
        assertTrue(cut.startsWith("XGBoost model is not JSON") || cut.contains("truncated"), cut);
    }

    /** What the reader keeps grows with the nodes it accepts, not with the file: a hostile file is cheap to refuse. */
    @Test
    void refusesHugeFilesWithoutKeepingWhatTheyHold() {
        StringBuilder keys = new StringBuilder("{\"learner\":{");
        for (int k = 0; k < 200_000; k++) {
            keys.append("\"k").append(k).append("\":0,");
        }
        String manyKeys = keys.append("\"z\":0}}").toString();
        assertEquals("XGBoost JSON learner has more than 1000 keys", rejection(manyKeys.getBytes(StandardCharsets.UTF_8)));

        StringBuilder skipped = new StringBuilder("{\"learner\":{\"attributes\":{");
        for (int k = 0; k < 300_000; k++) {
            skipped.append("\"k").append(k).append("\":\"").append("v".repeat(20)).append("\",");
        }
        byte[] big = skipped.append("\"z\":0}}}").toString().getBytes(StandardCharsets.UTF_8);
        long before = allocatedByThisThread();
        assertEquals("XGBoost JSON has no learner object", rejection(big));
        long allocated = allocatedByThisThread() - before;
        assertTrue(allocated < 3L * big.length, "skipping " + big.length + " bytes allocated " + allocated);

        ObjectNode doc = read(hist);
        ArrayNode left = (ArrayNode) tree(doc, 0).path("left_children");
        for (int k = 0; k < ModelLimits.MAX_NODES; k++) {
            left.add(-1);
        }
        assertTrue(rejection(doc).contains("left_children takes the model past 1000000 values"), rejection(doc));
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void refusesA10000DeepChainByTheDepthBound() {
        int depth = 10_000;
        int n = 2 * depth + 1;
        int[] left = new int[n];
        int[] right = new int[n];
        int[] parents = new int[n];
        java.util.Arrays.fill(left, -1);
        java.util.Arrays.fill(right, -1);
        parents[0] = Integer.MAX_VALUE;
        for (int i = 0; i < depth; i++) {
            // internal node i: left leaf depth + i, right the next internal node (the last: leaf 2 depth)
            left[i] = depth + i;
            right[i] = i + 1 < depth ? i + 1 : 2 * depth;
            parents[left[i]] = i;
            parents[right[i]] = i;
        }
        ObjectNode doc = read(hist);
        keepTrees(doc, 1);
        ObjectNode tree = tree(doc, 0);
        treeParam(tree).put("num_nodes", Integer.toString(n));
        ArrayNode l = tree.putArray("left_children");
        ArrayNode r = tree.putArray("right_children");
        ArrayNode p = tree.putArray("parents");
        ArrayNode split = tree.putArray("split_indices");
        ArrayNode cond = tree.putArray("split_conditions");
        ArrayNode dl = tree.putArray("default_left");
        ArrayNode type = tree.putArray("split_type");
        for (int k = 0; k < n; k++) {
            l.add(left[k]);
            r.add(right[k]);
            p.add(parents[k]);
            split.add(0);
            cond.add(k < depth ? k * 0.001 : 0.01);
            dl.add(0);
            type.add(0);
        }
        assertTrue(rejection(doc).startsWith("XGBoost tree 0 is deeper than 256 levels"), rejection(doc));
    }

    @Test
    void anEmptyCategorySetCostsNothing() throws Exception {
        ObjectNode doc = read(XgBoostCategoricalTest.train(5, 11));
        ObjectNode tree = tree(doc, 0);
        assertTrue(tree.path("categories_sizes").size() > 0, "tree 0 has categorical splits");
        setInt(tree, "categories_sizes", 0, 0);
        XgBoostJavaModel model = XgBoostJavaModel.parse(bytes(doc));
        assertTrue(model.memoryBytes() < 10_000_000, "no 512 MB bitset for an empty set: " + model.memoryBytes());
        assertTrue(Float.isFinite(model.margin(new double[6], 0)));
        ObjectNode outOfRange = read(XgBoostCategoricalTest.train(5, 11));
        setInt(tree(outOfRange, 0), "categories", 0, XgBoostJavaModel.MAX_CATEGORY);
        assertTrue(rejection(outOfRange).contains("category 16777216 out of range"), rejection(outOfRange));
    }
}
