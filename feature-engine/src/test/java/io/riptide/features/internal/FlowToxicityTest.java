package io.riptide.features.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowToxicityTest {

    /** Regression: notionals whose sums round just below a bucket boundary used to spin forever. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void roundingRemaindersNeverHangTheBucketLoop() {
        FlowToxicity toxicity = new FlowToxicity(100_000.0, 50);
        Random random = new Random(7);
        for (int i = 0; i < 2_000_000; i++) {
            toxicity.onTrade(61_556.37 * random.nextDouble() * 0.173, random.nextBoolean());
        }
        double value = toxicity.value();
        assertTrue(value >= 0 && value <= 1, "toxicity " + value + " must be a fraction");
    }

    @Test
    void bucketsSplitTradesAtBoundariesByHand() {
        FlowToxicity toxicity = new FlowToxicity(100.0, 2);
        toxicity.onTrade(150, true);   // bucket 1: 100 buy -> |100-0|/100 = 1; carry 50 buy
        toxicity.onTrade(50, false);   // bucket 2: 50 buy + 50 sell -> 0
        assertEquals(0.5, toxicity.value(), 1e-12);
        toxicity.onTrade(100, false);  // bucket 3: 100 sell -> 1; window {0, 1}
        assertEquals(0.5, toxicity.value(), 1e-12);
    }
}
