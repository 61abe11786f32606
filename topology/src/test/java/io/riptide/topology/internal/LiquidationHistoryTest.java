package io.riptide.topology.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiquidationHistoryTest {

    @Test
    void windowsAreOpenAtTheStartAndClosedAtTheEnd() {
        LiquidationHistory h = new LiquidationHistory();
        h.add(1_000, 0, 10);
        h.add(2_000, 1, 20);
        h.add(2_000, 2, 40);
        h.add(3_000, 3, 80);
        assertEquals(140, h.notionalIn(1_000, 3_000), "(1000, 3000] leaves out the one at 1000");
        assertEquals(150, h.notionalIn(999, 3_000));
        assertEquals(60, h.notionalIn(1_999, 2_000));
        assertEquals(0, h.notionalIn(3_000, 9_000));
    }

    @Test
    void aLiquidationReleasedAgainAfterARestartIsNotCountedTwice() {
        LiquidationHistory h = new LiquidationHistory();
        assertTrue(h.add(1_000, 5, 10));
        assertFalse(h.add(1_000, 5, 10));
        assertFalse(h.add(900, 4, 10));
        assertEquals(10, h.notionalIn(0, 2_000));
    }

    @Test
    void pruningForgetsTheOldestAndKeepsWindowsRightAsTheArrayGrows() {
        LiquidationHistory h = new LiquidationHistory();
        for (int i = 0; i < 1_000; i++) {
            h.add(i * 10L, i, 1);
            if (i % 100 == 99) {
                h.pruneBefore(i * 10L - 500);
            }
        }
        assertEquals(50, h.notionalIn(9_490 - 1, 9_980), "the last 50 liquidations, pruning included");
        assertTrue(h.size() <= 150, "pruned: " + h.size());
    }
}
