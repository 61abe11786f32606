package io.riptide.trigger;

import io.riptide.serving.training.FeatureDistribution;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelPublisherTest {

    @Test
    void referenceEdgesArePublishedAsTheSchemasInnerEdgesSoLiveValuesLandInTheirTrainingBin() {
        SplittableRandom random = new SplittableRandom(1);
        double[] training = new double[5_000];
        for (int i = 0; i < training.length; i++) {
            training[i] = random.nextGaussian();
        }
        FeatureDistribution reference = FeatureDistribution.of("x", training, 10);
        List<Double> full = Arrays.stream(reference.binEdges()).boxed().toList();
        List<Double> inner = ModelPublisher.innerEdges(full, reference.binFractions().length);
        assertEquals(reference.binFractions().length - 1, inner.size());
        // the stream counts a value in the bin given by how many inner edges are <= it (ModelMonitor.binOf);
        // that must be the bin FeatureDistribution counted it in when the fractions were made
        for (double v : training) {
            long atOrBelow = inner.stream().filter(e -> v >= e).count();
            assertEquals(FeatureDistribution.binOf(reference.binEdges(), v), atOrBelow, "bin of " + v);
        }
        assertEquals(inner, ModelPublisher.innerEdges(inner, reference.binFractions().length), "already inner");
        assertThrows(IllegalArgumentException.class, () -> ModelPublisher.innerEdges(List.of(1.0), 5));
        FeatureDistribution constant = FeatureDistribution.of("c", new double[] {2, 2, 2}, 10);
        assertEquals(List.of(), ModelPublisher.innerEdges(Arrays.stream(constant.binEdges()).boxed().toList(),
                constant.binFractions().length), "one bin, no edge");
    }
}
