package io.riptide.serving.internal;

import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;

/**
 * A LightGBM text model compiled into flat arrays and evaluated in pure Java, equal to the native library.
 *
 * <p>Every rule below mirrors LightGBM 3.3.x ({@code tree.h}, {@code c_api.cpp}, {@code gbdt_prediction.cpp}):
 * <ul>
 *   <li>input values with |x| <= kZeroThreshold (1e-35f) are read as 0, as the C API drops them from the row;</li>
 *   <li>numerical split: NaN becomes 0 unless the node's missing type is NaN; missing type Zero sends zeros and
 *       missing type NaN sends NaN to the default child (decision_type bit 1); else {@code x <= threshold} goes
 *       left;</li>
 *   <li>categorical split (decision_type bit 0): NaN and negative values go right, else the category's bit in
 *       the node's bitset chooses left;</li>
 *   <li>the raw score is the sum of leaf values in tree order, starting at 0.0 (divided by the iteration count
 *       for {@code average_output}); the probability is {@code 1/(1+exp(-sigmoid*raw))}.</li>
 * </ul>
 *
 * <p>Nodes are split into a fast kind (numerical, missing type None or NaN, threshold away from zero) whose
 * NaN child is precomputed, and a slow kind that runs the full rules. Prediction allocates nothing.
 */
public final class LightGbmJavaModel implements Model {

    static final double K_ZERO_THRESHOLD = 1e-35f;
    static final int CATEGORICAL_MASK = 1;
    static final int DEFAULT_LEFT_MASK = 2;
    static final int MISSING_ZERO = 1;
    static final int MISSING_NAN = 2;

    /**
     * Branch-free evaluation reads each feature through one of five variants of the row, chosen per node so
     * that a plain {@code x <= threshold} gives LightGBM's answer: 0 NaN as 0 (missing type None),
     * 1 NaN as -inf and 2 NaN as +inf (missing type NaN, default left / right), 3 NaN and zero as -inf and
     * 4 NaN and zero as +inf (missing type Zero, default left / right).
     */
    static final int VARIANTS = 5;

    private final int numFeatures;
    private final int numTrees;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final int[] nanChild;
    private final boolean[] slow;
    private final byte[] decisionType;
    private final int[] catStart;
    private final int[] catWords;
    private final int[] catBits;
    private final double[] leafValue;
    private final double sigmoid;
    private final boolean averageOutput;
    private final int iterations;
    private final TreeEvaluator evaluator;
    /** Rank lockstep layout, or null when another evaluator runs. */
    private final RankForest rankForest;
    /** Whether the rank forest adds its leaves in tree order ({@link TreeEvaluator#RANK_LOCKSTEP}). */
    private final boolean sumInTreeOrder;
    /** QuickScorer layout, or null when another evaluator runs. */
    private final QuickScorer quickScorer;
    /** Lockstep layout, or null when another evaluator runs. */
    private final ForestLayout layout;
    private final boolean[] variantUsed;
    private final ThreadLocal<double[]> scratch;
    private final ThreadLocal<int[]> leafScratch;

