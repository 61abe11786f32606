package io.riptide.feed.sim.internal;

import io.riptide.feed.sim.ShiftKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MarketStructureTest {

    @Test
    void baseLeavesLeverageAloneWhateverTheVolatility() {
        MarketStructure base = MarketStructure.of(ShiftKind.BASE);
        for (double lev : new double[] {2, 10, 50}) {
            assertEquals(lev, base.leverage(lev, 0.4));
            assertEquals(lev, base.leverage(lev, 3.0));
        }
    }

    @Test
    void calmLeverageScalesLeverageWithTheInverseSquareOfPerceivedVolatility() {
        MarketStructure calm = MarketStructure.of(ShiftKind.CALM_LEVERAGE);
        assertEquals(10, calm.leverage(10, 1.0), 1e-12, "at the base volatility nothing changes");
        assertEquals(62.5, calm.leverage(10, 0.4), 1e-9, "consolidation (0.4x vol): 6.25x the leverage");
        assertEquals(125, calm.leverage(50, 0.4), "capped at 125x");
        assertEquals(50.0 / 9, calm.leverage(50, 3.0), 1e-9, "volatile (3x vol): a ninth");
        assertEquals(1.5, calm.leverage(2, 3.0), "floored at 1.5x");
    }

    @Test
    void leverageUpTriplesLeverageUpTo125x() {
        MarketStructure up = MarketStructure.of(ShiftKind.LEVERAGE_UP);
        assertEquals(30, up.leverage(10, 0.4));
        assertEquals(30, up.leverage(10, 3.0));
        assertEquals(125, up.leverage(50, 1.0));
        assertEquals(0.6, up.depthFactor);
        assertEquals(1.3, up.spreadFactor);
    }
}
