package io.riptide.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;

import java.io.IOException;

/**
 * An XGBoost JSON model (gbtree, binary:logistic or reg:logistic) compiled into flat arrays and evaluated in
 * pure Java, equal to xgboost4j.
 *
 * <p>Mirrors XGBoost's CPU predictor: the row is read in float; a NaN goes to the node's default child,
 * otherwise {@code x < split_condition} goes left, or at a categorical split ({@code split_type} 1, XGBoost's
 * {@code common::Decision}) the value goes right exactly when it is a valid category (0 <= x < 2^24, read as
 * {@code (int) x}) in the node's category set, and left otherwise; the margin is the float sum, in tree order, of the base
 * margin (logit of base_score) and the leaf values; the probability is XGBoost's float sigmoid.
 */
public final class XgBoostJavaModel implements Model {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int numFeatures;
    private final int[] roots;
    private final int[] feature;
    private final float[] threshold;
    private final int[] left;
    private final int[] right;
    private final int[] defaultChild;
    private final float[] leafValue;
    /** Per node: index of its category set in {@link #catStart} (categorical split) or -1. */
    private final int[] catIndex;
    private final int[] catStart;
    private final int[] catWords;
    private final int[] catBits;
    /** Categorical nodes in {@link CompleteForest} order: feature and NaN direction; their row keys follow the features. */
    private final int[] catFeature;
    private final boolean[] catDefaultLeft;
    private final float baseMargin;
    private final TreeEvaluator evaluator;
    /** Complete-tree layout (see {@link CompleteForest}), or null when another evaluator runs. */
    private final CompleteForest complete;
    /** Lockstep layout (see {@link ForestLayout}), or null when another evaluator runs. */
    private final ForestLayout layout;
    private final float[] layoutThreshold;
    private final float[] layoutLeaf;
    private final ThreadLocal<float[]> scratch;
    private final ThreadLocal<long[]> keyScratch;
    private final ThreadLocal<int[]> leafScratch;

    private XgBoostJavaModel(int numFeatures, int[] roots, int[] feature, float[] threshold, int[] left, int[] right,
                             int[] defaultChild, float[] leafValue, int[] catIndex, int[] catStart, int[] catWords,
                             int[] catBits, int[] catFeature, boolean[] catDefaultLeft, float baseMargin,
                             CompleteForest complete, ForestLayout layout) {
        this.numFeatures = numFeatures;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.defaultChild = defaultChild;
        this.leafValue = leafValue;
        this.catIndex = catIndex;
        this.catStart = catStart;
        this.catWords = catWords;
        this.catBits = catBits;
        this.catFeature = catFeature;
        this.catDefaultLeft = catDefaultLeft;
        this.baseMargin = baseMargin;
        this.complete = complete;
        this.layout = layout;
        this.evaluator = complete != null ? TreeEvaluator.COMPLETE_TREES
                : layout != null ? TreeEvaluator.LOCKSTEP : TreeEvaluator.BRANCHES;
        if (layout != null) {
            layoutThreshold = new float[layout.threshold.length];
            layoutLeaf = new float[layout.leaf.length];
            for (int i = 0; i < layoutThreshold.length; i++) {
                layoutThreshold[i] = (float) layout.threshold[i];
                layoutLeaf[i] = (float) layout.leaf[i];
            }
        } else {
            layoutThreshold = null;
            layoutLeaf = null;
        }
        int scratchLength = layout == null ? 0 : 2 * numFeatures;
        int trees = layout == null ? 0 : layout.roots.length;
        this.leafScratch = ThreadLocal.withInitial(() -> new int[trees]);
        this.scratch = ThreadLocal.withInitial(() -> new float[scratchLength]);
        int keyLength = complete == null ? 0 : 2 * numFeatures + catFeature.length;
        this.keyScratch = ThreadLocal.withInitial(() -> new long[keyLength]);
    }

    /** Parses and compiles XGBoost JSON model bytes; throws IllegalArgumentException naming what is wrong. */
    public static XgBoostJavaModel parse(byte[] json) {
        return parse(json, TreeEvaluator.FASTEST);
    }

