package io.riptide.serving.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * QuickScorer (Lucchese et al., SIGIR 2015) for LightGBM trees of at most 64 leaves.
 *
 * <p>Each tree's leaves are numbered left to right (in-order) and the tree's state is a bitvector of the
 * leaves still possible, starting all ones. A node whose test is false (the row goes right) rules out
 * every leaf of its left subtree: its bitvector state is ANDed with a mask clearing them. Once every false
 * node of every tree has been applied, the exit leaf of a tree is the lowest set bit of its state (the
 * leftmost leaf not ruled out: every leaf left of the exit leaf lies in the left subtree of a node on the
 * path where the row went right). The false nodes are found per feature, not per tree: the numerical nodes
 * on one feature are kept sorted by threshold, so for a row value v the nodes going right ({@code v >
 * threshold}) are a prefix of the list, scanned until the first threshold that is not below v. No tree is
 * walked and nothing depends on the previous node's outcome.
 *
 * <p>LightGBM's missing-value rules (tree.h {@code NumericalDecision}) only treat two kinds of value
 * specially, NaN and zero (|v| <= kZeroThreshold, which the C API drops from the row, so it reads as 0):
 * <ul>
 *   <li>NaN goes to the default child for missing type NaN and Zero, else it is read as 0 and compared;</li>
 *   <li>zero goes to the default child for missing type Zero, else it is compared;</li>
 *   <li>any other value v goes left exactly when {@code v <= threshold}, whatever the missing type.</li>
 * </ul>
 * So each feature has, besides its sorted list, the precomputed lists of the nodes that send NaN right and
 * of the nodes that send zero right. Categorical nodes are decided per row (the category's bit in the node's
 * bitset, NaN, negative and out-of-range categories right) and apply their mask when the row goes right.
 *
 * <p>Leaf values are summed in tree order, so the raw score is bit for bit that of a tree-by-tree walk.
 * Trees of up to 32 leaves use int bitvectors with the tree index and the mask packed in one long; models
 * with a tree of 33 to 64 leaves use long bitvectors.
 */
final class QuickScorer {

    static final int MAX_LEAVES = 64;
    private static final int CATEGORICAL_MASK = 1;
    private static final int DEFAULT_LEFT_MASK = 2;
    private static final int MISSING_ZERO = 1;
    private static final int MISSING_NAN = 2;

    final int numFeatures;
    final int numTrees;
    final boolean wide;
    /** Thresholds of the numerical nodes, per feature ascending, each feature's run closed by a NaN sentinel. */
    final double[] threshold;
    /** Start of each feature's run in {@link #threshold}. */
    final int[] start;
    /** Narrow: tree << 32 | int mask, aligned with {@link #threshold}. Wide: the tree index in {@link #tree}. */
    final long[] entry;
    final int[] tree;
    final long[] wideMask;
    /** Nodes that send NaN right: entries from nanStart[f] to nanStart[f + 1]. */
    final int[] nanStart;
    final long[] nanEntry;
    final int[] nanTree;
    final long[] nanWideMask;
    /** Nodes that send zero right. */
    final int[] zeroStart;
    final long[] zeroEntry;
    final int[] zeroTree;
    final long[] zeroWideMask;
    /** Categorical nodes: feature, tree, mask, bitset start and length in words. */
    final int[] catFeature;
    final int[] catTree;
    final long[] catMask;
    final int[] catStart;
    final int[] catWords;
    final int[] catBits;
    /** Leaf values of tree t by in-order position p at leafOffset[t] + p. */
    final int[] leafOffset;
    final double[] leafValue;
    private final ThreadLocal<int[]> narrowState;
    private final ThreadLocal<long[]> wideState;

