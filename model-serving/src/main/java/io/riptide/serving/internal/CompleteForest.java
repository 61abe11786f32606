package io.riptide.serving.internal;

/**
 * Depth-limited trees padded to complete binary trees and walked in lockstep, {@link #LANES} trees at a time,
 * for the XGBoost evaluator.
 *
 * <p>A tree of depth D becomes the 2^D - 1 internal nodes of a complete binary tree in breadth-first order:
 * the children of position i are 2i+1 and 2i+2, so no child index is stored or loaded. A leaf reached above
 * depth D is pushed down: its position gets a dummy node whose two children carry the same leaf, so whatever
 * the dummy test says, the walk ends on that leaf's value.
 *
 * <p>Comparisons are on integer keys: a float's bits mapped so that integer order is float order
 * ({@link #key}), exact for every non-NaN float once -0 is read as +0, infinities included. A node is one
 * long, the threshold's key in the high 32 bits and the row slot it reads in the low 32; a row slot holds the
 * value's key, or for NaN a key below (default left) or above (default right) every float key. One step of
 * one tree is a load of the node, a load of the row key, {@code bit = (rowKey - thresholdKey) >>> 63} (1
 * exactly when x < threshold: XGBoost's left) and a move to child 2i+1+bit: the right child at 2i+1, the
 * left at 2i+2.
 *
 * <p>The trees of a block ({@link #LANES} consecutive trees, in model order) are interleaved in one
 * {@code long[]}: position i of lane j is slot {@code i * LANES + j}, so one level of the block's trees shares
 * cache lines and the walk keeps one int per lane, its slot ({@code slot' = 2 slot + LANES - j + LANES * bit}).
 * The leaf level follows the internal levels in the same array and holds the float bits of the leaf values.
 * A block is padded to the depth of its deepest tree; the last block is filled with dummy trees whose leaf is
 * -0.0f, which adds exactly nothing. Leaf values are summed lane by lane, block by block: the trees' own
 * order, so the float sum is bit for bit that of a tree-by-tree walk.
 */
final class CompleteForest {

    static final int LANES = 8;

    /** Blocks padded beyond this many slots in all are not built (the caller falls back). */
    static final long MAX_SLOTS = 1L << 18;

    /** Row keys for NaN: below (default left) and above (default right) every float key, without overflow. */
    static final long NAN_LEFT = -(1L << 40);
    static final long NAN_RIGHT = 1L << 40;

    final int numTrees;
    final long[][] blocks;
    final int[] blockDepth;

    private CompleteForest(int numTrees, long[][] blocks, int[] blockDepth) {
        this.numTrees = numTrees;
        this.blocks = blocks;
        this.blockDepth = blockDepth;
    }

    /** A float's bits as an int whose signed order is the float order (for non-NaN values, -0 read as +0). */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v + 0.0f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    /**
     * One tree: node k is a leaf when {@code left[k] == -1} (value {@code value[k]}), else it reads row slot
     * {@code slot[k]} and goes to {@code left[k]} when the value there is below {@code threshold[k]}, else to
     * {@code right[k]}. Node 0 is the root.
     */
    record Tree(int[] slot, float[] threshold, int[] left, int[] right, float[] value) {

        int depth() {
            return TreeShape.walkXgBoost("tree", left, right).depth();
        }
    }

    /** Builds the layout, or returns null when padding the trees would exceed {@link #MAX_SLOTS} slots. */
    static CompleteForest build(Tree[] trees) {
        int blocks = (trees.length + LANES - 1) / LANES;
        int[] blockDepth = new int[blocks];
        long total = 0;
        for (int t = 0; t < trees.length; t++) {
            blockDepth[t / LANES] = Math.max(blockDepth[t / LANES], trees[t].depth());
        }
        for (int b = 0; b < blocks; b++) {
            if (blockDepth[b] > 20) {
                return null;
            }
            total += ((2L << blockDepth[b]) - 1) * LANES;
        }
        if (total > MAX_SLOTS) {
            return null;
        }
        long[][] arrays = new long[blocks][];
        for (int b = 0; b < blocks; b++) {
            int d = blockDepth[b];
            int internal = (1 << d) - 1;
            long[] a = new long[(2 * internal + 1) * LANES];
            for (int j = 0; j < LANES; j++) {
                int t = b * LANES + j;
                if (t < trees.length) {
                    fill(trees[t], 0, 0, d, a, j);
                } else {
                    for (int i = 0; i < internal; i++) {
                        a[i * LANES + j] = pack(0, 0.0f);
                    }
                    for (int i = internal; i <= 2 * internal; i++) {
                        a[i * LANES + j] = Float.floatToRawIntBits(-0.0f) & 0xFFFFFFFFL;  // x + -0.0f == x
                    }
                }
            }
            arrays[b] = a;
        }
        return new CompleteForest(trees.length, arrays, blockDepth);
    }

