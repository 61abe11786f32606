package io.riptide.serving.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an XGBoost JSON model (gbtree, binary:logistic or reg:logistic) into the flat arrays and evaluator layouts
 * of an {@link XgBoostJavaModel}, refusing what it cannot serve with a message naming the problem.
 *
 * <p>Nothing is built before everything is checked: the document ({@link XgBoostJsonReader}, within
 * {@link ModelLimits}), the learner (objective, booster, a feature count within {@link ModelLimits#MAX_FEATURES},
 * one binary output, base_score in (0,1)), the booster ({@code num_trees}, {@code tree_info} and
 * {@code iteration_indptr} against the trees), then every tree ({@link XgBoostTree}).
 */
final class XgBoostJsonParser {

    private XgBoostJsonParser() {
    }

    static XgBoostJavaModel parse(byte[] json, TreeEvaluator evaluator) {
        XgBoostJsonReader.Document doc;
        try {
            doc = XgBoostJsonReader.read(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("XGBoost model is not JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("XGBoost model is not JSON: " + e.getMessage(), e);
        }
        if (doc.objective == null && doc.booster == null && doc.trees == null) {
            throw new IllegalArgumentException("XGBoost JSON has no learner object");
        }
        String objective = doc.objective == null ? "" : doc.objective;
        if (!objective.equals("binary:logistic") && !objective.equals("reg:logistic")) {
            throw new IllegalArgumentException("XGBoost objective '" + StrictNumbers.excerpt(objective)
                    + "' does not produce a probability; expected binary:logistic or reg:logistic");
        }
        if (!"gbtree".equals(doc.booster)) {
            throw new IllegalArgumentException("XGBoost booster '" + StrictNumbers.excerpt(String.valueOf(doc.booster))
                    + "' is not supported; expected gbtree");
        }
        Map<String, String> param = doc.modelParam;
        int numFeatures = StrictNumbers.parseInt(param.getOrDefault("num_feature", "-1"), "XGBoost num_feature");
        if (numFeatures < 1 || numFeatures > ModelLimits.MAX_FEATURES) {
            throw new IllegalArgumentException("XGBoost num_feature is " + numFeatures + ", outside 1.."
                    + ModelLimits.MAX_FEATURES);
        }
        String numClass = param.getOrDefault("num_class", "0");
        if (!numClass.equals("0") && !numClass.equals("1")) {
            throw new IllegalArgumentException("XGBoost model has num_class=" + StrictNumbers.excerpt(numClass)
                    + "; only binary models are served");
        }
        String numTarget = param.getOrDefault("num_target", "1");
        if (!numTarget.equals("1")) {
            throw new IllegalArgumentException("XGBoost model has num_target=" + StrictNumbers.excerpt(numTarget)
                    + "; one output is served");
        }
        float baseScore = parseBaseScore(param.getOrDefault("base_score", ""));
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IllegalArgumentException("XGBoost base_score " + baseScore + " is not a probability in (0,1)");
        }
        float baseMargin = (float) -Math.log(1.0 / baseScore - 1.0);
        if (doc.trees == null || doc.trees.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no trees");
        }
        checkBooster(doc);

        // every tree is checked before the first is built
        List<XgBoostTree> trees = new ArrayList<>(doc.trees.size());
        int totalNodes = 0;
        int words = 0;
        int[] used = new int[1];
        for (int t = 0; t < doc.trees.size(); t++) {
            XgBoostTree tree = XgBoostTree.check(doc.trees.get(t), t, numFeatures,
                    ModelLimits.MAX_CATEGORY_WORDS - words, used);
            words += used[0];
            totalNodes += tree.nodes();
            trees.add(tree);
        }
        return build(trees, totalNodes, numFeatures, baseMargin, evaluator);
    }

    /** {@code num_trees}, {@code tree_info} (one output group: all 0) and {@code iteration_indptr} against the trees. */
    private static void checkBooster(XgBoostJsonReader.Document doc) {
        int trees = doc.trees.size();
        Map<String, String> gbtree = doc.gbtreeParam;
        if (gbtree == null || gbtree.get("num_trees") == null) {
            throw new IllegalArgumentException("XGBoost JSON has no gbtree_model_param.num_trees");
        }
        int numTrees = StrictNumbers.parseInt(gbtree.get("num_trees"), "XGBoost num_trees");
        if (numTrees != trees) {
            throw new IllegalArgumentException("XGBoost num_trees is " + numTrees + ", the model has " + trees
                    + " trees");
        }
        int parallel = StrictNumbers.parseInt(gbtree.getOrDefault("num_parallel_tree", "1"),
                "XGBoost num_parallel_tree");
        if (parallel < 1 || trees % parallel != 0) {
            throw new IllegalArgumentException("XGBoost num_parallel_tree is " + parallel + " for " + trees + " trees");
        }
        if (doc.treeInfo == null || doc.treeInfo.length != trees) {
            int listed = doc.treeInfo == null ? 0 : doc.treeInfo.length;
            throw new IllegalArgumentException("XGBoost tree_info lists " + listed + " trees, the model has " + trees);
        }
        for (int t = 0; t < trees; t++) {
            if (doc.treeInfo[t] != 0) {
                throw new IllegalArgumentException("XGBoost tree " + t + " is for output group " + doc.treeInfo[t]
                        + "; a binary model has one");
            }
        }
        int[] indptr = doc.iterationIndptr;
        if (indptr != null) {
            boolean ascending = indptr.length >= 2 && indptr[0] == 0 && indptr[indptr.length - 1] == trees;
            for (int i = 1; ascending && i < indptr.length; i++) {
                ascending = indptr[i] >= indptr[i - 1];
            }
            if (!ascending) {
                throw new IllegalArgumentException("XGBoost iteration_indptr does not ascend from 0 to the " + trees
                        + " trees");
            }
        }
    }

    private static XgBoostJavaModel build(List<XgBoostTree> trees, int totalNodes, int numFeatures, float baseMargin,
                                          TreeEvaluator evaluator) {
        int[] roots = new int[trees.size()];
        int[] feature = new int[totalNodes];
        float[] threshold = new float[totalNodes];
        int[] left = new int[totalNodes];
        int[] right = new int[totalNodes];
        int[] defaultChild = new int[totalNodes];
        float[] leafValue = new float[totalNodes];
        int[] catIndex = new int[totalNodes];
        java.util.Arrays.fill(catIndex, -1);
        IntList catStart = new IntList();
        IntList catWords = new IntList();
        IntList catBits = new IntList();
        IntList catFeature = new IntList();
        IntList catDefaultLeft = new IntList();
        int offset = 0;
        ForestLayout.Builder layout = new ForestLayout.Builder();
        CompleteForest.Tree[] completeTrees = new CompleteForest.Tree[trees.size()];
        boolean branchFree = true;
        boolean completeOk = true;
        for (int t = 0; t < trees.size(); t++) {
            XgBoostTree tree = trees.get(t);
            int[] lc = tree.left();
            int[] rc = tree.right();
            int n = lc.length;
            for (int k = 0; k < n; k++) {
                int g = offset + k;
                int l = lc[k];
                if (l == -1) {
                    feature[g] = 0;
                    leafValue[g] = tree.splitCondition()[k];
                    continue;
                }
                int f = tree.splitIndex()[k];
                feature[g] = f;
                threshold[g] = tree.splitCondition()[k];
                left[g] = ref(lc, l, offset);
                right[g] = ref(lc, rc[k], offset);
                defaultChild[g] = tree.defaultLeft()[k] ? left[g] : right[g];
                if (tree.categorical()[k]) {
                    catIndex[g] = catStart.size();
                    int[] words = bitset(tree.categories()[k]);
                    catStart.add(catBits.size());
                    catWords.add(words.length);
                    for (int w : words) {
                        catBits.add(w);
                    }
                    catFeature.add(f);
                    catDefaultLeft.add(tree.defaultLeft()[k] ? 1 : 0);
                    branchFree = false;  // the earlier lockstep layout has no categorical splits
                }
            }
            completeTrees[t] = completeTree(tree, numFeatures, catIndex, offset);
            completeOk &= completeTrees[t] != null;
            roots[t] = ref(lc, 0, offset);
            branchFree &= addToLayout(layout, tree, numFeatures);
            offset += n;
        }
        CompleteForest complete = null;
        if (completeOk && (evaluator == TreeEvaluator.FASTEST || evaluator == TreeEvaluator.COMPLETE_TREES)) {
            complete = CompleteForest.build(completeTrees);
        }
        boolean lockstep = branchFree && complete == null && evaluator != TreeEvaluator.BRANCHES;
        boolean[] catLeft = new boolean[catDefaultLeft.size()];
        for (int c = 0; c < catLeft.length; c++) {
            catLeft[c] = catDefaultLeft.get(c) != 0;
        }
        return new XgBoostJavaModel(numFeatures, roots, feature, threshold, left, right, defaultChild, leafValue,
                catIndex, catStart.toArray(), catWords.toArray(), catBits.toArray(), catFeature.toArray(), catLeft,
                baseMargin, complete, lockstep ? layout.build() : null);
    }

    private static int[] bitset(int[] categories) {
        int max = -1;
        for (int c : categories) {
            max = Math.max(max, c);
        }
        int[] words = new int[XgBoostTree.bitsetWords(max)];
        for (int c : categories) {
            words[c >>> 5] |= 1 << (c & 31);
        }
        return words;
    }

    /**
     * A tree for {@link CompleteForest}: a node reads row slot f (NaN below everything: default left) or
     * nf + f (NaN above everything: default right); categorical set c reads slot 2 nf + c. Null when a
     * threshold is NaN.
     */
    private static CompleteForest.Tree completeTree(XgBoostTree tree, int numFeatures, int[] catIndex, int offset) {
        int n = tree.nodes();
        int[] feat = new int[n];
        float[] thr = new float[n];
        int[] left = new int[n];
        int[] right = new int[n];
        float[] value = new float[n];
        for (int k = 0; k < n; k++) {
            left[k] = tree.left()[k];
            if (left[k] == -1) {
                right[k] = -1;
                value[k] = tree.splitCondition()[k];
                continue;
            }
            right[k] = tree.right()[k];
            if (catIndex[offset + k] >= 0) {
                // a categorical split reads its own row slot: -1 (left) or 1 (right), NaN as the default side
                thr[k] = 0.0f;
                feat[k] = 2 * numFeatures + catIndex[offset + k];
                continue;
            }
            thr[k] = tree.splitCondition()[k];
            if (Float.isNaN(thr[k])) {
                return null;
            }
            feat[k] = (tree.defaultLeft()[k] ? 0 : numFeatures) + tree.splitIndex()[k];
        }
        return new CompleteForest.Tree(feat, thr, left, right, value);
    }

    /**
     * Adds a tree to the branch-free layout, renumbered as internal nodes then leaves. A node reads feature
     * variant 0 (NaN as -inf: default left) or 1 (NaN as +inf: default right); step bit 1 means x < threshold,
     * so the first child is the right one. Returns false when a threshold is not finite or is +/-MAX_VALUE.
     */
    private static boolean addToLayout(ForestLayout.Builder layout, XgBoostTree tree, int numFeatures) {
        int[] lc = tree.left();
        int[] rc = tree.right();
        int n = lc.length;
        int[] innerIndex = new int[n];
        int[] leafIndex = new int[n];
        int inner = 0;
        int leaves = 0;
        for (int k = 0; k < n; k++) {
            if (lc[k] == -1) {
                leafIndex[k] = leaves++;
            } else {
                innerIndex[k] = inner++;
            }
        }
        int[] feat = new int[inner];
        double[] thr = new double[inner];
        int[] first = new int[inner];
        int[] second = new int[inner];
        double[] leafValues = new double[leaves];
        boolean finite = true;
        for (int k = 0; k < n; k++) {
            if (lc[k] == -1) {
                leafValues[leafIndex[k]] = tree.splitCondition()[k];
                continue;
            }
            int i = innerIndex[k];
            float th = tree.splitCondition()[k] + 0.0f;
            finite &= Float.isFinite(th) && Math.abs(th) != Float.MAX_VALUE;
            thr[i] = th;
            feat[i] = (tree.defaultLeft()[k] ? 0 : numFeatures) + tree.splitIndex()[k];
            int l = lc[k];
            int r = rc[k];
            first[i] = lc[r] == -1 ? ~leafIndex[r] : innerIndex[r];
            second[i] = lc[l] == -1 ? ~leafIndex[l] : innerIndex[l];
        }
        if (inner > 0 && innerIndex[0] != 0) {
            throw new IllegalArgumentException("XGBoost tree root is not node 0");
        }
        layout.addTree(feat, thr, first, second, leafValues);
        return finite;
    }

    /** A child reference: its global node index, or ~index when it is a leaf. */
    private static int ref(int[] leftChildren, int local, int offset) {
        return leftChildren[local] == -1 ? ~(offset + local) : offset + local;
    }

    /** XGBoost 2+ writes base_score as "[5E-1]" (a vector), older versions as "5E-1". */
    static float parseBaseScore(String s) {
        String v = s.strip();
        if (v.startsWith("[") && v.endsWith("]") && v.length() >= 2) {
            v = v.substring(1, v.length() - 1).strip();
            if (v.contains(",")) {
                throw new IllegalArgumentException("XGBoost base_score " + StrictNumbers.excerpt(s)
                        + " has several targets; one is served");
            }
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no base_score");
        }
        return (float) StrictNumbers.parseDouble(v, "XGBoost base_score");
    }
}
