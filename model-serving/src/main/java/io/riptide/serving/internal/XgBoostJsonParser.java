package io.riptide.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Reads an XGBoost JSON model (gbtree, binary:logistic or reg:logistic) into the flat arrays and evaluator layouts
 * of an {@link XgBoostJavaModel}, refusing what it cannot serve with a message naming the problem.
 */
final class XgBoostJsonParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private XgBoostJsonParser() {
    }

    static XgBoostJavaModel parse(byte[] json, TreeEvaluator evaluator) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("XGBoost model is not JSON: " + e.getMessage(), e);
        }
        JsonNode learner = root.path("learner");
        if (learner.isMissingNode()) {
            throw new IllegalArgumentException("XGBoost JSON has no learner object");
        }
        String objective = learner.path("objective").path("name").asText("");
        if (!objective.equals("binary:logistic") && !objective.equals("reg:logistic")) {
            throw new IllegalArgumentException("XGBoost objective '" + objective
                    + "' does not produce a probability; expected binary:logistic or reg:logistic");
        }
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            throw new IllegalArgumentException("XGBoost booster '" + booster.path("name").asText()
                    + "' is not supported; expected gbtree");
        }
        JsonNode param = learner.path("learner_model_param");
        int numFeatures = Integer.parseInt(param.path("num_feature").asText("-1"));
        String numClass = param.path("num_class").asText("0");
        if (!numClass.equals("0") && !numClass.equals("1")) {
            throw new IllegalArgumentException("XGBoost model has num_class=" + numClass + "; only binary models are served");
        }
        float baseScore = parseBaseScore(param.path("base_score").asText());
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IllegalArgumentException("XGBoost base_score " + baseScore + " is not a probability in (0,1)");
        }
        float baseMargin = (float) -Math.log(1.0 / baseScore - 1.0);

        JsonNode trees = booster.path("model").path("trees");
        if (!trees.isArray() || trees.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no trees");
        }
        int totalNodes = 0;
        for (JsonNode tree : trees) {
            totalNodes += tree.path("left_children").size();
        }
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
        int t = 0;
        ForestLayout.Builder layout = new ForestLayout.Builder();
        CompleteForest.Tree[] completeTrees = new CompleteForest.Tree[trees.size()];
        boolean branchFree = true;
        boolean completeOk = true;
        for (JsonNode tree : trees) {
            JsonNode lc = tree.path("left_children");
            JsonNode rc = tree.path("right_children");
            JsonNode si = tree.path("split_indices");
            JsonNode sc = tree.path("split_conditions");
            JsonNode dl = tree.path("default_left");
            JsonNode st = tree.path("split_type");
            int n = lc.size();
            if (rc.size() != n || si.size() != n || sc.size() != n || dl.size() != n) {
                throw new IllegalArgumentException("XGBoost tree " + t + " has node arrays of different lengths");
            }
            int[][] categories = categorySets(tree, n, t);
            for (int k = 0; k < n; k++) {
                boolean categorical = st.size() == n && st.get(k).asInt() != 0;
                int g = offset + k;
                int l = lc.get(k).asInt();
                if (l == -1) {
                    feature[g] = 0;
                    leafValue[g] = (float) sc.get(k).asDouble();
                    continue;
                }
                int r = rc.get(k).asInt();
                int f = si.get(k).asInt();
                if (l < 0 || l >= n || r < 0 || r >= n || f < 0 || f >= numFeatures) {
                    throw new IllegalArgumentException("XGBoost tree " + t + " node " + k + " has an invalid child or feature");
                }
                feature[g] = f;
                threshold[g] = (float) sc.get(k).asDouble();
                left[g] = ref(lc, l, offset);
                right[g] = ref(lc, r, offset);
                defaultChild[g] = dl.get(k).asInt() != 0 ? left[g] : right[g];
                if (categorical) {
                    if (categories[k] == null) {
                        throw new IllegalArgumentException("XGBoost tree " + t + " node " + k
                                + " is a categorical split without categories");
                    }
                    catIndex[g] = catStart.size();
                    int[] words = bitset(categories[k]);
                    catStart.add(catBits.size());
                    catWords.add(words.length);
                    for (int w : words) {
                        catBits.add(w);
                    }
                    catFeature.add(f);
                    catDefaultLeft.add(dl.get(k).asInt() != 0 ? 1 : 0);
                    branchFree = false;  // the earlier lockstep layout has no categorical splits
                }
            }
            completeTrees[t] = completeTree(lc, rc, si, sc, dl, numFeatures, catIndex, offset);
            completeOk &= completeTrees[t] != null;
            roots[t++] = ref(lc, 0, offset);
            branchFree &= addToLayout(layout, lc, rc, si, sc, dl, numFeatures);
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

    /**
     * The category set of each categorical node of a tree, from XGBoost's JSON: {@code categories_nodes} lists
     * the nodes, {@code categories_segments} and {@code categories_sizes} their slices of {@code categories}
     * (the categories in the set, which go right).
     */
    private static int[][] categorySets(JsonNode tree, int n, int t) {
        int[][] sets = new int[n][];
        JsonNode nodes = tree.path("categories_nodes");
        JsonNode segments = tree.path("categories_segments");
        JsonNode sizes = tree.path("categories_sizes");
        JsonNode categories = tree.path("categories");
        if (nodes.size() != segments.size() || nodes.size() != sizes.size()) {
            throw new IllegalArgumentException("XGBoost tree " + t + " has category arrays of different lengths");
        }
        for (int i = 0; i < nodes.size(); i++) {
            int node = nodes.get(i).asInt();
            long begin = segments.get(i).asLong();
            long size = sizes.get(i).asLong();
            if (node < 0 || node >= n || begin < 0 || size < 0 || begin + size > categories.size()) {
                throw new IllegalArgumentException("XGBoost tree " + t + " has an invalid category segment");
            }
            int[] set = new int[(int) size];
            for (int j = 0; j < size; j++) {
                long c = categories.get((int) (begin + j)).asLong();
                if (c < 0 || c >= XgBoostJavaModel.MAX_CATEGORY) {
                    throw new IllegalArgumentException("XGBoost tree " + t + " has category " + c + " out of range");
                }
                set[j] = (int) c;
            }
            sets[node] = set;
        }
        return sets;
    }


    private static int[] bitset(int[] categories) {
        int max = -1;
        for (int c : categories) {
            max = Math.max(max, c);
        }
        int[] words = new int[(max >>> 5) + 1];
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
    private static CompleteForest.Tree completeTree(JsonNode lc, JsonNode rc, JsonNode si, JsonNode sc, JsonNode dl,
                                                    int numFeatures, int[] catIndex, int offset) {
        int n = lc.size();
        int[] feat = new int[n];
        float[] thr = new float[n];
        int[] left = new int[n];
        int[] right = new int[n];
        float[] value = new float[n];
        for (int k = 0; k < n; k++) {
            left[k] = lc.get(k).asInt();
            if (left[k] == -1) {
                right[k] = -1;
                value[k] = (float) sc.get(k).asDouble();
                continue;
            }
            right[k] = rc.get(k).asInt();
            if (catIndex[offset + k] >= 0) {
                // a categorical split reads its own row slot: -1 (left) or 1 (right), NaN as the default side
                thr[k] = 0.0f;
                feat[k] = 2 * numFeatures + catIndex[offset + k];
                continue;
            }
            thr[k] = (float) sc.get(k).asDouble();
            if (Float.isNaN(thr[k])) {
                return null;
            }
            feat[k] = (dl.get(k).asInt() != 0 ? 0 : numFeatures) + si.get(k).asInt();
        }
        return new CompleteForest.Tree(feat, thr, left, right, value);
    }

    /**
     * Adds a tree to the branch-free layout, renumbered as internal nodes then leaves. A node reads feature
     * variant 0 (NaN as -inf: default left) or 1 (NaN as +inf: default right); step bit 1 means x < threshold,
     * so the first child is the right one. Returns false when a threshold is not finite or is +/-MAX_VALUE.
     */
    private static boolean addToLayout(ForestLayout.Builder layout, JsonNode lc, JsonNode rc, JsonNode si, JsonNode sc,
                                       JsonNode dl, int numFeatures) {
        int n = lc.size();
        int[] innerIndex = new int[n];
        int[] leafIndex = new int[n];
        int inner = 0;
        int leaves = 0;
        for (int k = 0; k < n; k++) {
            if (lc.get(k).asInt() == -1) {
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
            if (lc.get(k).asInt() == -1) {
                leafValues[leafIndex[k]] = (float) sc.get(k).asDouble();
                continue;
            }
            int i = innerIndex[k];
            float th = (float) sc.get(k).asDouble() + 0.0f;
            finite &= Float.isFinite(th) && Math.abs(th) != Float.MAX_VALUE;
            thr[i] = th;
            feat[i] = (dl.get(k).asInt() != 0 ? 0 : numFeatures) + si.get(k).asInt();
            int l = lc.get(k).asInt();
            int r = rc.get(k).asInt();
            first[i] = lc.get(r).asInt() == -1 ? ~leafIndex[r] : innerIndex[r];
            second[i] = lc.get(l).asInt() == -1 ? ~leafIndex[l] : innerIndex[l];
        }
        if (inner > 0 && innerIndex[0] != 0) {
            throw new IllegalArgumentException("XGBoost tree root is not node 0");
        }
        layout.addTree(feat, thr, first, second, leafValues);
        return finite;
    }

    /** A child reference: its global node index, or ~index when it is a leaf. */
    private static int ref(JsonNode leftChildren, int local, int offset) {
        return leftChildren.get(local).asInt() == -1 ? ~(offset + local) : offset + local;
    }

    /** XGBoost 2+ writes base_score as "[5E-1]" (a vector), older versions as "5E-1". */
    static float parseBaseScore(String s) {
        String v = s.strip();
        if (v.startsWith("[")) {
            v = v.substring(1, v.length() - 1).strip();
            if (v.contains(",")) {
                throw new IllegalArgumentException("XGBoost base_score " + s + " has several targets; one is served");
            }
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no base_score");
        }
        return Float.parseFloat(v);
    }
}
