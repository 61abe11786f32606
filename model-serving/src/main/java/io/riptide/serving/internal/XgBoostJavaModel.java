package io.riptide.serving.internal;

import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;

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

    XgBoostJavaModel(int numFeatures, int[] roots, int[] feature, float[] threshold, int[] left, int[] right,
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
        return XgBoostJsonParser.parse(json, evaluator);
    }

    /** XGBoost's {@code OutOfRangeCat()}: 2^24, the first float at which integers stop being exact. */
    static final int MAX_CATEGORY = 16_777_216;

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
