package io.riptide.serving.drift;

import io.riptide.serving.training.FeatureDistribution;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Training references built as the trainer builds them (10 quantile bins of the training rows), and live windows. */
final class DriftReferences {

    /** Feature shapes: name and a generator. */
    enum Shape {
        NORMAL(SplittableRandom::nextGaussian),
        LOGNORMAL(r -> Math.exp(r.nextGaussian())),
        UNIFORM(SplittableRandom::nextDouble),
        /** two tight clusters: the widest bin sits at the median, the worst case for W1's noise */
        BIMODAL(r -> r.nextDouble() < 0.5 ? 0.01 * r.nextGaussian() : 5 + 0.01 * r.nextGaussian());

        final ToDoubleFunction<SplittableRandom> draw;

        Shape(ToDoubleFunction<SplittableRandom> draw) {
            this.draw = draw;
        }
    }

    private DriftReferences() {
    }

    /** The published reference of {@code rows} training values: inner edges of FeatureDistribution's 10 bins. */
    static BinnedReference reference(Shape shape, int rows, SplittableRandom r) {
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = shape.draw.applyAsDouble(r);
        }
        FeatureDistribution fd = FeatureDistribution.of(shape.name(), values, FeatureDistribution.REFERENCE_BINS);
        double[] full = fd.binEdges();
        return new BinnedReference(Arrays.copyOfRange(full, 1, full.length - 1), fd.binFractions());
    }

    /** Bin counts of n live values of the shape, moved by {@code shift}. */
    static long[] window(BinnedReference ref, Shape shape, int n, double shift, SplittableRandom r, long[] counts) {
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[ref.binOf(shape.draw.applyAsDouble(r) + shift)]++;
        }
        return counts;
    }
}
