package io.riptide.serving.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small random search over the parameters that matter most for boosted trees, scored by validation
 * log-loss and bounded by a wall-clock budget (checked before each trial; the first trial always runs).
 */
public final class HyperparameterSearch {

    /** One evaluated candidate. */
    public record Trial(TrainingParams params, double validationLogLoss, double validationAuc) {
    }

    /** The best trial's result and every trial in order. */
    public record Outcome(TrainingResult best, TrainingParams bestParams, List<Trial> trials) {
    }

    private HyperparameterSearch() {
    }

    public static Outcome random(Trainer trainer, Dataset train, Dataset validation, TrainingParams base,
                                 int maxTrials, Duration budget, long seed) {
        if (validation == null || validation.rows() == 0) {
            throw new IllegalArgumentException("hyperparameter search needs a validation set");
        }
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials must be >= 1, got " + maxTrials);
        }
        SplittableRandom r = new SplittableRandom(seed);
        long deadline = System.nanoTime() + budget.toNanos();
        List<Trial> trials = new ArrayList<>();
        TrainingResult best = null;
        TrainingParams bestParams = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int t = 0; t < maxTrials; t++) {
            if (t > 0 && System.nanoTime() >= deadline) {
                break;
            }
            TrainingParams p = t == 0 ? base : sample(base, r);
            TrainingResult result = trainer.train(train, validation, p);
            double loss = result.metrics().get("log_loss");
            trials.add(new Trial(p, loss, result.metrics().getOrDefault("auc", Double.NaN)));
            if (loss < bestLoss) {
                bestLoss = loss;
                best = result;
                bestParams = p;
            }
        }
        return new Outcome(best, bestParams, List.copyOf(trials));
    }

    static TrainingParams sample(TrainingParams base, SplittableRandom r) {
        int[] leaves = {7, 15, 31, 63};
        int[] depths = {-1, 4, 6, 8};
        int[] minData = {5, 10, 20, 50};
        return base.withLearningRate(Math.exp(r.nextDouble(Math.log(0.02), Math.log(0.3))))
                .withNumLeaves(leaves[r.nextInt(leaves.length)])
                .withMaxDepth(depths[r.nextInt(depths.length)])
                .withMinDataInLeaf(minData[r.nextInt(minData.length)])
                .withFeatureFraction(r.nextDouble(0.6, 1.0))
                .withBaggingFraction(r.nextDouble(0.6, 1.0))
                .withLambdaL2(Math.exp(r.nextDouble(Math.log(1e-3), Math.log(10))));
    }
}
