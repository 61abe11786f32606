package io.riptide.serving.internal;

import java.util.Arrays;

/**
 * Checks that a model file's child arrays describe a tree, walking it breadth-first from its root without
 * recursion: every child index in range, no node reached twice (a cycle or a shared child), at most
 * {@link ModelLimits#MAX_DEPTH} internal nodes on a path. Which nodes the root reached is returned, so that each
 * format decides about the others (LightGBM has none; XGBoost keeps the nodes it pruned, marked deleted).
 *
 * <p>The parsers call it before building anything, and the layout builders call it again on what they are
 * given, so that no walk in the module can loop, recurse or run past an array on a malformed tree.
 */
final class TreeShape {

    /**
     * What the walk from the root found.
     *
     * @param depth     internal nodes on the longest root-to-leaf path (0 for a single leaf)
     * @param reached   per node, whether the root reaches it
     * @param unreached nodes the root does not reach
     */
    record Reach(int depth, boolean[] reached, int unreached) {

        /** The first node the root does not reach, or -1. */
        int firstUnreached() {
            for (int k = 0; k < reached.length; k++) {
                if (!reached[k]) {
                    return k;
                }
            }
            return -1;
        }
    }

    private TreeShape() {
    }

    /**
     * LightGBM's encoding: internal node k (0 .. numLeaves - 2, the root 0) has children {@code left[k]} and
     * {@code right[k]}, each an internal node (>= 0) or {@code ~j} for leaf j. The tree must use every internal node
     * and every leaf exactly once. Returns its depth; {@code tree} names it in the messages.
     */
    static int checkLightGbm(String tree, int numLeaves, int[] left, int[] right) {
        if (numLeaves < 1 || left.length != numLeaves - 1 || right.length != numLeaves - 1) {
            throw new IllegalArgumentException(tree + " has " + numLeaves + " leaves and " + left.length + " left, "
                    + right.length + " right children; a tree of n leaves has n - 1 of each");
        }
        Reach reach = walkLightGbm(tree, numLeaves, left, right);
        if (reach.unreached() > 0) {
            throw new IllegalArgumentException(tree + ": " + lightGbmName(reach.firstUnreached(), numLeaves - 1)
                    + " is not reachable from the root (orphan)");
        }
        return reach.depth();
    }

    /**
     * The depth of a tree in LightGBM's encoding with {@code leaves} leaves, for the layout builders: checked as
     * {@link #checkLightGbm}, except that leaves the root does not reach are allowed (XGBoost's deleted nodes end
     * up as such leaves).
     */
    static int depth(int[] left, int[] right, int leaves) {
        if (right.length != left.length || leaves <= left.length) {
            throw new IllegalArgumentException("tree has " + left.length + " left, " + right.length
                    + " right children and " + leaves + " leaves; n internal nodes need n of each and n + 1 leaves");
        }
        return left.length == 0 ? 0 : walkLightGbm("tree", leaves, left, right).depth();
    }

    /**
     * XGBoost's encoding: node k is a leaf when {@code left[k] == -1} (its right child then -1 too), else its
     * children are {@code left[k]} and {@code right[k]}, both in 0 .. n - 1; node 0 is the root.
     */
    static Reach walkXgBoost(String tree, int[] left, int[] right) {
        int n = left.length;
        if (n == 0 || right.length != n) {
            throw new IllegalArgumentException(tree + " has " + n + " left and " + right.length
                    + " right children; a tree has at least one node and as many of each");
        }
        for (int k = 0; k < n; k++) {
            if (left[k] == -1) {
                if (right[k] != -1) {
                    throw new IllegalArgumentException(tree + ": node " + k + " is a leaf (left child -1) with right"
                            + " child " + right[k]);
                }
                continue;
            }
            requireInRange(tree, k, "left", left[k], n);
            requireInRange(tree, k, "right", right[k], n);
        }
        return walk(tree, left, right, n);
    }

    private static void requireInRange(String tree, int node, String side, int child, int n) {
        if (child < 0 || child >= n) {
            throw new IllegalArgumentException(tree + ": node " + node + " has " + side + " child " + child
                    + ", outside the tree's nodes 0.." + (n - 1));
        }
    }

    private static Reach walkLightGbm(String tree, int numLeaves, int[] left, int[] right) {
        int inner = left.length;
        if (inner == 0) {
            return new Reach(0, new boolean[] {true}, 0);
        }
        // one numbering, internal nodes then leaves; -1 marks a leaf's missing children
        int n = inner + numLeaves;
        int[] l = new int[n];
        int[] r = new int[n];
        Arrays.fill(l, inner, n, -1);
        Arrays.fill(r, inner, n, -1);
        for (int k = 0; k < inner; k++) {
            l[k] = lightGbmChild(tree, k, "left", left[k], inner, numLeaves);
            r[k] = lightGbmChild(tree, k, "right", right[k], inner, numLeaves);
        }
        return walk(tree, l, r, inner);
    }

    private static int lightGbmChild(String tree, int node, String side, int child, int inner, int numLeaves) {
        if (child >= 0) {
            if (child >= inner) {
                throw new IllegalArgumentException(tree + ": node " + node + " has " + side + " child " + child
                        + ", outside the internal nodes 0.." + (inner - 1));
            }
            return child;
        }
        if (~child >= numLeaves) {
            throw new IllegalArgumentException(tree + ": node " + node + " has " + side + " child " + child
                    + " (leaf " + ~child + "), outside the leaves 0.." + (numLeaves - 1));
        }
        return inner + ~child;
    }

    private static String lightGbmName(int id, int inner) {
        return id < inner ? "node " + id : "leaf " + (id - inner);
    }

    /**
     * Breadth-first from node 0 over one numbering where a leaf has children -1 and every other child is in
     * range. Nodes from {@code firstLeaf} on are named as leaves (LightGBM numbers them apart).
     */
    private static Reach walk(String tree, int[] left, int[] right, int firstLeaf) {
        int n = left.length;
        boolean[] reached = new boolean[n];
        int[] level = new int[n];
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        int depth = 0;
        queue[tail++] = 0;
        reached[0] = true;
        while (head < tail) {
            int k = queue[head++];
            if (left[k] < 0) {
                depth = Math.max(depth, level[k]);
                continue;
            }
            if (level[k] == ModelLimits.MAX_DEPTH) {
                throw new IllegalArgumentException(tree + " is deeper than " + ModelLimits.MAX_DEPTH
                        + " levels (" + lightGbmName(k, firstLeaf) + " at depth " + level[k] + " has children)");
            }
            for (int side = 0; side < 2; side++) {
                int c = side == 0 ? left[k] : right[k];
                if (reached[c]) {
                    throw new IllegalArgumentException(tree + ": " + lightGbmName(c, firstLeaf)
                            + " is reachable twice (cycle or shared child)");
                }
                reached[c] = true;
                level[c] = level[k] + 1;
                queue[tail++] = c;
            }
        }
        return new Reach(depth, reached, n - tail);
    }
}
