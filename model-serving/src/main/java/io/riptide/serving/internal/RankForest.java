package io.riptide.serving.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * LightGBM numerical trees walked {@link #LANES} at a time on threshold ranks, each node one {@code long}.
 *
 * <p>Rank: per feature, the distinct thresholds of the model's nodes on it are sorted; a row value v is
 * replaced by its rank, the number of those thresholds below v, found by a branch-free binary search. Then
 * {@code v > threshold[q]} (LightGBM's "go right") is exactly {@code rank > q}, an int comparison, and a
 * node fits in one long: q (bits 0-15), the row slot it reads (bits 16-30) and its left child (bits 32-63),
 * the right child being the next slot, so a step is {@code p = left + (rank > q ? 1 : 0)}.
 * LightGBM's missing-value rules become ranks too: every node reads one of five variants of the row (as in
 * {@link LightGbmJavaModel}): NaN read as 0 (the rank of 0), NaN as "always left" (-1) or "always right"
 * (a rank above every q), and NaN and zero as always left or always right. Values with |v| <= kZeroThreshold
 * are zero, as the C API drops them.
 *
 * <p>A block holds {@link #LANES} trees of similar depth (trees sorted by depth); its nodes and leaves live in one
 * {@code long[]}: slot p (< {@code slots}) is a node, where a leaf is a node that reads a row slot holding -1
 * (never right) and whose left child is itself, and {@code slots + p} holds the leaf's value. The trees of
 * a block are walked for as many steps as its deepest tree. Each tree's leaf value is recorded under
 * the tree's index and the values are then summed in the model's tree order, so the sum is bit for bit that
 * of a tree-by-tree walk.
 */
final class RankForest {

    static final int LANES = 8;
    private static final int MAX_SLOTS = 1 << 16;
    /** A rank above every q. */
    private static final int ALWAYS_RIGHT = 1 << 16;

    final int numFeatures;
    /** Per feature: start of its sorted distinct thresholds in {@link #cuts}, padded with +inf to one power of two. */
    final int[] cutStart;
    /** Half that power of two: the binary search's first step, the same for every feature. */
    final int half;
    final double[] cuts;
    /** Rank of 0.0 per feature. */
    final int[] zeroRank;
    final boolean[] variantUsed;
    final long[][] blocks;
    final int[] blockDepth;
    /** Tree index of lane j of block b at {@code b * LANES + j}; dummy lanes point past the last tree. */
    final int[] treeOf;
    final int numTrees;
    private final ThreadLocal<Scratch> scratch;

    /** Per-thread working arrays: row ranks by slot, the values searched, and each tree's leaf value. */
    private static final class Scratch {
        final int[] rank;
        final double[] value;
        final double[] leaf;

        Scratch(int slots, int features, int trees) {
            rank = new int[slots + 1];
            rank[slots] = -1;  // the slot leaves read: never right of q 0
            value = new double[features];
            leaf = new double[trees + 1];
        }
    }

    private RankForest(int numFeatures, int[] cutStart, int half, double[] cuts, int[] zeroRank,
                       boolean[] variantUsed, long[][] blocks, int[] blockDepth, int[] treeOf, int numTrees) {
        this.numFeatures = numFeatures;
        this.cutStart = cutStart;
        this.half = half;
        this.cuts = cuts;
        this.zeroRank = zeroRank;
        this.variantUsed = variantUsed;
        this.blocks = blocks;
        this.blockDepth = blockDepth;
        int length = LightGbmJavaModel.VARIANTS * numFeatures;
        this.treeOf = treeOf;
        this.numTrees = numTrees;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(length, numFeatures, numTrees));
    }

    /** The sum of the trees' leaf values for the row at {@code offset} of {@code x}, in tree order. */
    double sum(double[] x, int offset) {
        final int nf = numFeatures;
        final Scratch scratch = this.scratch.get();
        final int[] s = scratch.rank;
        final double[] cuts = this.cuts;
        final int[] cutStart = this.cutStart;
        final int half = this.half;
        final boolean v1 = variantUsed[1];
        final boolean v2 = variantUsed[2];
        final boolean v3 = variantUsed[3];
        final boolean v4 = variantUsed[4];
        final double[] value = scratch.value;
        // 1: the value each feature is searched with: NaN and zero (|v| <= kZeroThreshold) as 0, which is what
        // variant 0 reads; real infinities as +/-MAX_VALUE (no cut is +/-MAX_VALUE or -inf, see the builder, and
        // a +inf cut, padding or a threshold LightGBM wrote as inf, then never counts as below the value)
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            v = v != v || Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD ? 0.0 : v;
            value[f] = Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v));
            s[f] = cutStart[f];
        }
        // 2: branch-free binary searches, level by level across features, so that the features' searches are
        // independent work for the CPU; s[f] ends on the first cut not below the value
        for (int h = half; h > 0; h >>= 1) {
            for (int f = 0; f < nf; f++) {
                int b = s[f];
                s[f] = b + (h & (int) (Double.doubleToRawLongBits(cuts[b + h - 1] - value[f]) >> 63));
            }
        }
        // 3: ranks, and the variants that substitute NaN and zero
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            int r = s[f] - cutStart[f];
            boolean nan = v != v;
            boolean zero = nan || Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD;
            s[f] = r;
            if (v1) {
                s[nf + f] = nan ? -1 : r;
            }
            if (v2) {
                s[2 * nf + f] = nan ? ALWAYS_RIGHT : r;
            }
            if (v3) {
                s[3 * nf + f] = zero ? -1 : r;
            }
            if (v4) {
                s[4 * nf + f] = zero ? ALWAYS_RIGHT : r;
            }
        }
        final long[][] blocks = this.blocks;
        final double[] leaf = scratch.leaf;
        final int[] treeOf = this.treeOf;
        for (int bk = 0; bk < blocks.length; bk++) {
            final long[] a = blocks[bk];
            int p0 = 0;
            int p1 = 1;
            int p2 = 2;
            int p3 = 3;
            int p4 = 4;
            int p5 = 5;
            int p6 = 6;
            int p7 = 7;
            // bit = 1 (rank > q: the row goes right) takes the right child, stored just after the left one
            for (int d = blockDepth[bk]; d > 0; d--) {
                long e0 = a[p0];
                p0 = (int) (e0 >>> 32) + (((int) e0 & 0xFFFF) - s[(int) e0 >>> 16] >>> 31);
                long e1 = a[p1];
                p1 = (int) (e1 >>> 32) + (((int) e1 & 0xFFFF) - s[(int) e1 >>> 16] >>> 31);
                long e2 = a[p2];
                p2 = (int) (e2 >>> 32) + (((int) e2 & 0xFFFF) - s[(int) e2 >>> 16] >>> 31);
                long e3 = a[p3];
                p3 = (int) (e3 >>> 32) + (((int) e3 & 0xFFFF) - s[(int) e3 >>> 16] >>> 31);
                long e4 = a[p4];
                p4 = (int) (e4 >>> 32) + (((int) e4 & 0xFFFF) - s[(int) e4 >>> 16] >>> 31);
                long e5 = a[p5];
                p5 = (int) (e5 >>> 32) + (((int) e5 & 0xFFFF) - s[(int) e5 >>> 16] >>> 31);
                long e6 = a[p6];
                p6 = (int) (e6 >>> 32) + (((int) e6 & 0xFFFF) - s[(int) e6 >>> 16] >>> 31);
                long e7 = a[p7];
                p7 = (int) (e7 >>> 32) + (((int) e7 & 0xFFFF) - s[(int) e7 >>> 16] >>> 31);
            }
            final int slots = a.length >> 1;
            final int t = bk * LANES;
            leaf[treeOf[t]] = Double.longBitsToDouble(a[slots + p0]);
            leaf[treeOf[t + 1]] = Double.longBitsToDouble(a[slots + p1]);
            leaf[treeOf[t + 2]] = Double.longBitsToDouble(a[slots + p2]);
            leaf[treeOf[t + 3]] = Double.longBitsToDouble(a[slots + p3]);
            leaf[treeOf[t + 4]] = Double.longBitsToDouble(a[slots + p4]);
            leaf[treeOf[t + 5]] = Double.longBitsToDouble(a[slots + p5]);
            leaf[treeOf[t + 6]] = Double.longBitsToDouble(a[slots + p6]);
            leaf[treeOf[t + 7]] = Double.longBitsToDouble(a[slots + p7]);
        }
        double sum = 0.0;
        for (int t = 0; t < numTrees; t++) {
            sum += leaf[t];
        }
        return sum;
    }

    long memoryBytes() {
        long bytes = ArraySizes.of(cutStart) + ArraySizes.of(cuts) + ArraySizes.of(zeroRank)
                + ArraySizes.of(variantUsed) + ArraySizes.of(blockDepth) + ArraySizes.of(treeOf) + ArraySizes.align(16 + 4L * blocks.length);
        for (long[] b : blocks) {
            bytes += ArraySizes.of(b);
        }
        return bytes;
    }

    /** One LightGBM tree, numerical splits only: variant-expanded row slot, threshold, children (~leaf). */
    private record Tree(int[] slot, int[] feature, double[] threshold, int[] left, int[] right, double[] leaves) {
    }

    /** Collects trees; {@link #build()} returns null when a tree or the model does not fit the encoding. */
    static final class Builder {
        private final int numFeatures;
        private final List<Tree> trees = new ArrayList<>();
        private final List<TreeSet<Double>> thresholds = new ArrayList<>();
        private final boolean[] variantUsed = new boolean[LightGbmJavaModel.VARIANTS];
        private boolean unsupported;

        Builder(int numFeatures) {
            this.numFeatures = numFeatures;
            for (int f = 0; f < numFeatures; f++) {
                thresholds.add(new TreeSet<>());
            }
            variantUsed[0] = true;
            if (LightGbmJavaModel.VARIANTS * numFeatures >= (1 << 15)) {
                unsupported = true;
            }
        }

        /**
         * Adds a tree: {@code slot[k]} is the variant-expanded row slot of node k (variant * numFeatures +
         * feature), {@code categorical} whether any node is categorical (then the model is not supported).
         */
        void addTree(int[] slot, int[] feature, double[] threshold, int[] left, int[] right, double[] leaves,
                     boolean categorical) {
            if (categorical) {
                unsupported = true;
                return;
            }
            for (int k = 0; k < slot.length; k++) {
                double th = threshold[k] + 0.0;
                if (Double.isNaN(th) || th == Double.NEGATIVE_INFINITY || Math.abs(th) == Double.MAX_VALUE) {
                    unsupported = true;
                    return;
                }
                variantUsed[slot[k] / numFeatures] = true;
                thresholds.get(feature[k]).add(th);
            }
            trees.add(new Tree(slot, feature, threshold, left, right, leaves));
        }

        private static int depth(Tree tree, int ref, int level) {
            if (ref < 0 || tree.slot.length == 0) {
                return 0;
            }
            if (level > 64) {
                throw new IllegalArgumentException("LightGBM tree deeper than 64 or cyclic");
            }
            return 1 + Math.max(depth(tree, tree.left[ref], level + 1), depth(tree, tree.right[ref], level + 1));
        }

        /** Index of a tree's node (ref >= 0) or leaf (~index) in one numbering, nodes first. */
        private static int index(Tree tree, int ref) {
            return ref >= 0 ? ref : (tree == null ? 0 : tree.slot.length + ~ref);
        }

        RankForest build() {
            if (unsupported || trees.isEmpty()) {
                return null;
            }
            int nf = numFeatures;
            int[] cutStart = new int[nf];
            int[] zeroRank = new int[nf];
            int most = 0;
            for (int f = 0; f < nf; f++) {
                most = Math.max(most, thresholds.get(f).size());
            }
            // every feature padded with +inf to one power of two > its cut count: the search then counts exactly
            // the cuts below v, in the same number of steps for every feature (a loop the CPU predicts)
            int size = Integer.highestOneBit(most) << 1;
            if (most >= ALWAYS_RIGHT - 1 || (long) size * nf > (1 << 22)) {
                return null;
            }
            double[] cuts = new double[size * nf];
            Arrays.fill(cuts, Double.POSITIVE_INFINITY);
            for (int f = 0; f < nf; f++) {
                double[] u = thresholds.get(f).stream().mapToDouble(Double::doubleValue).toArray();
                cutStart[f] = f * size;
                System.arraycopy(u, 0, cuts, f * size, u.length);
                int zr = 0;
                while (zr < u.length && u[zr] < 0.0) {
                    zr++;
                }
                zeroRank[f] = zr;
            }
            int neverSlot = LightGbmJavaModel.VARIANTS * nf;
            int blocks = (trees.size() + LANES - 1) / LANES;
            // blocks of trees of similar depth: a block takes as many steps as its deepest tree
            int[] depthOf = new int[trees.size()];
            for (int t = 0; t < trees.size(); t++) {
                depthOf[t] = depth(trees.get(t), 0, 0);
            }
            int[] treeOf = java.util.stream.IntStream.range(0, blocks * LANES).boxed()
                    .sorted(java.util.Comparator.comparingInt((Integer t) -> t < trees.size() ? depthOf[t] : Integer.MAX_VALUE)
                            .thenComparingInt(t -> t))
                    .mapToInt(t -> Math.min(t, trees.size())).toArray();
            long[][] arrays = new long[blocks][];
            int[] blockDepth = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                List<long[]> nodes = new ArrayList<>();
                List<Double> leafValues = new ArrayList<>();
                int depth = 0;
                // breadth-first positions, lanes interleaved level by level: the roots take slots 0..7 and the
                // two children of a node take two adjacent slots (left, then right)
                int[][] position = new int[LANES][];
                List<ArrayDeque<int[]>> queues = new ArrayList<>();
                List<int[]> order = new ArrayList<>();  // {lane, ref}
                for (int j = 0; j < LANES; j++) {
                    int t = treeOf[b * LANES + j];
                    Tree tree = t < trees.size() ? trees.get(t) : null;
                    position[j] = new int[tree == null ? 1 : tree.slot.length + tree.leaves.length];
                    int root = tree == null || tree.slot.length == 0 ? ~0 : 0;
                    position[j][index(tree, root)] = order.size();
                    order.add(new int[] {j, root});
                    ArrayDeque<int[]> q = new ArrayDeque<>();
                    if (root >= 0) {
                        q.add(new int[] {root, 1});
                    }
                    queues.add(q);
                }
                boolean more = true;
                while (more) {
                    more = false;
                    for (int j = 0; j < LANES; j++) {
                        ArrayDeque<int[]> q = queues.get(j);
                        if (q.isEmpty()) {
                            continue;
                        }
                        more = true;
                        int[] item = q.poll();
                        Tree tree = trees.get(treeOf[b * LANES + j]);
                        int parent = item[0];
                        depth = Math.max(depth, item[1]);
                        for (int child : new int[] {tree.left[parent], tree.right[parent]}) {
                            position[j][index(tree, child)] = order.size();
                            order.add(new int[] {j, child});
                            if (child >= 0) {
                                q.add(new int[] {child, item[1] + 1});
                            }
                        }
                    }
                }
                int slots = order.size();
                if (slots >= MAX_SLOTS || depth > 64) {
                    return null;
                }
                long[] a = new long[2 * slots];
                for (int p = 0; p < slots; p++) {
                    int j = order.get(p)[0];
                    int ref = order.get(p)[1];
                    int t = treeOf[b * LANES + j];
                    Tree tree = t < trees.size() ? trees.get(t) : null;
                    if (ref < 0) {
                        // a leaf: reads the slot that always holds -1 (never right of q 0) and stays where it is
                        a[p] = ((long) p << 32) | ((long) neverSlot << 16);
                        a[slots + p] = Double.doubleToRawLongBits(tree == null ? -0.0 : tree.leaves[~ref]);
                        continue;
                    }
                    int f = tree.feature[ref];
                    double th = tree.threshold[ref] + 0.0;
                    int q = thresholds.get(f).headSet(th, false).size();  // index of th among the feature's cuts
                    int l = position[j][index(tree, tree.left[ref])];
                    if (position[j][index(tree, tree.right[ref])] != l + 1) {
                        throw new IllegalStateException("siblings not adjacent");
                    }
                    a[p] = ((long) l << 32) | ((long) tree.slot[ref] << 16) | q;
                }
                arrays[b] = a;
                blockDepth[b] = depth;
            }
            return new RankForest(nf, cutStart, size >> 1, cuts, zeroRank, variantUsed, arrays, blockDepth, treeOf,
                    trees.size());
        }
    }
}
