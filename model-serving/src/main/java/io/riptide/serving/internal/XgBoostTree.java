package io.riptide.serving.internal;

import java.util.Map;

/**
 * One XGBoost tree as read from the JSON, checked before anything is built from it: node arrays all as long as
 * {@code num_nodes}, a tree shape ({@link TreeShape}) with {@code parents} agreeing, split features within the
 * model's features, conditions that are numbers and leaves that are finite and of bounded size, flags that are
 * 0 or 1, category sets in range.
 *
 * <p>Nodes the root does not reach are XGBoost's pruned ones: a pruned model (tree method exact, or the prune
 * updater) keeps them in the arrays marked deleted (split index 2^31 - 1 with default left, as
 * {@code RegTree::MarkDelete} leaves them) and counts them in {@code num_deleted}. Those are allowed, as leaves,
 * and nothing else unreached is.
 *
 * @param left           per node, its left child or -1 at a leaf
 * @param right          per node, its right child or -1 at a leaf
 * @param splitIndex     per node, the feature its split reads
 * @param splitCondition per node, the split's threshold, or the leaf's value
 * @param defaultLeft    per node, whether NaN goes left
 * @param categorical    per node, whether its split is categorical
 * @param categories     per node, the categories of its split that go right (categorical splits), else null
 * @param reached        per node, whether the root reaches it
 */