    private QuickScorer(Builder b) {
        this.numFeatures = b.numFeatures;
        this.numTrees = b.leafOffsets.size();
        this.wide = b.wide;
        int nf = numFeatures;
        int total = 0;
        for (List<Node> list : b.main) {
            total += list.size() + 1;
        }
        threshold = new double[total];
        start = new int[nf];
        entry = wide ? new long[0] : new long[total];
        tree = wide ? new int[total] : new int[0];
        wideMask = wide ? new long[total] : new long[0];
        int k = 0;
        for (int f = 0; f < nf; f++) {
            List<Node> list = b.main.get(f);
            list.sort((p, q) -> Double.compare(p.threshold, q.threshold));
            start[f] = k;
            for (Node n : list) {
                threshold[k] = n.threshold;
                put(n, k, entry, tree, wideMask);
                k++;
            }
            threshold[k] = Double.NaN;  // no value is below NaN: ends the scan
            if (wide) {
                tree[k] = 0;
                wideMask[k] = -1L;
            }
            k++;
        }
        nanStart = new int[nf + 1];
        int nanTotal = b.nan.stream().mapToInt(List::size).sum();
        nanEntry = wide ? new long[0] : new long[nanTotal];
        nanTree = wide ? new int[nanTotal] : new int[0];
        nanWideMask = wide ? new long[nanTotal] : new long[0];
        fillSide(b.nan, nanStart, nanEntry, nanTree, nanWideMask);
        zeroStart = new int[nf + 1];
        int zeroTotal = b.zero.stream().mapToInt(List::size).sum();
        zeroEntry = wide ? new long[0] : new long[zeroTotal];
        zeroTree = wide ? new int[zeroTotal] : new int[0];
        zeroWideMask = wide ? new long[zeroTotal] : new long[0];
        fillSide(b.zero, zeroStart, zeroEntry, zeroTree, zeroWideMask);
        int cats = b.cat.size();
        catFeature = new int[cats];
        catTree = new int[cats];
        catMask = new long[cats];
        catStart = new int[cats];
        catWords = new int[cats];
        for (int c = 0; c < cats; c++) {
            Node n = b.cat.get(c);
            catFeature[c] = n.feature;
            catTree[c] = n.tree;
            catMask[c] = n.mask;
            catStart[c] = n.catStart;
            catWords[c] = n.catWords;
        }
        catBits = b.catBits.toArray();
        leafOffset = b.leafOffsets.stream().mapToInt(Integer::intValue).toArray();
        leafValue = b.leafValues.toArray();
        int trees = numTrees;
        narrowState = wide ? null : ThreadLocal.withInitial(() -> new int[trees]);
        wideState = wide ? ThreadLocal.withInitial(() -> new long[trees]) : null;
    }

    private void put(Node n, int k, long[] entry, int[] tree, long[] wideMask) {
        if (wide) {
            tree[k] = n.tree;
            wideMask[k] = n.mask;
        } else {
            entry[k] = ((long) n.tree << 32) | (n.mask & 0xFFFFFFFFL);
        }
    }

    private void fillSide(List<List<Node>> lists, int[] starts, long[] entry, int[] tree, long[] wideMask) {
        int k = 0;
        for (int f = 0; f < numFeatures; f++) {
            starts[f] = k;
            for (Node n : lists.get(f)) {
                put(n, k++, entry, tree, wideMask);
            }
        }
        starts[numFeatures] = k;
    }

    /** The raw score (sum of the exit leaves' values in tree order) of the row at {@code offset} of {@code x}. */
    double sum(double[] x, int offset) {
        return wide ? sumWide(x, offset) : sumNarrow(x, offset);
    }

