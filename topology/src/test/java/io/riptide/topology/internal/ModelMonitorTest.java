package io.riptide.topology.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelMonitorTest {

    @Test
    void binsFollowTheReferenceEdges() {
        List<Double> edges = List.of(0.2, 0.5, 0.8);
        assertEquals(0, ModelMonitor.binOf(edges, 0.1));
        assertEquals(1, ModelMonitor.binOf(edges, 0.2), "an edge belongs to the bin above it");
        assertEquals(2, ModelMonitor.binOf(edges, 0.79));
        assertEquals(3, ModelMonitor.binOf(edges, 5.0));
    }

    @Test
    void psiIsZeroForTheReferenceItselfAndMatchesAHandComputedShift() {
        List<Double> expected = List.of(0.25, 0.25, 0.25, 0.25);
        assertEquals(0.0, ModelMonitor.psi(expected, new long[]{10, 10, 10, 10}), 1e-12);
        // actual 0.4, 0.3, 0.2, 0.1: sum (a - e) ln(a / e)
        double byHand = (0.4 - 0.25) * Math.log(0.4 / 0.25) + (0.3 - 0.25) * Math.log(0.3 / 0.25)
                + (0.2 - 0.25) * Math.log(0.2 / 0.25) + (0.1 - 0.25) * Math.log(0.1 / 0.25);
        assertEquals(byHand, ModelMonitor.psi(expected, new long[]{40, 30, 20, 10}), 1e-12);
        assertEquals(0.0, ModelMonitor.psi(expected, new long[]{0, 0, 0, 0}), "no samples, no drift");
    }
}