record XgBoostTree(int[] left, int[] right, int[] splitIndex, float[] splitCondition, boolean[] defaultLeft,
                   boolean[] categorical, int[][] categories, boolean[] reached) {

    /** {@code RegTree}'s parent of the root (kInvalidNodeId with the left-child bit masked off), or -1. */
    private static final int ROOT_PARENT = Integer.MAX_VALUE;
    /** The split index of a deleted node ({@code kDeletedNodeMarker} with the default-left bit masked off). */
    private static final int DELETED = Integer.MAX_VALUE;

    int nodes() {
        return left.length;
    }

    /**
     * Checks one tree of a model with {@code numFeatures} features; {@code wordBudget} is how many category bitset
     * words the model may still take ({@link ModelLimits#MAX_CATEGORY_WORDS}), {@code used[0]} receives those this
     * tree takes.
     */
    static XgBoostTree check(XgBoostJsonReader.Tree raw, int index, int numFeatures, int wordBudget, int[] used) {
        String tree = "XGBoost tree " + index;
        if (raw.id != null && raw.id != index) {
            throw new IllegalArgumentException(tree + " has id " + raw.id + "; XGBoost places trees by id, so the ids"
                    + " must be 0, 1, ... in order");
        }
        int[] left = require(raw.left, tree, "left_children");
        int n = left.length;
        int[] right = sameLength(raw.right, n, tree, "right_children");
        int[] parents = sameLength(raw.parents, n, tree, "parents");
        int[] splitIndex = sameLength(raw.splitIndices, n, tree, "split_indices");
        double[] conditions = require(raw.splitConditions, tree, "split_conditions");
        if (conditions.length != n) {
            throw new IllegalArgumentException(tree + " has " + conditions.length + " split_conditions for " + n
                    + " nodes");
        }
        boolean[] defaultLeft = flags(sameLength(raw.defaultLeft, n, tree, "default_left"), tree, "default_left");
        boolean[] categorical = raw.splitType == null ? new boolean[n]
                : flags(sameLength(raw.splitType, n, tree, "split_type"), tree, "split_type");
        Map<String, String> param = require(raw.treeParam, tree, "tree_param");
        int numNodes = StrictNumbers.parseInt(require(param.get("num_nodes"), tree, "tree_param.num_nodes"),
                tree + " num_nodes");
        if (numNodes != n) {
            throw new IllegalArgumentException(tree + " has num_nodes=" + numNodes + " and " + n + " nodes");
        }
        int numDeleted = StrictNumbers.parseInt(param.getOrDefault("num_deleted", "0"), tree + " num_deleted");
        String leafVector = param.getOrDefault("size_leaf_vector", "1");
        if (!leafVector.equals("0") && !leafVector.equals("1")) {
            throw new IllegalArgumentException(tree + " has vector leaves (size_leaf_vector="
                    + StrictNumbers.excerpt(leafVector) + "); one output is served");
        }
        String treeFeatures = param.get("num_feature");
        if (treeFeatures != null && !treeFeatures.equals(Integer.toString(numFeatures))) {
            throw new IllegalArgumentException(tree + " has num_feature=" + StrictNumbers.excerpt(treeFeatures)
                    + ", the model " + numFeatures);
        }

        TreeShape.Reach reach = TreeShape.walkXgBoost(tree, left, right);
        boolean[] reached = reach.reached();
        checkParents(tree, left, right, parents, reached);
        int deleted = 0;
        for (int k = 1; k < n; k++) {
            boolean marked = splitIndex[k] == DELETED && defaultLeft[k];
            deleted += marked ? 1 : 0;
            if (!reached[k] && (!marked || left[k] != -1)) {
                throw new IllegalArgumentException(tree + ": node " + k + " is not reachable from the root and not a"
                        + " deleted leaf (orphan)");
            }
        }
        if (deleted != numDeleted) {
            throw new IllegalArgumentException(tree + " has " + deleted + " deleted nodes, num_deleted says "
                    + numDeleted);
        }

        float[] splitCondition = new float[n];
        for (int k = 0; k < n; k++) {
            if (!reached[k]) {
                continue;  // a deleted leaf: never read, its value left 0
            }
            float v = (float) conditions[k];
            if (left[k] == -1) {
                if (!(Math.abs(v) <= ModelLimits.MAX_LEAF_MAGNITUDE)) {
                    throw new IllegalArgumentException(tree + ": leaf " + k + " has value " + v
                            + ", not a finite number within +/-" + ModelLimits.MAX_LEAF_MAGNITUDE);
                }
            } else {
                if (splitIndex[k] < 0 || splitIndex[k] >= numFeatures) {
                    throw new IllegalArgumentException(tree + ": node " + k + " splits on feature " + splitIndex[k]
                            + ", outside 0.." + (numFeatures - 1));
                }
                if (!categorical[k] && Float.isNaN(v)) {
                    throw new IllegalArgumentException(tree + ": node " + k + " has a NaN split condition");
                }
            }
            splitCondition[k] = v;
        }
        int[][] categories = categorySets(raw, n, tree, categorical, left, reached, wordBudget, used);
        return new XgBoostTree(left, right, splitIndex, splitCondition, defaultLeft, categorical, categories, reached);
    }

    /** XGBoost reads a node's side from its parent's children, so a parent that does not list it is refused. */
    private static void checkParents(String tree, int[] left, int[] right, int[] parents, boolean[] reached) {
        int n = left.length;
        if (parents[0] != ROOT_PARENT && parents[0] != -1) {
            throw new IllegalArgumentException(tree + ": the root has parent " + parents[0]);
        }
        for (int k = 1; k < n; k++) {
            if (parents[k] < 0 || parents[k] >= n) {
                throw new IllegalArgumentException(tree + ": node " + k + " has parent " + parents[k]
                        + ", outside 0.." + (n - 1));
            }
        }
        for (int k = 0; k < n; k++) {
            if (reached[k] && left[k] != -1 && (parents[left[k]] != k || parents[right[k]] != k)) {
                throw new IllegalArgumentException(tree + ": node " + k + "'s children " + left[k] + " and " + right[k]
                        + " have parents " + parents[left[k]] + " and " + parents[right[k]]);
            }
        }
    }

    /**
     * The category set of each categorical node: {@code categories_nodes} lists the nodes (ascending, as XGBoost
     * reads them), {@code categories_segments} and {@code categories_sizes} their slices of {@code categories} (the
     * categories that go right).
     */
    private static int[][] categorySets(XgBoostJsonReader.Tree raw, int n, String tree, boolean[] categorical,
                                        int[] left, boolean[] reached, int wordBudget, int[] used) {
        int[][] sets = new int[n][];
        int[] nodes = raw.categoriesNodes == null ? new int[0] : raw.categoriesNodes;
        int[] segments = raw.categoriesSegments == null ? new int[0] : raw.categoriesSegments;
        int[] sizes = raw.categoriesSizes == null ? new int[0] : raw.categoriesSizes;
        int[] values = raw.categories == null ? new int[0] : raw.categories;
        if (nodes.length != segments.length || nodes.length != sizes.length) {
            throw new IllegalArgumentException(tree + " has category arrays of different lengths");
        }
        used[0] = 0;
        for (int i = 0; i < nodes.length; i++) {
            int node = nodes[i];
            long begin = segments[i];
            long size = sizes[i];
            if (node < 0 || node >= n || (i > 0 && node <= nodes[i - 1])) {
                throw new IllegalArgumentException(tree + " categories_nodes are not ascending nodes of the tree");
            }
            if (begin < 0 || size < 0 || begin + size > values.length) {
                throw new IllegalArgumentException(tree + " has an invalid category segment for node " + node);
            }
            int[] set = new int[(int) size];
            int max = -1;
            for (int j = 0; j < size; j++) {
                int c = values[(int) begin + j];
                if (c < 0 || c >= XgBoostJavaModel.MAX_CATEGORY) {
                    throw new IllegalArgumentException(tree + " has category " + c + " out of range");
                }
                set[j] = c;
                max = Math.max(max, c);
            }
            used[0] += bitsetWords(max);
            if (used[0] > wordBudget) {
                throw new IllegalArgumentException(tree + "'s category sets take the model past "
                        + ModelLimits.MAX_CATEGORY_WORDS + " bitset words");
            }
            sets[node] = set;
        }
        for (int k = 0; k < n; k++) {
            if (reached[k] && left[k] != -1 && categorical[k] && sets[k] == null) {
                throw new IllegalArgumentException(tree + ": node " + k + " is a categorical split without categories");
            }
        }
        return sets;
    }

    /** Words of a bitset holding categories up to {@code max} (none for an empty set). */
    static int bitsetWords(int max) {
        return max < 0 ? 0 : (max >>> 5) + 1;
    }

    private static boolean[] flags(int[] values, String tree, String what) {
        boolean[] out = new boolean[values.length];
        for (int k = 0; k < values.length; k++) {
            if (values[k] != 0 && values[k] != 1) {
                throw new IllegalArgumentException(tree + " " + what + " of node " + k + " is " + values[k]
                        + ", not 0 or 1");
            }
            out[k] = values[k] == 1;
        }
        return out;
    }

    private static int[] sameLength(int[] values, int n, String tree, String what) {
        require(values, tree, what);
        if (values.length != n) {
            throw new IllegalArgumentException(tree + " has " + values.length + " " + what + " for " + n + " nodes");
        }
        return values;
    }

    private static <T> T require(T value, String tree, String what) {
        if (value == null) {
            throw new IllegalArgumentException(tree + " has no " + what);
        }
        return value;
    }
}
