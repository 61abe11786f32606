package io.riptide.serving.internal;

import java.util.Map;
import java.util.Set;

/**
 * One LightGBM tree read from its text block and checked before anything is built from it: the fields LightGBM
 * writes and no others, every array as long as {@code num_leaves} says, a tree shape ({@link TreeShape}), split
 * features within the model's features, known decision types, thresholds that are numbers (category-set indexes
 * at categorical splits), finite leaf values of bounded size and consistent category bitsets.
 *
 * @param numLeaves     leaves; internal nodes are one fewer
 * @param splitFeature  per internal node, the feature it reads
 * @param threshold     per internal node, the threshold, or the index of its category set when categorical
 * @param decisionType  per internal node, LightGBM's decision bits (categorical, default left, missing type)
 * @param left          per internal node, its left child (>= 0 internal node, ~j leaf j)
 * @param right         per internal node, its right child
 * @param leafValue     per leaf, its value
 * @param catBoundaries the start of each category set in {@code catThreshold}, and its end; null without sets
 * @param catThreshold  the category sets' bitset words; null without sets
 */
record LightGbmTree(int numLeaves, int[] splitFeature, double[] threshold, int[] decisionType, int[] left,
                    int[] right, double[] leafValue, int[] catBoundaries, int[] catThreshold) {

    /** LightGBM's own bound on num_leaves (its config check). */
    static final int MAX_LEAVES = 131_072;

    /** Every field {@code Tree::ToString} writes; the native reader stops after this many lines (22). */
    private static final Set<String> FIELDS = Set.of("num_leaves", "num_cat", "split_feature", "split_gain",
            "threshold", "decision_type", "left_child", "right_child", "leaf_value", "leaf_weight", "leaf_count",
            "internal_value", "internal_weight", "internal_count", "cat_boundaries", "cat_threshold", "is_linear",
            "shrinkage", "leaf_const", "num_features", "leaf_features", "leaf_coeff");

    /** Decision bits LightGBM uses: categorical (1), default left (2), missing type None, Zero or NaN (0, 4, 8). */
    private static final int MAX_DECISION_TYPE = 11;

    /**
     * Reads and checks a tree of a model with {@code numFeatures} features, of at most {@code nodeBudget} nodes
     * (internal nodes and leaves: what the model may still hold).
     */
    static LightGbmTree read(LightGbmText.Block block, int numFeatures, int nodeBudget) {
        String tree = "LightGBM tree " + block.index();
        Map<String, String> fields = block.fields();
        for (String key : fields.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException(tree + " has an unknown field '" + StrictNumbers.excerpt(key) + "'");
            }
        }
        int numLeaves = StrictNumbers.parseInt(require(fields, "num_leaves", tree), tree + " num_leaves");
        if (numLeaves < 1 || numLeaves > MAX_LEAVES) {
            throw new IllegalArgumentException(tree + " has num_leaves=" + numLeaves + ", outside 1.." + MAX_LEAVES);
        }
        if (2L * numLeaves - 1 > nodeBudget) {
            throw new IllegalArgumentException(tree + " brings the model over " + ModelLimits.MAX_NODES + " nodes");
        }
        // the native loader requires num_cat of every tree, single leaves included, and aborts without it
        int numCat = StrictNumbers.parseInt(require(fields, "num_cat", tree), tree + " num_cat");
        String linear = fields.getOrDefault("is_linear", "0");
        if (linear.equals("1")) {
            throw new IllegalArgumentException(tree + " is a linear tree; not supported");
        }
        if (!linear.equals("0")) {
            throw new IllegalArgumentException(tree + " has is_linear=" + StrictNumbers.excerpt(linear)
                    + ", not 0 or 1");
        }
        double[] leaves = LightGbmText.doubles(require(fields, "leaf_value", tree), numLeaves, tree + " leaf_value");
        for (int j = 0; j < numLeaves; j++) {
            if (!(Math.abs(leaves[j]) <= ModelLimits.MAX_LEAF_MAGNITUDE)) {
                throw new IllegalArgumentException(tree + ": leaf " + j + " has value " + leaves[j]
                        + ", not a finite number within +/-" + ModelLimits.MAX_LEAF_MAGNITUDE);
            }
        }
        int inner = numLeaves - 1;
        numbers(fields, "leaf_weight", numLeaves, tree);
        numbers(fields, "leaf_count", numLeaves, tree);
        for (String key : new String[] {"split_gain", "internal_value", "internal_weight", "internal_count"}) {
            numbers(fields, key, inner, tree);
        }
        numbers(fields, "shrinkage", 1, tree);
        if (numLeaves == 1) {
            // LightGBM writes the split arrays of a single leaf empty; they may also be left out
            for (String key : new String[] {"split_feature", "threshold", "decision_type", "left_child",
                "right_child"}) {
                optionalCount(fields, key, 0, tree);
            }
            return new LightGbmTree(1, new int[0], new double[0], new int[0], new int[0], new int[0], leaves, null,
                    null);
        }
        int[] splitFeature = LightGbmText.ints(require(fields, "split_feature", tree), inner, tree + " split_feature");
        double[] thresholds = LightGbmText.doubles(require(fields, "threshold", tree), inner, tree + " threshold");
        int[] decision = LightGbmText.ints(require(fields, "decision_type", tree), inner, tree + " decision_type");
        int[] leftChild = LightGbmText.ints(require(fields, "left_child", tree), inner, tree + " left_child");
        int[] rightChild = LightGbmText.ints(require(fields, "right_child", tree), inner, tree + " right_child");
        TreeShape.checkLightGbm(tree, numLeaves, leftChild, rightChild);
        if (numCat < 0 || numCat > inner) {
            throw new IllegalArgumentException(tree + " has num_cat=" + numCat + ", outside 0.." + inner);
        }
        int[] catBoundaries = null;
        int[] catThreshold = null;
        if (numCat > 0) {
            catBoundaries = LightGbmText.ints(require(fields, "cat_boundaries", tree), numCat + 1,
                    tree + " cat_boundaries");
            for (int c = 0; c <= numCat; c++) {
                int previous = c == 0 ? 0 : catBoundaries[c - 1];
                if (catBoundaries[c] < previous || (c == 0 && catBoundaries[0] != 0)) {
                    throw new IllegalArgumentException(tree + " cat_boundaries do not start at 0 and ascend");
                }
            }
            String[] words = LightGbmText.values(require(fields, "cat_threshold", tree), catBoundaries[numCat],
                    tree + " cat_threshold");
            catThreshold = new int[words.length];
            for (int w = 0; w < words.length; w++) {
                catThreshold[w] = StrictNumbers.parseWord(words[w], tree + " cat_threshold");
            }
        }
        for (int k = 0; k < inner; k++) {
            int f = splitFeature[k];
            if (f < 0 || f >= numFeatures) {
                throw new IllegalArgumentException(tree + ": node " + k + " splits on feature " + f + ", outside 0.."
                        + (numFeatures - 1));
            }
            int dt = decision[k];
            if (dt < 0 || dt > MAX_DECISION_TYPE) {
                throw new IllegalArgumentException(tree + ": node " + k + " has decision_type " + dt
                        + ", not a LightGBM decision (0.." + MAX_DECISION_TYPE + ")");
            }
            double th = thresholds[k];
            if ((dt & LightGbmJavaModel.CATEGORICAL_MASK) != 0) {
                if (!(th >= 0 && th < numCat && th == Math.rint(th))) {
                    throw new IllegalArgumentException(tree + ": categorical node " + k + " names category set " + th
                            + ", the tree has " + numCat);
                }
            } else if (Double.isNaN(th)) {
                throw new IllegalArgumentException(tree + ": node " + k + " has a NaN threshold");
            }
        }
        return new LightGbmTree(numLeaves, splitFeature, thresholds, decision, leftChild, rightChild, leaves,
                catBoundaries, catThreshold);
    }

    /** Whether any split is categorical. */
    boolean categorical() {
        for (int dt : decisionType) {
            if ((dt & LightGbmJavaModel.CATEGORICAL_MASK) != 0) {
                return true;
            }
        }
        return false;
    }

    private static String require(Map<String, String> fields, String key, String tree) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException(tree + " has no " + key);
        }
        return v;
    }

    /** Fields the evaluators do not read: they must not be of another length than {@code expected}, when present. */
    private static void optionalCount(Map<String, String> fields, String key, int expected, String tree) {
        String v = fields.get(key);
        if (v != null) {
            LightGbmText.values(v, expected, tree + " " + key);
        }
    }

    /**
     * Fields the evaluators do not read but the native loader parses, when present: {@code expected} numbers. The
     * native loader reads the trees of a file with tree_sizes in parallel threads, where its error on a malformed
     * number ("Unknown token") cannot be caught and aborts the whole process, so nothing it could trip on gets
     * through.
     */
    private static void numbers(Map<String, String> fields, String key, int expected, String tree) {
        String v = fields.get(key);
        if (v != null) {
            LightGbmText.doubles(v, expected, tree + " " + key);
        }
    }
}
