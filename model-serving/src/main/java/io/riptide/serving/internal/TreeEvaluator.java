package io.riptide.serving.internal;

/**
 * How a pure-Java model walks its trees and adds up its leaves. They differ in speed; every one but
 * {@link #RANK_LANES} adds the leaves in the model's tree order, as the libraries do (LightGBM's raw score bit for
 * bit), and that one adds the same terms in another order.
 */
public enum TreeEvaluator {
    /** A request: the fastest evaluator the model supports. */
    FASTEST,
    /**
     * LightGBM numerical models, the fastest: eight trees walked in lockstep on threshold ranks ({@link RankForest}),
     * each lane's leaves added up as its blocks end. The raw score is the same sum in another order: it can
     * differ from LightGBM's in the last bits (at most about 2 * (trees - 1) * 2^-53 * the sum of the |leaf values|
     * reached; 8.0e-15 on the 300-tree bench model).
     */
    RANK_LANES,
    /** As {@link #RANK_LANES}, but the leaves are added in the model's tree order: bit for bit LightGBM's raw score. */
    RANK_LOCKSTEP,
    /** LightGBM: QuickScorer bitvectors over threshold-sorted nodes ({@link QuickScorer}). */
    QUICKSCORER,
    /** XGBoost: trees padded to complete binary trees, eight walked in lockstep ({@link CompleteForest}). */
    COMPLETE_TREES,
    /** The earlier branch-free layout: eight trees walked in lockstep with explicit children ({@link ForestLayout}). */
    LOCKSTEP,
    /** One branch per node, every rule spelled out. */
    BRANCHES
}
