package io.riptide.serving.internal;

/** How a pure-Java model walks its trees. Every evaluator gives the same results; they differ in speed. */
public enum TreeEvaluator {
    /** A request: the fastest evaluator the model supports. */
    FASTEST,
    /** LightGBM numerical models: eight trees walked in lockstep on threshold ranks ({@link RankForest}). */
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