    private double sumNarrow(double[] x, int offset) {
        final int[] bv = narrowState.get();
        Arrays.fill(bv, -1);
        final int nf = numFeatures;
        final double[] threshold = this.threshold;
        final long[] entry = this.entry;
        final int[] start = this.start;
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            if (v != v) {
                final long[] side = nanEntry;
                for (int k = nanStart[f], end = nanStart[f + 1]; k < end; k++) {
                    long e = side[k];
                    bv[(int) (e >>> 32)] &= (int) e;
                }
            } else if (Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD) {
                final long[] side = zeroEntry;
                for (int k = zeroStart[f], end = zeroStart[f + 1]; k < end; k++) {
                    long e = side[k];
                    bv[(int) (e >>> 32)] &= (int) e;
                }
            } else {
                for (int k = start[f]; threshold[k] < v; k++) {
                    long e = entry[k];
                    bv[(int) (e >>> 32)] &= (int) e;
                }
            }
        }
        for (int c = 0; c < catFeature.length; c++) {
            if (!categoryGoesLeft(x[offset + catFeature[c]], c)) {
                bv[catTree[c]] &= (int) catMask[c];
            }
        }
        final int[] leafOffset = this.leafOffset;
        final double[] leafValue = this.leafValue;
        double sum = 0.0;
        for (int t = 0; t < bv.length; t++) {
            sum += leafValue[leafOffset[t] + Integer.numberOfTrailingZeros(bv[t])];
        }
        return sum;
    }

    private double sumWide(double[] x, int offset) {
        final long[] bv = wideState.get();
        Arrays.fill(bv, -1L);
        final int nf = numFeatures;
        final double[] threshold = this.threshold;
        final int[] tree = this.tree;
        final long[] mask = this.wideMask;
        final int[] start = this.start;
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            if (v != v) {
                for (int k = nanStart[f], end = nanStart[f + 1]; k < end; k++) {
                    bv[nanTree[k]] &= nanWideMask[k];
                }
            } else if (Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD) {
                for (int k = zeroStart[f], end = zeroStart[f + 1]; k < end; k++) {
                    bv[zeroTree[k]] &= zeroWideMask[k];
                }
            } else {
                for (int k = start[f]; threshold[k] < v; k++) {
                    bv[tree[k]] &= mask[k];
                }
            }
        }
        for (int c = 0; c < catFeature.length; c++) {
            if (!categoryGoesLeft(x[offset + catFeature[c]], c)) {
                bv[catTree[c]] &= catMask[c];
            }
        }
        final int[] leafOffset = this.leafOffset;
        final double[] leafValue = this.leafValue;
        double sum = 0.0;
        for (int t = 0; t < bv.length; t++) {
            sum += leafValue[leafOffset[t] + Long.numberOfTrailingZeros(bv[t])];
        }
        return sum;
    }

    /** LightGBM's {@code CategoricalDecision}, as in {@link LightGbmJavaModel}'s branchy walk. */
    private boolean categoryGoesLeft(double f, int c) {
        if (Math.abs(f) <= LightGbmJavaModel.K_ZERO_THRESHOLD) {
            f = 0.0;
        }
        if (Double.isNaN(f) || f >= 2147483648.0) {
            return false;  // NaN and out-of-int values cast to INT_MIN in C++: negative, so right
        }
        int v = (int) f;
        if (v < 0) {
            return false;
        }
        int word = v >>> 5;
        if (word >= catWords[c]) {
            return false;
        }
        return ((catBits[catStart[c] + word] >>> (v & 31)) & 1) != 0;
    }

    long memoryBytes() {
        return ArraySizes.of(threshold) + ArraySizes.of(start) + ArraySizes.of(entry) + ArraySizes.of(tree)
                + ArraySizes.of(wideMask) + ArraySizes.of(nanStart) + ArraySizes.of(nanEntry) + ArraySizes.of(nanTree)
                + ArraySizes.of(nanWideMask) + ArraySizes.of(zeroStart) + ArraySizes.of(zeroEntry)
                + ArraySizes.of(zeroTree) + ArraySizes.of(zeroWideMask) + ArraySizes.of(catFeature)
                + ArraySizes.of(catTree) + ArraySizes.of(catMask) + ArraySizes.of(catStart) + ArraySizes.of(catWords)
                + ArraySizes.of(catBits) + ArraySizes.of(leafOffset) + ArraySizes.of(leafValue);
    }

    private static final class Node {
        final int feature;
        final double threshold;
        final int tree;
        final long mask;
        final int catStart;
        final int catWords;

        Node(int feature, double threshold, int tree, long mask, int catStart, int catWords) {
            this.feature = feature;
            this.threshold = threshold;
            this.tree = tree;
            this.mask = mask;
            this.catStart = catStart;
            this.catWords = catWords;
        }
    }

    /** Collects LightGBM trees as parsed from the text model; {@link #build()} returns null if one does not fit. */
    static final class Builder {
        private final int numFeatures;
        private final List<List<Node>> main = new ArrayList<>();
        private final List<List<Node>> nan = new ArrayList<>();
        private final List<List<Node>> zero = new ArrayList<>();
        private final List<Node> cat = new ArrayList<>();
        private final IntList catBits = new IntList();
        private final List<Integer> leafOffsets = new ArrayList<>();
        private final DoubleList leafValues = new DoubleList();
        private boolean wide;
        private boolean unsupported;

        Builder(int numFeatures) {
            this.numFeatures = numFeatures;
            for (int f = 0; f < numFeatures; f++) {
                main.add(new ArrayList<>());
                nan.add(new ArrayList<>());
                zero.add(new ArrayList<>());
            }
        }

        /**
         * Adds one tree in LightGBM's own arrays (children >= 0 internal, ~leaf for leaves); categorical nodes
         * use {@code catBoundaries} and {@code catThreshold} as in the text model (null when none).
         */
        void addTree(int numLeaves, int[] splitFeature, double[] threshold, int[] decisionType, int[] leftChild,
                     int[] rightChild, double[] leaves, int[] catBoundaries, int[] catThreshold) {
            int t = leafOffsets.size();
            if (numLeaves > MAX_LEAVES) {
                unsupported = true;
            }
            wide |= numLeaves > 32;
            int[] position = new int[numLeaves];
            int inner = numLeaves - 1;
            int[] lo = new int[Math.max(inner, 0)];
            int[] hi = new int[Math.max(inner, 0)];
            if (numLeaves == 1) {
                position[0] = 0;
            } else if (!unsupported) {
                TreeShape.checkLightGbm("LightGBM tree " + t, numLeaves, leftChild, rightChild);
                inOrder(leftChild, rightChild, position, lo, hi);
            }
            int offset = leafValues.size();
            leafOffsets.add(offset);
            double[] ordered = new double[numLeaves];
            for (int j = 0; j < numLeaves; j++) {
                ordered[position[j]] = leaves[j];
            }
            for (double v : ordered) {
                leafValues.add(v);
            }
            if (unsupported) {
                return;
            }
            int catOffset = catBits.size();
            if (catThreshold != null) {
                for (int w : catThreshold) {
                    catBits.add(w);
                }
            }
            for (int k = 0; k < inner; k++) {
                int width = hi[k] - lo[k];
                long mask = ~(((1L << width) - 1) << lo[k]);  // width <= 63
                int f = splitFeature[k];
                int dt = decisionType[k];
                double th = threshold[k];
                if ((dt & CATEGORICAL_MASK) != 0) {
                    int set = (int) th;
                    cat.add(new Node(f, 0.0, t, mask, catOffset + catBoundaries[set],
                            catBoundaries[set + 1] - catBoundaries[set]));
                    continue;
                }
                if (Double.isNaN(th)) {
                    unsupported = true;
                    return;
                }
                int missingType = (dt >> 2) & 3;
                boolean defaultLeft = (dt & DEFAULT_LEFT_MASK) != 0;
                Node n = new Node(f, th, t, mask, 0, 0);
                main.get(f).add(n);
                boolean nanRight = missingType == MISSING_NAN || missingType == MISSING_ZERO ? !defaultLeft : !(0.0 <= th);
                boolean zeroRight = missingType == MISSING_ZERO ? !defaultLeft : !(0.0 <= th);
                if (nanRight) {
                    nan.get(f).add(n);
                }
                if (zeroRight) {
                    zero.get(f).add(n);
                }
            }
        }

        /**
         * Numbers the leaves left to right and records, per node, the positions [lo, hi) of the leaves in its left
         * subtree. Iterative: the stack holds the nodes whose left subtree is being numbered, at most the depth.
         */
        private static void inOrder(int[] left, int[] right, int[] position, int[] lo, int[] hi) {
            int[] stack = new int[left.length];
            int size = 0;
            int counter = 0;
            int node = 0;
            while (true) {
                while (node >= 0) {
                    lo[node] = counter;
                    stack[size++] = node;
                    node = left[node];
                }
                position[~node] = counter++;
                if (size == 0) {
                    return;
                }
                int parent = stack[--size];
                hi[parent] = counter;
                node = right[parent];
            }
        }

        QuickScorer build() {
            return unsupported ? null : new QuickScorer(this);
        }
    }
}
