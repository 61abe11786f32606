package io.riptide.serving.internal;

/**
 * LightGBM numerical trees walked {@link #LANES} at a time on threshold ranks, each node one {@code long}.
 *
 * <p>Rank: per feature, the distinct thresholds of the model's nodes on it are sorted; a row value v is
 * replaced by its rank, the number of those thresholds below v, found by branch-free binary searches on the
 * order-preserving integer keys of the doubles. Then {@code v > threshold[q]} (LightGBM's "go right") is
 * exactly {@code rank > q}. LightGBM's missing-value rules become ranks too: every node reads one of five
 * variants of the row (as in {@link LightGbmJavaModel}): NaN read as 0 (the rank of 0), NaN as "always left"
 * (-1) or "always right" (a rank above every q), and NaN and zero as always left or always right. Values with
 * |v| <= kZeroThreshold are zero, as the C API drops them.
 *
 * <p>A node is {@code (slot << 16 | q) << 32 | c}: the row slot it reads, the threshold index q, and c, half the
 * position of its children, which sit side by side at 2c (left) and 2c + 1 (right). The row is held as
 * {@code (slot << 16) + rank << 32} per slot, so {@code node - row[slot]} is negative exactly when rank > q and
 * keeps c in its low word; rotating it left by one bit gives {@code 2c + (rank > q ? 1 : 0)}: a step is one
 * load, one subtraction and one rotation. A leaf is a node that steps to itself: one at an even position reads
 * a slot of rank -1 (never right), one at an odd position a slot of rank above every q (always right).
 *
 * <p>A block holds {@link #LANES} trees of similar depth (trees sorted by depth); its nodes and leaves live in
 * one {@code long[]}: slot p (< {@code slots}) is a node, {@code slots + p} holds the value of a leaf at p. The
 * trees of a block are walked for as many steps as its deepest tree. The leaf values are then added up either
 * in the model's tree order ({@link #sumInTreeOrder}: bit for bit LightGBM's sum) or lane by lane as each block
 * ends ({@link #sumByLanes}: 9% faster on the bench model, the same terms in another order, so the last bits may differ).
 */
final class RankForest {

    static final int LANES = 8;
    /** Node slots per block: a child position c fits the node's low word with room to spare. */
    static final int MAX_SLOTS = 1 << 16;
    /** A rank above every q. */
    static final int ALWAYS_RIGHT = 1 << 16;
    /** Room for the row slots, the two leaf slots, and a slot field that stays positive with a rank added. */
    static final int MAX_ROW_SLOTS = (1 << 15) - 1;

    final int numFeatures;
    /** Per feature: start of its sorted distinct thresholds in {@link #cutKeys}, padded to one power of two. */
    final int[] cutStart;
    /** Half that power of two: the binary search's first step, the same for every feature. */
    final int half;
    /** The thresholds as order-preserving keys ({@link #key}); padding is the key of +inf. */
    final long[] cutKeys;
    final boolean[] variantUsed;
    final long[][] blocks;
    final int[] blockDepth;
    /** The lane that walks tree t: lane j of block b is {@code b * LANES + j}. */
    private final int[] laneOfTree;
    /** The row slots leaves read: always rank -1 and always a rank above every q. */
    private final int neverRight;
    private final int alwaysRight;
    private final ThreadLocal<Scratch> scratch;

    /** Per-thread working arrays: value keys, search positions, the row by slot, and each lane's leaf value. */
    private static final class Scratch {
        final long[] valueKey;
        final int[] position;
        final long[] row;
        final double[] leaf;

        Scratch(int features, int neverRight, int alwaysRight, int lanes) {
            valueKey = new long[features];
            position = new int[features];
            row = new long[alwaysRight + 1];
            row[neverRight] = rowEntry(neverRight, -1);
            row[alwaysRight] = rowEntry(alwaysRight, ALWAYS_RIGHT);
            leaf = new double[lanes];
        }
    }

