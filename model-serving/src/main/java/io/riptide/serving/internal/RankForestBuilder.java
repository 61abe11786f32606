package io.riptide.serving.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Lays LightGBM's numerical trees out as a {@link RankForest}: collects the trees and each feature's distinct
 * thresholds, sorts the trees into blocks of similar depth and writes each block's nodes and leaves in the
 * forest's encoding. {@link #build()} returns null when a tree or the model does not fit that encoding (a
 * categorical split, a -inf or +/-MAX_VALUE threshold, too many features, thresholds or nodes).
 */
final class RankForestBuilder {

    /** One LightGBM tree, numerical splits only: variant-expanded row slot, threshold, children (~leaf). */
    private record Tree(int[] slot, int[] feature, double[] threshold, int[] left, int[] right, double[] leaves) {
    }

    private static final int LANES = RankForest.LANES;

    private final int numFeatures;
    private final List<Tree> trees = new ArrayList<>();
    private final List<TreeSet<Double>> thresholds = new ArrayList<>();
    private final boolean[] variantUsed = new boolean[LightGbmJavaModel.VARIANTS];
    private boolean unsupported;

    RankForestBuilder(int numFeatures) {
        this.numFeatures = numFeatures;
        for (int f = 0; f < numFeatures; f++) {
            thresholds.add(new TreeSet<>());
        }
        variantUsed[0] = true;
        if (RankForest.neverRightSlot(numFeatures) + 2 > RankForest.MAX_ROW_SLOTS) {
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
        int most = 0;
        for (int f = 0; f < nf; f++) {
            most = Math.max(most, thresholds.get(f).size());
        }
        // every feature padded with +inf to one power of two > its cut count: the search then counts exactly
        // the cuts below v, in the same number of steps for every feature (a loop the CPU predicts)
        int size = Integer.highestOneBit(most) << 1;
        if (most >= RankForest.ALWAYS_RIGHT - 1 || (long) size * nf > (1 << 22)) {
            return null;
        }
        long[] cutKeys = new long[size * nf];
        Arrays.fill(cutKeys, RankForest.key(Double.POSITIVE_INFINITY));
        for (int f = 0; f < nf; f++) {
            cutStart[f] = f * size;
            int k = f * size;
            for (double cut : thresholds.get(f)) {
                cutKeys[k++] = RankForest.key(cut);
            }
        }
        int neverRight = RankForest.neverRightSlot(nf);
        int alwaysRight = neverRight + 1;
        int blocks = (trees.size() + LANES - 1) / LANES;
        // blocks of trees of similar depth: a block takes as many steps as its deepest tree
        int[] depthOf = new int[trees.size()];
        for (int t = 0; t < trees.size(); t++) {
            Tree tree = trees.get(t);
            depthOf[t] = TreeShape.depth(tree.left, tree.right, tree.leaves.length);
        }
        int[] treeOf = IntStream.range(0, blocks * LANES).boxed()
                .sorted(Comparator.comparingInt((Integer t) -> t < trees.size() ? depthOf[t] : Integer.MAX_VALUE)
                        .thenComparingInt(t -> t))
                .mapToInt(t -> Math.min(t, trees.size())).toArray();
        long[][] arrays = new long[blocks][];
        int[] blockDepth = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int depth = 0;
            // breadth-first positions, lanes interleaved level by level: the roots take slots 0..7 and the
            // two children of a node take the next two slots, so every left child lands on an even slot
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
            if (slots >= RankForest.MAX_SLOTS || depth > 64) {
                return null;
            }
            long[] a = new long[2 * slots];
            for (int p = 0; p < slots; p++) {
                int j = order.get(p)[0];
                int ref = order.get(p)[1];
                int t = treeOf[b * LANES + j];
                Tree tree = t < trees.size() ? trees.get(t) : null;
                if (ref < 0) {
                    // a leaf steps to itself: at 2c it never goes right, at 2c + 1 always
                    a[p] = (long) ((p & 1) == 0 ? neverRight : alwaysRight) << 48 | (p >> 1);
                    a[slots + p] = Double.doubleToRawLongBits(tree == null ? -0.0 : tree.leaves[~ref]);
                    continue;
                }
                int f = tree.feature[ref];
                double th = tree.threshold[ref] + 0.0;
                int q = thresholds.get(f).headSet(th, false).size();  // index of th among the feature's cuts
                int l = position[j][index(tree, tree.left[ref])];
                if ((l & 1) != 0 || position[j][index(tree, tree.right[ref])] != l + 1) {
                    throw new IllegalStateException("children not side by side at 2c, 2c + 1");
                }
                a[p] = (long) (tree.slot[ref] << 16 | q) << 32 | (l >> 1);
            }
            arrays[b] = a;
            blockDepth[b] = depth;
        }
        return new RankForest(nf, cutStart, size >> 1, cutKeys, variantUsed, arrays, blockDepth, treeOf,
                trees.size());
    }
}
