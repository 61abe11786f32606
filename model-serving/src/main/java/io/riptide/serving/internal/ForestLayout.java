package io.riptide.serving.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The branch-free node layout shared by the Java evaluators.
 *
 * <p>Each tree is stored as its internal nodes followed by its leaves; a leaf is an absorbing node whose two
 * children are itself, so a tree can be walked for a fixed number of steps without testing for leaves. That
 * lets {@link #BLOCK} trees be walked in lockstep, their independent load chains overlapping in the CPU, and
 * lets every step pick its child by index arithmetic instead of a hard-to-predict branch. Leaf values are
 * still added in tree order, so sums are bit-for-bit those of a tree-by-tree walk: blocks are formed from
 * trees sorted by depth (so few steps are wasted on trees that reached their leaf), each tree's leaf is
 * recorded by tree index, and the recorded leaves are then summed in the model's order.
 */
final class ForestLayout {

    /** Trees walked in lockstep. */
    static final int BLOCK = 8;

    final int[] roots;
    /** Tree indexes ordered by depth, so that the trees of a lockstep block have similar depths. */
    final int[] order;
    /** roots[order[k]] */
    final int[] orderedRoots;
    final int[] feature;
    final int[] children;
    final double[] threshold;
    final double[] leaf;
    final int[] depth;
    final int[] blockDepth;

    private ForestLayout(int[] roots, int[] feature, int[] children, double[] threshold, double[] leaf, int[] depth) {
        this.roots = roots;
        this.feature = feature;
        this.children = children;
        this.threshold = threshold;
        this.leaf = leaf;
        this.depth = depth;
        this.order = java.util.stream.IntStream.range(0, roots.length).boxed()
                .sorted(java.util.Comparator.comparingInt((Integer t) -> depth[t]).thenComparingInt(t -> t))
                .mapToInt(Integer::intValue).toArray();
        this.orderedRoots = new int[roots.length];
        for (int k = 0; k < roots.length; k++) {
            orderedRoots[k] = roots[order[k]];
        }
        int blocks = roots.length / BLOCK;
        this.blockDepth = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int max = 0;
            for (int k = 0; k < BLOCK; k++) {
                max = Math.max(max, depth[order[b * BLOCK + k]]);
            }
            blockDepth[b] = max;
        }
    }

    /** Accumulates trees: internal node k of a tree has children given as ints, >= 0 internal, < 0 as ~leaf. */
    static final class Builder {
        private final List<int[]> roots = new ArrayList<>();
        private final IntList feature = new IntList();
        private final IntList children = new IntList();
        private final DoubleList threshold = new DoubleList();
        private final DoubleList leaf = new DoubleList();
        private final IntList depth = new IntList();

        /**
         * Adds one tree. {@code first[k]} is the child taken when the step bit is 0, {@code second[k]} when it
         * is 1 (both as local refs: >= 0 internal node, ~j leaf j).
         */
        void addTree(int[] nodeFeature, double[] nodeThreshold, int[] first, int[] second, double[] leafValues) {
            int treeDepth = TreeShape.depth(first, second, leafValues.length);
            int base = feature.size();
            int inner = nodeFeature.length;
            for (int k = 0; k < inner; k++) {
                feature.add(nodeFeature[k]);
                threshold.add(nodeThreshold[k]);
                children.add(global(first[k], base, inner));
                children.add(global(second[k], base, inner));
                leaf.add(0.0);
            }
            for (int j = 0; j < leafValues.length; j++) {
                int self = base + inner + j;
                feature.add(0);
                threshold.add(0.0);
                children.add(self);
                children.add(self);
                leaf.add(leafValues[j]);
            }
            roots.add(new int[] {inner == 0 ? base : base});
            depth.add(treeDepth);
        }

        private static int global(int ref, int base, int inner) {
            return ref >= 0 ? base + ref : base + inner + ~ref;
        }

        ForestLayout build() {
            return new ForestLayout(roots.stream().mapToInt(r -> r[0]).toArray(), feature.toArray(),
                    children.toArray(), threshold.toArray(), leaf.toArray(), depth.toArray());
        }
    }

    long memoryBytes() {
        return ArraySizes.of(roots) + ArraySizes.of(order) + ArraySizes.of(orderedRoots) + ArraySizes.of(feature) + ArraySizes.of(children) + ArraySizes.of(threshold)
                + ArraySizes.of(leaf) + ArraySizes.of(depth) + ArraySizes.of(blockDepth);
    }
}
