package io.riptide.serving.training;

import io.riptide.serving.ModelArtifact;

/**
 * Hyperparameters shared by the LightGBM and XGBoost trainers.
 *
 * @param numRounds            maximum boosting rounds
 * @param learningRate         shrinkage per round
 * @param numLeaves            LightGBM leaves per tree (XGBoost grows depth-wise and ignores it)
 * @param maxDepth             maximum tree depth; -1 means unlimited for LightGBM and 6 for XGBoost
 * @param earlyStoppingRounds  stop when the validation log-loss has not improved for this many rounds; 0 = off
 * @param seed                 seed of every random choice (bagging, feature sampling)
 * @param scalePosWeight       weight of positive rows relative to negatives; 1 = balanced as given
 * @param warmStart            a previous model (same format as the trainer) to continue from, or null
 * @param minDataInLeaf        minimum rows per leaf (XGBoost: min_child_weight of the same value, in hessian units)
 * @param featureFraction      fraction of features sampled per tree
 * @param baggingFraction      fraction of rows sampled per round
 * @param lambdaL2             L2 regularisation of leaf values
 * @param numThreads           native threads used for training
 * @param unbalanced           let LightGBM re-weight classes itself ({@code is_unbalance}); XGBoost then uses
 *                             negatives/positives as scale_pos_weight
 * @param calibration          calibration fitted on the validation scores: "none", "platt" or "isotonic"
 */
public record TrainingParams(int numRounds, double learningRate, int numLeaves, int maxDepth, int earlyStoppingRounds,
                             long seed, double scalePosWeight, ModelArtifact warmStart, int minDataInLeaf,
                             double featureFraction, double baggingFraction, double lambdaL2, int numThreads,
                             boolean unbalanced, String calibration) {

    public TrainingParams {
        require(numRounds >= 1, "numRounds", numRounds, ">= 1");
        require(learningRate > 0 && learningRate <= 1, "learningRate", learningRate, "in (0,1]");
        require(numLeaves >= 2, "numLeaves", numLeaves, ">= 2");
        require(maxDepth == -1 || maxDepth >= 1, "maxDepth", maxDepth, "-1 or >= 1");
        require(earlyStoppingRounds >= 0, "earlyStoppingRounds", earlyStoppingRounds, ">= 0");
        require(scalePosWeight > 0 && Double.isFinite(scalePosWeight), "scalePosWeight", scalePosWeight, "> 0");
        require(minDataInLeaf >= 1, "minDataInLeaf", minDataInLeaf, ">= 1");
        require(featureFraction > 0 && featureFraction <= 1, "featureFraction", featureFraction, "in (0,1]");
        require(baggingFraction > 0 && baggingFraction <= 1, "baggingFraction", baggingFraction, "in (0,1]");
        require(lambdaL2 >= 0, "lambdaL2", lambdaL2, ">= 0");
        require(numThreads >= 1, "numThreads", numThreads, ">= 1");
        if (calibration == null || !(calibration.equals("none") || calibration.equals("platt")
                || calibration.equals("isotonic"))) {
            throw new IllegalArgumentException("training parameter calibration is '" + calibration
                    + "', expected none, platt or isotonic");
        }
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("training parameter " + name + " is " + value + ", expected " + expected);
        }
    }

    /** Defaults that work from about a thousand to a million rows: 300 rounds at 0.05, early stopping after 30. */
    public static TrainingParams defaults() {
        return new TrainingParams(300, 0.05, 31, -1, 30, 42L, 1.0, null, 20, 0.9, 0.8, 1.0, 2, false, "none");
    }

    public TrainingParams withNumRounds(int v) {
        return new TrainingParams(v, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withLearningRate(double v) {
        return new TrainingParams(numRounds, v, numLeaves, maxDepth, earlyStoppingRounds, seed, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withNumLeaves(int v) {
        return new TrainingParams(numRounds, learningRate, v, maxDepth, earlyStoppingRounds, seed, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withMaxDepth(int v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, v, earlyStoppingRounds, seed, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withEarlyStoppingRounds(int v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, v, seed, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withSeed(long v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, v, scalePosWeight,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withScalePosWeight(double v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed, v,
                warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced, calibration);
    }

    public TrainingParams withWarmStart(ModelArtifact v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, v, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced,
                calibration);
    }

    public TrainingParams withMinDataInLeaf(int v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, v, featureFraction, baggingFraction, lambdaL2, numThreads, unbalanced,
                calibration);
    }

    public TrainingParams withFeatureFraction(double v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, v, baggingFraction, lambdaL2, numThreads, unbalanced,
                calibration);
    }

    public TrainingParams withBaggingFraction(double v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, featureFraction, v, lambdaL2, numThreads, unbalanced,
                calibration);
    }

    public TrainingParams withLambdaL2(double v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, featureFraction, baggingFraction, v, numThreads, unbalanced,
                calibration);
    }

    public TrainingParams withNumThreads(int v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, v, unbalanced,
                calibration);
    }

    public TrainingParams withUnbalanced(boolean v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads, v,
                calibration);
    }

    public TrainingParams withCalibration(String v) {
        return new TrainingParams(numRounds, learningRate, numLeaves, maxDepth, earlyStoppingRounds, seed,
                scalePosWeight, warmStart, minDataInLeaf, featureFraction, baggingFraction, lambdaL2, numThreads,
                unbalanced, v);
    }
}