    /** Built by {@link RankForestBuilder}; the node encoding is described above. */
    RankForest(int numFeatures, int[] cutStart, int half, long[] cutKeys, boolean[] variantUsed,
                       long[][] blocks, int[] blockDepth, int[] treeOf, int numTrees) {
        this.numFeatures = numFeatures;
        this.cutStart = cutStart;
        this.half = half;
        this.cutKeys = cutKeys;
        this.variantUsed = variantUsed;
        this.blocks = blocks;
        this.blockDepth = blockDepth;
        this.laneOfTree = new int[numTrees];
        for (int lane = 0; lane < treeOf.length; lane++) {
            if (treeOf[lane] < numTrees) {
                laneOfTree[treeOf[lane]] = lane;
            }
        }
        this.neverRight = neverRightSlot(numFeatures);
        this.alwaysRight = neverRight + 1;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(numFeatures, neverRight, alwaysRight,
                blocks.length * LANES));
    }

    /**
     * An order-preserving integer key of a double: {@code a < b} exactly when {@code key(a) < key(b)}, for any
     * doubles but NaN (and -0.0, which keys below 0.0: both the thresholds and the values are normalised to 0.0).
     */
    static long key(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /**
     * The row slot, after the five variants of every feature, that leaves at even positions read (rank -1); the
     * next one is for leaves at odd positions (a rank above every q).
     */
    static int neverRightSlot(int numFeatures) {
        return LightGbmJavaModel.VARIANTS * numFeatures;
    }

    private static long rowEntry(int slot, int rank) {
        return (long) ((slot << 16) + rank) << 32;
    }

    /** The sum of the trees' leaf values for the row at {@code offset} of {@code x}, in tree order. */
    double sumInTreeOrder(double[] x, int offset) {
        Scratch s = scratch.get();
        walkRecordingLeaves(rank(x, offset, s), s.leaf);
        return addInTreeOrder(s.leaf);
    }

    /** The sum of the trees' leaf values, added lane by lane: the same terms, not LightGBM's order. */
    double sumByLanes(double[] x, int offset) {
        return walkSummingLanes(rank(x, offset, scratch.get()));
    }

    // The steps below are separate methods on purpose: one method holding all of them compiles to code that
    // spills more lane registers, and runs slower.

    /** Fills the scratch row with the row's ranks in each variant, pre-shifted as the nodes read them. */
    private long[] rank(double[] x, int offset, Scratch s) {
        final int nf = numFeatures;
        final long[] valueKey = s.valueKey;
        final int[] position = s.position;
        // the value each feature is searched with: NaN and zero (|v| <= kZeroThreshold) as 0, which is what
        // variant 0 reads (-0.0 becomes 0.0 on the way). A +inf value does not count the +inf padding as below it.
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            valueKey[f] = v != v || Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD ? 0L : key(v);
        }
        search(valueKey, position);
        final long[] row = s.row;
        final int[] cutStart = this.cutStart;
        final boolean v1 = variantUsed[1];
        final boolean v2 = variantUsed[2];
        final boolean v3 = variantUsed[3];
        final boolean v4 = variantUsed[4];
        for (int f = 0; f < nf; f++) {
            double v = x[offset + f];
            int r = position[f] - cutStart[f];
            boolean nan = v != v;
            boolean zero = nan || Math.abs(v) <= LightGbmJavaModel.K_ZERO_THRESHOLD;
            row[f] = rowEntry(f, r);
            if (v1) {
                row[nf + f] = rowEntry(nf + f, nan ? -1 : r);
            }
            if (v2) {
                row[2 * nf + f] = rowEntry(2 * nf + f, nan ? ALWAYS_RIGHT : r);
            }
            if (v3) {
                row[3 * nf + f] = rowEntry(3 * nf + f, zero ? -1 : r);
            }
            if (v4) {
                row[4 * nf + f] = rowEntry(4 * nf + f, zero ? ALWAYS_RIGHT : r);
            }
        }
        return row;
    }

    /**
     * Branch-free binary searches, eight features at a time so that the CPU has eight independent chains;
     * {@code position[f]} ends on the first cut of feature f not below its value.
     */
    private void search(long[] valueKey, int[] position) {
        final int nf = numFeatures;
        final long[] cuts = cutKeys;
        final int[] start = cutStart;
        final int half = this.half;
        int f = 0;
        for (; f + 8 <= nf; f += 8) {
            int b0 = start[f];
            int b1 = start[f + 1];
            int b2 = start[f + 2];
            int b3 = start[f + 3];
            int b4 = start[f + 4];
            int b5 = start[f + 5];
            int b6 = start[f + 6];
            int b7 = start[f + 7];
            final long w0 = valueKey[f];
            final long w1 = valueKey[f + 1];
            final long w2 = valueKey[f + 2];
            final long w3 = valueKey[f + 3];
            final long w4 = valueKey[f + 4];
            final long w5 = valueKey[f + 5];
            final long w6 = valueKey[f + 6];
            final long w7 = valueKey[f + 7];
            for (int h = half; h > 0; h >>= 1) {
                b0 += cuts[b0 + h - 1] < w0 ? h : 0;
                b1 += cuts[b1 + h - 1] < w1 ? h : 0;
                b2 += cuts[b2 + h - 1] < w2 ? h : 0;
                b3 += cuts[b3 + h - 1] < w3 ? h : 0;
                b4 += cuts[b4 + h - 1] < w4 ? h : 0;
                b5 += cuts[b5 + h - 1] < w5 ? h : 0;
                b6 += cuts[b6 + h - 1] < w6 ? h : 0;
                b7 += cuts[b7 + h - 1] < w7 ? h : 0;
            }
            position[f] = b0;
            position[f + 1] = b1;
            position[f + 2] = b2;
            position[f + 3] = b3;
            position[f + 4] = b4;
            position[f + 5] = b5;
            position[f + 6] = b6;
            position[f + 7] = b7;
        }
        for (; f < nf; f++) {
            int b = start[f];
            final long w = valueKey[f];
            for (int h = half; h > 0; h >>= 1) {
                b += cuts[b + h - 1] < w ? h : 0;
            }
            position[f] = b;
        }
    }

    /** Walks every block and records each lane's leaf value (lane j of block b at {@code b * LANES + j}). */
    private void walkRecordingLeaves(long[] s, double[] leaf) {
        final long[][] blocks = this.blocks;
        final int[] blockDepth = this.blockDepth;
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
            for (int d = blockDepth[bk]; d > 0; d--) {
                long e0 = a[p0];
                p0 = (int) Long.rotateLeft(e0 - s[(int) (e0 >>> 48)], 1);
                long e1 = a[p1];
                p1 = (int) Long.rotateLeft(e1 - s[(int) (e1 >>> 48)], 1);
                long e2 = a[p2];
                p2 = (int) Long.rotateLeft(e2 - s[(int) (e2 >>> 48)], 1);
                long e3 = a[p3];
                p3 = (int) Long.rotateLeft(e3 - s[(int) (e3 >>> 48)], 1);
                long e4 = a[p4];
                p4 = (int) Long.rotateLeft(e4 - s[(int) (e4 >>> 48)], 1);
                long e5 = a[p5];
                p5 = (int) Long.rotateLeft(e5 - s[(int) (e5 >>> 48)], 1);
                long e6 = a[p6];
                p6 = (int) Long.rotateLeft(e6 - s[(int) (e6 >>> 48)], 1);
                long e7 = a[p7];
                p7 = (int) Long.rotateLeft(e7 - s[(int) (e7 >>> 48)], 1);
            }
            final int slots = a.length >> 1;
            final int t = bk * LANES;
            leaf[t] = Double.longBitsToDouble(a[slots + p0]);
            leaf[t + 1] = Double.longBitsToDouble(a[slots + p1]);
            leaf[t + 2] = Double.longBitsToDouble(a[slots + p2]);
            leaf[t + 3] = Double.longBitsToDouble(a[slots + p3]);
            leaf[t + 4] = Double.longBitsToDouble(a[slots + p4]);
            leaf[t + 5] = Double.longBitsToDouble(a[slots + p5]);
            leaf[t + 6] = Double.longBitsToDouble(a[slots + p6]);
            leaf[t + 7] = Double.longBitsToDouble(a[slots + p7]);
        }
    }

    private double addInTreeOrder(double[] leaf) {
        final int[] laneOfTree = this.laneOfTree;
        double sum = 0.0;
        for (int t = 0; t < laneOfTree.length; t++) {
            sum += leaf[laneOfTree[t]];
        }
        return sum;
    }

    /**
     * Walks every block and adds each lane's leaf to that lane's sum as the block ends. The walk repeats
     * {@link #walkRecordingLeaves}'s on purpose: recording the leaves and adding them by lanes afterwards made
     * the default slower, most of its lead over the tree-order sum gone.
     */
    private double walkSummingLanes(long[] s) {
        final long[][] blocks = this.blocks;
        final int[] blockDepth = this.blockDepth;
        double sum0 = 0.0;
        double sum1 = 0.0;
        double sum2 = 0.0;
        double sum3 = 0.0;
        double sum4 = 0.0;
        double sum5 = 0.0;
        double sum6 = 0.0;
        double sum7 = 0.0;
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
            for (int d = blockDepth[bk]; d > 0; d--) {
                long e0 = a[p0];
                p0 = (int) Long.rotateLeft(e0 - s[(int) (e0 >>> 48)], 1);
                long e1 = a[p1];
                p1 = (int) Long.rotateLeft(e1 - s[(int) (e1 >>> 48)], 1);
                long e2 = a[p2];
                p2 = (int) Long.rotateLeft(e2 - s[(int) (e2 >>> 48)], 1);
                long e3 = a[p3];
                p3 = (int) Long.rotateLeft(e3 - s[(int) (e3 >>> 48)], 1);
                long e4 = a[p4];
                p4 = (int) Long.rotateLeft(e4 - s[(int) (e4 >>> 48)], 1);
                long e5 = a[p5];
                p5 = (int) Long.rotateLeft(e5 - s[(int) (e5 >>> 48)], 1);
                long e6 = a[p6];
                p6 = (int) Long.rotateLeft(e6 - s[(int) (e6 >>> 48)], 1);
                long e7 = a[p7];
                p7 = (int) Long.rotateLeft(e7 - s[(int) (e7 >>> 48)], 1);
            }
            final int slots = a.length >> 1;
            sum0 += Double.longBitsToDouble(a[slots + p0]);
            sum1 += Double.longBitsToDouble(a[slots + p1]);
            sum2 += Double.longBitsToDouble(a[slots + p2]);
            sum3 += Double.longBitsToDouble(a[slots + p3]);
            sum4 += Double.longBitsToDouble(a[slots + p4]);
            sum5 += Double.longBitsToDouble(a[slots + p5]);
            sum6 += Double.longBitsToDouble(a[slots + p6]);
            sum7 += Double.longBitsToDouble(a[slots + p7]);
        }
        return ((sum0 + sum1) + (sum2 + sum3)) + ((sum4 + sum5) + (sum6 + sum7));
    }

    long memoryBytes() {
        long bytes = ArraySizes.of(cutStart) + ArraySizes.of(cutKeys) + ArraySizes.of(variantUsed)
                + ArraySizes.of(blockDepth) + ArraySizes.of(laneOfTree) + ArraySizes.align(16 + 4L * blocks.length);
        for (long[] b : blocks) {
            bytes += ArraySizes.of(b);
        }
        return bytes;
    }
}