    /** Recursive, but never more than {@link #build}'s depth limit (20) deep. */
    private static void fill(Tree tree, int k, int pos, int remaining, long[] a, int lane) {
        boolean leaf = tree.left[k] == -1;
        if (remaining == 0) {
            if (!leaf) {
                throw new IllegalStateException("tree deeper than its block");
            }
            a[pos * LANES + lane] = Float.floatToRawIntBits(tree.value[k]) & 0xFFFFFFFFL;
            return;
        }
        if (leaf) {
            a[pos * LANES + lane] = pack(0, 0.0f);  // either child: the same leaf
            fill(tree, k, 2 * pos + 1, remaining - 1, a, lane);
            fill(tree, k, 2 * pos + 2, remaining - 1, a, lane);
        } else {
            a[pos * LANES + lane] = pack(tree.slot[k], tree.threshold[k]);
            // step bit 0 (x >= threshold) -> 2i+1 is the right child, bit 1 (x < threshold) -> 2i+2 the left one
            fill(tree, tree.right[k], 2 * pos + 1, remaining - 1, a, lane);
            fill(tree, tree.left[k], 2 * pos + 2, remaining - 1, a, lane);
        }
    }

    private static long pack(int slot, float threshold) {
        return ((long) key(threshold) << 32) | (slot & 0xFFFFFFFFL);
    }

    /** {@code base} plus the leaf values of every tree for the row keys {@code s}, summed in tree order. */
    float sum(long[] s, float base) {
        final long[][] blocks = this.blocks;
        final int[] blockDepth = this.blockDepth;
        float sum = base;
        for (int b = 0; b < blocks.length; b++) {
            final long[] a = blocks[b];
            int p0 = 0;
            int p1 = 1;
            int p2 = 2;
            int p3 = 3;
            int p4 = 4;
            int p5 = 5;
            int p6 = 6;
            int p7 = 7;
            // one lane after the other in the source: C2 then keeps the lanes in registers
            for (int d = blockDepth[b]; d > 0; d--) {
                long e0 = a[p0];
                p0 = 2 * p0 + 8 + ((int) ((s[(int) e0] - (e0 >> 32)) >>> 63) << 3);
                long e1 = a[p1];
                p1 = 2 * p1 + 7 + ((int) ((s[(int) e1] - (e1 >> 32)) >>> 63) << 3);
                long e2 = a[p2];
                p2 = 2 * p2 + 6 + ((int) ((s[(int) e2] - (e2 >> 32)) >>> 63) << 3);
                long e3 = a[p3];
                p3 = 2 * p3 + 5 + ((int) ((s[(int) e3] - (e3 >> 32)) >>> 63) << 3);
                long e4 = a[p4];
                p4 = 2 * p4 + 4 + ((int) ((s[(int) e4] - (e4 >> 32)) >>> 63) << 3);
                long e5 = a[p5];
                p5 = 2 * p5 + 3 + ((int) ((s[(int) e5] - (e5 >> 32)) >>> 63) << 3);
                long e6 = a[p6];
                p6 = 2 * p6 + 2 + ((int) ((s[(int) e6] - (e6 >> 32)) >>> 63) << 3);
                long e7 = a[p7];
                p7 = 2 * p7 + 1 + ((int) ((s[(int) e7] - (e7 >> 32)) >>> 63) << 3);
            }
            sum += Float.intBitsToFloat((int) a[p0]);
            sum += Float.intBitsToFloat((int) a[p1]);
            sum += Float.intBitsToFloat((int) a[p2]);
            sum += Float.intBitsToFloat((int) a[p3]);
            sum += Float.intBitsToFloat((int) a[p4]);
            sum += Float.intBitsToFloat((int) a[p5]);
            sum += Float.intBitsToFloat((int) a[p6]);
            sum += Float.intBitsToFloat((int) a[p7]);
        }
        return sum;
    }

    long memoryBytes() {
        long bytes = ArraySizes.of(blockDepth) + ArraySizes.align(16 + 4L * blocks.length);
        for (long[] a : blocks) {
            bytes += ArraySizes.of(a);
        }
        return bytes;
    }
}
