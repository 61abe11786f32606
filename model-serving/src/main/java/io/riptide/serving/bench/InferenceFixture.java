package io.riptide.serving.bench;

import io.riptide.serving.ModelArtifact;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.XgBoostTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models and rows shared by {@code riptide bench inference} and the JMH benchmarks, so both measure the
 * same thing: a LightGBM model (leaves-wise, 31 leaves) and an XGBoost model (depth-wise, depth 6) with a
 * realistic number of trees and features, trained on a deterministic synthetic market-like dataset.
 */
public final class InferenceFixture {

    private InferenceFixture() {
    }

    /**
     * Rows with a non-linear signal spread over the first dozen features, heavy tails, about 5% NaN and
     * exact zeros, like liquidation and order-flow features.
     */
    public static Dataset dataset(int rows, int features, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[rows * features];
        double[] labels = new double[rows];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < features; c++) {
            names.add("f" + c);
        }
        for (int i = 0; i < rows; i++) {
            int o = i * features;
            for (int c = 0; c < features; c++) {
                double u = r.nextDouble();
                double v = u < 0.05 ? Double.NaN : u < 0.10 ? 0.0 : r.nextGaussian() * (1 + (c % 5));
                if (c % 7 == 3 && !Double.isNaN(v)) {
                    v = Math.exp(v / (1 + (c % 5)));  // heavy-tailed, positive (notional-like)
                }
                m[o + c] = v;
            }
            double z = -1.0;
            for (int c = 0; c < Math.min(features, 12); c++) {
                double v = Double.isNaN(m[o + c]) ? 0 : m[o + c] / (1 + (c % 5));
                z += (c % 2 == 0 ? 0.6 : -0.4) * v + (c % 3 == 0 ? 0.3 * Math.tanh(v * v - 1) : 0);
            }
            labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1.0 : 0.0;
        }
        return new Dataset(m, rows, names, labels, null, null);
    }

    /** Rows mixing typical values with NaN, zeros, +/-1e30 and far out-of-range values. */
    public static double[] hostileRows(int rows, int features, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[rows * features];
        for (int i = 0; i < m.length; i++) {
            double u = r.nextDouble();
            m[i] = u < 0.08 ? Double.NaN : u < 0.14 ? 0.0 : u < 0.16 ? (r.nextBoolean() ? 1e30 : -1e30)
                    : u < 0.19 ? r.nextDouble(-1e6, 1e6) : r.nextGaussian() * 2;
        }
        return m;
    }

    /** Typical rows (no hostile values) for timing. */
    public static double[] typicalRows(int rows, int features, long seed) {
        return dataset(rows, features, seed).matrix();
    }

    public static ModelArtifact trainLightGbm(Dataset data, int trees, int leaves) {
        TrainingParams p = TrainingParams.defaults().withNumRounds(trees).withNumLeaves(leaves)
                .withEarlyStoppingRounds(0).withLearningRate(0.05).withMinDataInLeaf(10);
        return new LightGbmTrainer().train(data, null, p).artifact();
    }

    public static ModelArtifact trainXgBoost(Dataset data, int trees, int depth) {
        TrainingParams p = TrainingParams.defaults().withNumRounds(trees).withMaxDepth(depth)
                .withEarlyStoppingRounds(0).withLearningRate(0.05);
        return new XgBoostTrainer().train(data, null, p).artifact();
    }
}