    LightGbmJavaModel(LightGbmTextParser b, TreeEvaluator preferred) {
        this.numFeatures = b.numFeatures;
        this.numTrees = b.roots.size();
        this.roots = b.roots.stream().mapToInt(Integer::intValue).toArray();
        this.feature = b.feature.toArray();
        this.threshold = b.threshold.toArray();
        this.left = b.left.toArray();
        this.right = b.right.toArray();
        this.nanChild = b.nanChild.toArray();
        this.slow = new boolean[feature.length];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = b.slow.get(i) != 0;
        }
        this.decisionType = new byte[feature.length];
        for (int i = 0; i < decisionType.length; i++) {
            decisionType[i] = (byte) b.decisionType.get(i);
        }
        this.catStart = b.catStart.toArray();
        this.catWords = b.catWords.toArray();
        this.catBits = b.catBits.toArray();
        this.leafValue = b.leafValue.toArray();
        this.sigmoid = b.sigmoid;
        this.averageOutput = b.averageOutput;
        this.iterations = b.roots.size();
        RankForest ranks = null;
        if (preferred == TreeEvaluator.FASTEST || preferred == TreeEvaluator.RANK_LANES
                || preferred == TreeEvaluator.RANK_LOCKSTEP) {
            ranks = b.rankForest.build();
        }
        this.sumInTreeOrder = preferred == TreeEvaluator.RANK_LOCKSTEP;
        this.rankForest = ranks;
        QuickScorer qs = null;
        if (ranks == null && (preferred == TreeEvaluator.FASTEST || preferred == TreeEvaluator.QUICKSCORER)) {
            qs = b.quickScorer.build();
        }
        this.quickScorer = qs;
        boolean lockstep = ranks == null && qs == null && preferred != TreeEvaluator.BRANCHES && b.branchFree;
        this.layout = lockstep ? b.layout.build() : null;
        this.evaluator = ranks != null ? (sumInTreeOrder ? TreeEvaluator.RANK_LOCKSTEP : TreeEvaluator.RANK_LANES)
                : qs != null ? TreeEvaluator.QUICKSCORER
                : lockstep ? TreeEvaluator.LOCKSTEP : TreeEvaluator.BRANCHES;
        this.variantUsed = b.variantUsed;
        int scratchLength = layout == null ? 0 : VARIANTS * numFeatures;
        int trees = layout == null ? 0 : layout.roots.length;
        this.leafScratch = ThreadLocal.withInitial(() -> new int[trees]);
        this.scratch = ThreadLocal.withInitial(() -> new double[scratchLength]);
    }

    /** Parses and compiles a LightGBM text model; throws IllegalArgumentException naming what is wrong. */
    public static LightGbmJavaModel parse(String text) {
        return parse(text, TreeEvaluator.FASTEST);
    }

    /**
     * Parses a LightGBM text model for the given evaluator: {@link TreeEvaluator#FASTEST} (the rank lockstep
     * with lane sums for numerical models, else QuickScorer when every tree has at most 64 leaves, else the
     * lockstep walk, else the branchy walk), or a named one, used when the model allows it (else the branchy
     * walk). Every evaluator but {@link TreeEvaluator#RANK_LANES} returns LightGBM's raw score bit for bit; that
     * one adds the same leaves in another order.
     */
    public static LightGbmJavaModel parse(String text, TreeEvaluator evaluator) {
        return new LightGbmTextParser().parse(text, evaluator);
    }

    /** The evaluator this model runs on. */
    public TreeEvaluator evaluator() {
        return evaluator;
    }

    @Override
    public double predict(double[] x) {
        if (x.length != numFeatures) {
            throw new IllegalArgumentException("row has " + x.length + " features, model expects " + numFeatures);
        }
        return transform(rawScore(x, 0));
    }

    /** The raw score (log-odds) of the row starting at {@code offset} of {@code x}. */
    public double rawScore(double[] x, int offset) {
        if (rankForest != null) {
            double sum = sumInTreeOrder ? rankForest.sumInTreeOrder(x, offset) : rankForest.sumByLanes(x, offset);
            return averageOutput ? sum / iterations : sum;
        }
        if (quickScorer != null) {
            double sum = quickScorer.sum(x, offset);
            return averageOutput ? sum / iterations : sum;
        }
        return layout != null ? rawScoreBranchFree(x, offset) : rawScoreByBranches(x, offset);
    }

    /** Whether this model runs branch-free (QuickScorer or the lockstep layout), not on the branchy walk. */
    public boolean branchFree() {
        return evaluator != TreeEvaluator.BRANCHES;
    }

    private double rawScoreBranchFree(double[] x, int offset) {
        final int nf = numFeatures;
        final double[] s = scratch.get();
        final boolean v1 = variantUsed[1];
        final boolean v2 = variantUsed[2];
        final boolean v3 = variantUsed[3];
        final boolean v4 = variantUsed[4];
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            if (Math.abs(v) <= K_ZERO_THRESHOLD) {
                v = 0.0;
            }
            // real infinities become +/-MAX_VALUE so that only substituted NaN/zero values are infinite;
            // no threshold is +/-MAX_VALUE, so no comparison changes (see the builder)
            v = Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v));
            boolean nan = v != v;
            s[f] = nan ? 0.0 : v;
            if (v1) {
                s[nf + f] = nan ? Double.NEGATIVE_INFINITY : v;
            }
            if (v2) {
                s[2 * nf + f] = nan ? Double.POSITIVE_INFINITY : v;
            }
            if (v3) {
                s[3 * nf + f] = nan || v == 0.0 ? Double.NEGATIVE_INFINITY : v;
            }
            if (v4) {
                s[4 * nf + f] = nan || v == 0.0 ? Double.POSITIVE_INFINITY : v;
            }
        }
        final ForestLayout l = layout;
        final int[] roots = l.orderedRoots;
        final int[] order = l.order;
        final int[] leafOf = leafScratch.get();
        final int[] ft = l.feature;
        final int[] ch = l.children;
        final double[] th = l.threshold;
        final double[] lf = l.leaf;
        final int[] blockDepth = l.blockDepth;
        double sum = 0.0;
        int t = 0;
        // the sign bit of (threshold - x) is 1 exactly when x > threshold: the right child
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
                n0 = ch[(n0 << 1) | (int) (Double.doubleToRawLongBits(th[n0] - s[ft[n0]]) >>> 63)];
                n1 = ch[(n1 << 1) | (int) (Double.doubleToRawLongBits(th[n1] - s[ft[n1]]) >>> 63)];
                n2 = ch[(n2 << 1) | (int) (Double.doubleToRawLongBits(th[n2] - s[ft[n2]]) >>> 63)];
                n3 = ch[(n3 << 1) | (int) (Double.doubleToRawLongBits(th[n3] - s[ft[n3]]) >>> 63)];
                n4 = ch[(n4 << 1) | (int) (Double.doubleToRawLongBits(th[n4] - s[ft[n4]]) >>> 63)];
                n5 = ch[(n5 << 1) | (int) (Double.doubleToRawLongBits(th[n5] - s[ft[n5]]) >>> 63)];
                n6 = ch[(n6 << 1) | (int) (Double.doubleToRawLongBits(th[n6] - s[ft[n6]]) >>> 63)];
                n7 = ch[(n7 << 1) | (int) (Double.doubleToRawLongBits(th[n7] - s[ft[n7]]) >>> 63)];
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
                n = ch[(n << 1) | (int) (Double.doubleToRawLongBits(th[n] - s[ft[n]]) >>> 63)];
            }
            leafOf[order[t]] = n;
        }
        for (int tree = 0; tree < roots.length; tree++) {
            sum += lf[leafOf[tree]];
        }
        return averageOutput ? sum / iterations : sum;
    }

    /** The general walk: every LightGBM rule, one branch per node. Used for categorical models. */
    double rawScoreByBranches(double[] x, int offset) {
        final int[] roots = this.roots;
        final int[] feature = this.feature;
        final double[] threshold = this.threshold;
        final int[] left = this.left;
        final int[] right = this.right;
        final int[] nanChild = this.nanChild;
        final boolean[] slow = this.slow;
        final double[] leafValue = this.leafValue;
        double sum = 0.0;
        for (int t = 0; t < roots.length; t++) {
            int n = roots[t];
            while (n >= 0) {
                double f = x[offset + feature[n]];
                if (!slow[n]) {
                    double th = threshold[n];
                    n = f <= th ? left[n] : f > th ? right[n] : nanChild[n];
                } else {
                    n = slowDecision(f, n);
                }
            }
            sum += leafValue[~n];
        }
        return averageOutput ? sum / iterations : sum;
    }

    /** Raw score of a single row, as {@code LGBM_BoosterPredictForMat} with C_API_PREDICT_RAW_SCORE returns it. */
    public double predictRaw(double[] x) {
        if (x.length != numFeatures) {
            throw new IllegalArgumentException("row has " + x.length + " features, model expects " + numFeatures);
        }
        return rawScore(x, 0);
    }

    private int slowDecision(double f, int n) {
        int dt = decisionType[n];
        if (Math.abs(f) <= K_ZERO_THRESHOLD) {
            f = 0.0;
        }
        if ((dt & CATEGORICAL_MASK) != 0) {
            if (Double.isNaN(f) || f >= 2147483648.0) {
                return right[n];  // NaN and out-of-int values cast to INT_MIN in C++: negative, so right
            }
            int v = (int) f;
            if (v < 0) {
                return right[n];
            }
            int word = v >>> 5;
            if (word >= catWords[n]) {
                return right[n];
            }
            return ((catBits[catStart[n] + word] >>> (v & 31)) & 1) != 0 ? left[n] : right[n];
        }
        int missingType = (dt >> 2) & 3;
        if (Double.isNaN(f) && missingType != MISSING_NAN) {
            f = 0.0;
        }
        if ((missingType == MISSING_ZERO && f == 0.0) || (missingType == MISSING_NAN && Double.isNaN(f))) {
            return (dt & DEFAULT_LEFT_MASK) != 0 ? left[n] : right[n];
        }
        return f <= threshold[n] ? left[n] : right[n];
    }

    private double transform(double raw) {
        return 1.0 / (1.0 + Math.exp(-sigmoid * raw));
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        if (rowsRowMajor.length < (long) rows * numFeatures || out.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + (long) rows * numFeatures
                    + " values and " + rows + " outputs, got " + rowsRowMajor.length + " and " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = transform(rawScore(rowsRowMajor, r * numFeatures));
        }
    }

    /** Raw scores of a row-major batch. */
    public void predictBatchRaw(double[] rowsRowMajor, int rows, double[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = rawScore(rowsRowMajor, r * numFeatures);
        }
    }

    public int numTrees() {
        return numTrees;
    }

    public int numNodes() {
        return feature.length;
    }

    /** Bytes held by the compiled arrays (array headers included, object headers of this class excluded). */
    public long memoryBytes() {
        return ArraySizes.of(roots) + ArraySizes.of(feature) + ArraySizes.of(threshold) + ArraySizes.of(left)
                + ArraySizes.of(right) + ArraySizes.of(nanChild) + ArraySizes.of(slow) + ArraySizes.of(decisionType)
                + ArraySizes.of(catStart) + ArraySizes.of(catWords) + ArraySizes.of(catBits) + ArraySizes.of(leafValue)
                + (layout == null ? 0 : layout.memoryBytes()) + (quickScorer == null ? 0 : quickScorer.memoryBytes())
                + (rankForest == null ? 0 : rankForest.memoryBytes());
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.LIGHTGBM_TEXT;
    }

    @Override
    public void close() {
    }
}