    /**
     * Parses XGBoost JSON for the given evaluator: {@link TreeEvaluator#FASTEST} (complete trees when the
     * padded layout stays small, else the lockstep walk; the branchy walk when a threshold is not finite),
     * or a named one, used when the model allows it (else the branchy walk). Every evaluator returns the
     * same margins.
     */
    public static XgBoostJavaModel parse(byte[] json, TreeEvaluator evaluator) {
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
        LightGbmJavaModel.IntList catStart = new LightGbmJavaModel.IntList();
        LightGbmJavaModel.IntList catWords = new LightGbmJavaModel.IntList();
        LightGbmJavaModel.IntList catBits = new LightGbmJavaModel.IntList();
        LightGbmJavaModel.IntList catFeature = new LightGbmJavaModel.IntList();
        LightGbmJavaModel.IntList catDefaultLeft = new LightGbmJavaModel.IntList();
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
                if (c < 0 || c >= MAX_CATEGORY) {
                    throw new IllegalArgumentException("XGBoost tree " + t + " has category " + c + " out of range");
                }
                set[j] = (int) c;
            }
            sets[node] = set;
        }
        return sets;
    }

    /** XGBoost's {@code OutOfRangeCat()}: 2^24, the first float at which integers stop being exact. */
    private static final int MAX_CATEGORY = 16_777_216;

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
     * XGBoost's {@code common::Decision} for a non-NaN value at categorical set {@code c}: left unless the value
     * is a valid category (not negative, below 2^24; read as {@code (int) x}, truncating) in the set.
     */
    private boolean categoryGoesLeft(float x, int c) {
        if (x < 0 || x >= MAX_CATEGORY) {
            return true;
        }
        int category = (int) x;
        int word = category >>> 5;
        if (word >= catWords[c]) {
            return true;
        }
        return ((catBits[catStart[c] + word] >>> (category & 31)) & 1) == 0;
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

    /** The margin of the row starting at {@code offset}, summed in float as XGBoost does. */
    public float margin(double[] x, int offset) {
        if (complete != null) {
            return complete.sum(rowKeys(x, offset), baseMargin);
        }
        return layout != null ? marginBranchFree(x, offset) : marginByBranches(x, offset);
    }

    /** Whether this model runs branch-free (complete trees or the lockstep layout), not on the branchy walk. */
    public boolean branchFree() {
        return evaluator != TreeEvaluator.BRANCHES;
    }

    /** The evaluator this model runs on. */
    public TreeEvaluator evaluator() {
        return evaluator;
    }

    /**
     * The row in float, twice: variant 0 reads NaN as -inf (default left), variant 1 as +inf (default right).
     * -0 becomes +0, which keeps the sign-bit comparison exact, and real infinities become +/-MAX_VALUE so
     * that only substituted NaN values are infinite; no threshold is +/-MAX_VALUE, so no comparison changes.
     */
    /**
     * The row as {@link CompleteForest} keys, twice: slot f holds NaN as a key below every float (default
     * left), slot nf + f as a key above every float (default right).
     */
    private long[] rowKeys(double[] x, int offset) {
        final int nf = numFeatures;
        final long[] s = keyScratch.get();
        for (int f = 0; f < nf; f++) {
            float v = (float) x[offset + f];
            boolean nan = v != v;
            long k = CompleteForest.key(v);
            s[f] = nan ? CompleteForest.NAN_LEFT : k;
            s[nf + f] = nan ? CompleteForest.NAN_RIGHT : k;
        }
        final int[] catFeature = this.catFeature;
        for (int c = 0; c < catFeature.length; c++) {
            float v = (float) x[offset + catFeature[c]];
            s[2 * nf + c] = v != v ? (catDefaultLeft[c] ? CompleteForest.NAN_LEFT : CompleteForest.NAN_RIGHT)
                    : categoryGoesLeft(v, c) ? -1 : 1;
        }
        return s;
    }

    private float[] rowScratch(double[] x, int offset) {
        final int nf = numFeatures;
        final float[] s = scratch.get();
        for (int f = 0; f < nf; f++) {
            float v = (float) x[offset + f] + 0.0f;
            v = Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, v));
            boolean nan = v != v;
            s[f] = nan ? Float.NEGATIVE_INFINITY : v;
            s[nf + f] = nan ? Float.POSITIVE_INFINITY : v;
        }
        return s;
    }

    private float marginBranchFree(double[] x, int offset) {
        final float[] s = rowScratch(x, offset);
        final ForestLayout l = layout;
        final int[] roots = l.orderedRoots;
        final int[] order = l.order;
        final int[] leafOf = leafScratch.get();
        final int[] ft = l.feature;
        final int[] ch = l.children;
        final float[] th = layoutThreshold;
        final float[] lf = layoutLeaf;
        final int[] blockDepth = l.blockDepth;
        float sum = baseMargin;
        int t = 0;
        // the sign bit of (x - threshold) is 1 exactly when x < threshold: the left child
        for (int b = 0; b < blockDepth.length; b++, t += ForestLayout.BLOCK) {
            int n0 = roots[t];
            int n1 = roots[t + 1];
            int n2 = roots[t + 2];
            int n3 = roots[t + 3];
            int n4 = roots[t + 4];
            int n5 = roots[t + 5];
            int n6 = roots[t + 6];
            int n7 = roots[t + 7];
            for (int d = blockDepth[b]; d > 0; d--) {
                n0 = ch[(n0 << 1) | (Float.floatToRawIntBits(s[ft[n0]] - th[n0]) >>> 31)];
                n1 = ch[(n1 << 1) | (Float.floatToRawIntBits(s[ft[n1]] - th[n1]) >>> 31)];
                n2 = ch[(n2 << 1) | (Float.floatToRawIntBits(s[ft[n2]] - th[n2]) >>> 31)];
                n3 = ch[(n3 << 1) | (Float.floatToRawIntBits(s[ft[n3]] - th[n3]) >>> 31)];
                n4 = ch[(n4 << 1) | (Float.floatToRawIntBits(s[ft[n4]] - th[n4]) >>> 31)];
                n5 = ch[(n5 << 1) | (Float.floatToRawIntBits(s[ft[n5]] - th[n5]) >>> 31)];
                n6 = ch[(n6 << 1) | (Float.floatToRawIntBits(s[ft[n6]] - th[n6]) >>> 31)];
                n7 = ch[(n7 << 1) | (Float.floatToRawIntBits(s[ft[n7]] - th[n7]) >>> 31)];
            }
            leafOf[order[t]] = n0;
            leafOf[order[t + 1]] = n1;
            leafOf[order[t + 2]] = n2;
            leafOf[order[t + 3]] = n3;
            leafOf[order[t + 4]] = n4;
            leafOf[order[t + 5]] = n5;
            leafOf[order[t + 6]] = n6;
            leafOf[order[t + 7]] = n7;
        }
        final int[] depth = l.depth;
        for (; t < roots.length; t++) {
            int n = roots[t];
            for (int d = depth[order[t]]; d > 0; d--) {
                n = ch[(n << 1) | (Float.floatToRawIntBits(s[ft[n]] - th[n]) >>> 31)];
            }
            leafOf[order[t]] = n;
        }
        for (int tree = 0; tree < roots.length; tree++) {
            sum += lf[leafOf[tree]];
        }
        return sum;
    }

    /** The plain walk, one branch per node; used when a threshold is not finite, and as a cross-check. */
    float marginByBranches(double[] x, int offset) {
        final int[] roots = this.roots;
        final int[] feature = this.feature;
        final float[] threshold = this.threshold;
        final int[] left = this.left;
        final int[] right = this.right;
        final int[] defaultChild = this.defaultChild;
        final float[] leafValue = this.leafValue;
        final int[] catIndex = this.catIndex;
        float sum = baseMargin;
        for (int t = 0; t < roots.length; t++) {
            int n = roots[t];
            while (n >= 0) {
                float f = (float) x[offset + feature[n]];
                if (catIndex[n] >= 0) {
                    n = f != f ? defaultChild[n] : categoryGoesLeft(f, catIndex[n]) ? left[n] : right[n];
                } else {
                    n = f < threshold[n] ? left[n] : f >= threshold[n] ? right[n] : defaultChild[n];
                }
            }
            sum += leafValue[~n];
        }
        return sum;
    }

    /** XGBoost's {@code common::Sigmoid}, in float. */
    static float sigmoid(float margin) {
        float x = Math.min(-margin, 88.7f);
        float denominator = (float) Math.exp(x) + 1.0f + 1e-16f;
        return 1.0f / denominator;
    }

    @Override
    public double predict(double[] x) {
        if (x.length != numFeatures) {
            throw new IllegalArgumentException("row has " + x.length + " features, model expects " + numFeatures);
        }
        return sigmoid(margin(x, 0));
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        if (rowsRowMajor.length < (long) rows * numFeatures || out.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + (long) rows * numFeatures
                    + " values and " + rows + " outputs, got " + rowsRowMajor.length + " and " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = sigmoid(margin(rowsRowMajor, r * numFeatures));
        }
    }

    public int numTrees() {
        return roots.length;
    }

    /** Bytes held by the compiled arrays. */
    public long memoryBytes() {
        return ArraySizes.of(roots) + ArraySizes.of(feature) + ArraySizes.of(threshold) + ArraySizes.of(left)
                + ArraySizes.of(right) + ArraySizes.of(defaultChild) + ArraySizes.of(leafValue)
                + ArraySizes.of(catIndex) + ArraySizes.of(catStart) + ArraySizes.of(catWords) + ArraySizes.of(catBits)
                + ArraySizes.of(catFeature) + ArraySizes.of(catDefaultLeft)
                + (layout == null ? 0 : layout.memoryBytes() + ArraySizes.of(layoutThreshold) + ArraySizes.of(layoutLeaf))
                + (complete == null ? 0 : complete.memoryBytes());
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.XGBOOST_JSON;
    }

    @Override
    public void close() {
    }
}
