package io.riptide.trigger.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromotionGateTest {
    private static final long HOUR = 3_600_000L;
    private static final PromotionGate GATE = new PromotionGate(PromotionGate.Settings.DEFAULTS);

    private record Outcomes(double[] shadow, double[] production, int[] labels) {
    }

    /** Outcomes scored by both: each model sees the signal through its own noise, partly shared. */
    private static Outcomes outcomes(int n, double shadowNoise, double productionNoise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Outcomes o = new Outcomes(new double[n], new double[n], new int[n]);
        for (int i = 0; i < n; i++) {
            double signal = r.nextGaussian();
            o.labels[i] = signal + 0.8 * r.nextGaussian() > 0.7 ? 1 : 0;
            double shared = r.nextGaussian();
            o.shadow[i] = signal + shadowNoise * (0.6 * shared + 0.8 * r.nextGaussian());
            o.production[i] = signal + productionNoise * (0.6 * shared + 0.8 * r.nextGaussian());
        }
        return o;
    }

    private static PromotionGate.Decision decide(Outcomes o, long probationMs) {
        return GATE.decide(o.shadow, o.production, o.labels, probationMs);
    }

    @Test
    void aBetterShadowIsPromotedOnceItHasEnoughOutcomes() {
        Outcomes o = outcomes(2000, 0.6, 1.4, 1);
        PromotionGate.Decision d = decide(o, HOUR);
        assertEquals(PromotionGate.Action.PROMOTE, d.action(), d.reason());
        assertTrue(d.reason().contains("the shadow ranks better"), d.reason());
        Outcomes few = outcomes(499, 0.6, 1.4, 1);
        PromotionGate.Decision early = decide(few, HOUR);
        assertEquals(PromotionGate.Action.WAIT, early.action(), early.reason());
        assertTrue(early.reason().endsWith("fewer than 500 outcomes of both classes"), early.reason());
    }

    @Test
    void aWorseShadowIsRetired() {
        PromotionGate.Decision d = decide(outcomes(2000, 1.4, 0.6, 2), HOUR);
        assertEquals(PromotionGate.Action.RETIRE, d.action(), d.reason());
        assertTrue(d.reason().contains("the shadow ranks worse"), d.reason());
    }

    @Test
    void anEqualShadowWaitsUntilItsProbationEndsThenRetires() {
        Outcomes same = outcomes(800, 1.0, 1.0, 3);
        PromotionGate.Decision waiting = decide(same, HOUR);
        assertEquals(PromotionGate.Action.WAIT, waiting.action(), waiting.reason());
        PromotionGate.Decision ended = decide(same, 24 * HOUR);
        assertEquals(PromotionGate.Action.RETIRE, ended.action(), ended.reason());
        assertTrue(ended.reason().startsWith("probation of 1440 min ended without a significant difference"),
                ended.reason());
    }

    @Test
    void withoutBothClassesNothingIsPromoted() {
        double[] scores = new double[600];
        PromotionGate.Decision d = GATE.decide(scores, scores, new int[600], HOUR);
        assertEquals(PromotionGate.Action.WAIT, d.action(), d.reason());
    }
}
