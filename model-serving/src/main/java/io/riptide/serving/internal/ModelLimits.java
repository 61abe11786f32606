package io.riptide.serving.internal;

/**
 * The most a model file may hold before the parsers refuse it, checked against what the file actually contains
 * as it is read, so that no count written in the file decides an allocation.
 *
 * <p>Sizes for scale: the bench models (300 trees; LightGBM 31 leaves, XGBoost depth 6) have about 18,000 and
 * 38,000 nodes and 61 features; the models the demo trains are smaller. Every cap leaves two orders of magnitude
 * above that, and each names what it protects.
 */
final class ModelLimits {

    /**
     * Features a model may read: per-feature structures are allocated before the trees are read (threshold lists,
     * QuickScorer lists), so the header's feature count must not choose their size unchecked. Serving rows have
     * about 60 features.
     */
    static final int MAX_FEATURES = 1 << 16;

    /** Trees in a model: the evaluators keep per-tree arrays and walk every tree for every row. */
    static final int MAX_TREES = 100_000;

    /**
     * Nodes (internal nodes and leaves; for XGBoost every entry of the node arrays, deleted ones included) in the
     * whole model: the compiled arrays, the evaluator layouts and the parser's intermediate lists all grow with it,
     * together some hundreds of bytes a node while loading, so this bounds loading to a few hundred MB at worst.
     */
    static final int MAX_NODES = 1_000_000;

    /**
     * Internal nodes on a root-to-leaf path. Every walk in the module is iterative, so depth cannot overflow a
     * stack; the bound limits the steps a row takes per tree and rejects the degenerate chains a corrupt file
     * produces. Any tree of up to 257 leaves fits whatever its shape (a chain of n leaves is n - 1 deep), which
     * covers LightGBM's num_leaves as used here (31 by default, 255 at most in practice) and XGBoost's depth-wise
     * trees (max_depth 6 by default; the complete-tree layout stops at 20).
     */
    static final int MAX_DEPTH = 256;

    /**
     * Largest |leaf value|: with at most {@link #MAX_TREES} trees the sum of any row's leaves stays below
     * 1e35, finite in double and in float (XGBoost's margin), so no row can produce an infinite or NaN score
     * (inf - inf). Real leaf values are a few units at most.
     */
    static final double MAX_LEAF_MAGNITUDE = 1e30;

    /**
     * 32-bit words of XGBoost category bitsets in the whole model: a set's bitset is as long as its largest
     * category (up to 2^24, 512K words), so a few nodes naming a large category could otherwise cost gigabytes.
     */
    static final int MAX_CATEGORY_WORDS = 1 << 20;

    private ModelLimits() {
    }
}
