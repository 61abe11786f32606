package io.riptide.feed.replay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayPacerTest {
    @Test
    void tenTimesRealTimeTakesATenthOfTheEventSpan() throws InterruptedException {
        ReplayPacer pacer = new ReplayPacer(10);
        long t0 = System.nanoTime();
        for (long eventMs = 0; eventMs <= 2_000; eventMs += 100) {
            pacer.awaitEventTime(1_000_000 + eventMs);
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsedMs >= 195 && elapsedMs < 1_000, "2 s of events at 10x took " + elapsedMs + " ms");
    }

    @Test
    void speedZeroNeverWaits() throws InterruptedException {
        ReplayPacer pacer = new ReplayPacer(0);
        long t0 = System.nanoTime();
        pacer.awaitEventTime(0);
        pacer.awaitEventTime(3_600_000);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 100);
    }

    @Test
    void negativeSpeedIsRefused() {
        assertEquals("speed must be 0 (as fast as possible) or a positive factor, was -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ReplayPacer(-1)).getMessage());
    }
}
