package io.riptide.serving.drift;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageHinkleyTest {

    private static double bernoulli(SplittableRandom r, double p) {
        return r.nextDouble() < p ? 1.0 : 0.0;
    }

    @Test
    void statisticFollowsTheDefinitionWorkedByHand() {
        // delta 0.1, lambda 2, no forgetting, alarms allowed from the first value; input 1, 1, 1, 3, 3
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(0.1, 2.0, 1.0, 1));
        // x̄ = 1, 1, 1: m = -0.1, -0.2, -0.3 = M, so PH = 0
        for (int i = 0; i < 3; i++) {
            assertNull(ph.update(1));
            assertEquals(0.0, ph.statistic());
        }
        // x̄ = 6/4 = 1.5: m = -0.3 + (3 - 1.5 - 0.1) = 1.1, M = -0.3, PH = 1.4
        assertNull(ph.update(3));
        assertEquals(1.4, ph.statistic(), 1e-12);
        // x̄ = 9/5 = 1.8: m = 1.1 + (3 - 1.8 - 0.1) = 2.2, PH = 2.5 > 2: alarm; the minimum was after the third value
        Detection d = ph.update(3);
        assertNotNull(d);
        assertEquals(PageHinkley.NAME, d.detector());
        assertEquals(5, d.index());
        assertEquals(2.5, d.statistic(), 1e-12);
        assertEquals(2.0, d.threshold());
        assertEquals(3, d.sizeBefore());
        assertEquals(2, d.sizeAfter());
        assertEquals(1.0, d.meanBefore(), 1e-15);
        assertEquals(3.0, d.meanAfter(), 1e-15);
        assertEquals(0, d.windowAfter());
        // reset: starts over
        assertEquals(0, ph.count());
        assertEquals(0.0, ph.statistic());
        assertEquals(5, ph.samples());
        assertNull(ph.update(3));
        assertEquals(0.0, ph.statistic(), "a fresh start: x̄ = 3, m = -0.1");
    }

    @Test
    void forgettingFadesTheStatisticWorkedByHand() {
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(0.0, 100, 0.5, 1));
        ph.update(1);
        ph.update(1);
        assertEquals(0.0, ph.statistic());
        ph.update(3); // x̄ = 5/3: 0.5 * 0 + 3 - 5/3
        assertEquals(4.0 / 3, ph.statistic(), 1e-12);
        ph.update(3); // x̄ = 2: 0.5 * 4/3 + 3 - 2
        assertEquals(5.0 / 3, ph.statistic(), 1e-12);
    }

    @Test
    void noAlarmBeforeMinInstances() {
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(0.1, 2.0, 1.0, 10));
        double[] xs = {1, 1, 1, 3, 3, 3, 3, 3, 3};
        for (double x : xs) {
            assertNull(ph.update(x));
        }
        assertTrue(ph.statistic() > 2, "over lambda, but only 9 values");
        assertNotNull(ph.update(3), "the tenth may alarm");
    }

    @Test
    void aStepUpIsDetectedWithinABoundedDelay() {
        for (long seed = 1; seed <= 10; seed++) {
            int defaults = delayAfterStep(new PageHinkley(), seed);
            int tuned = delayAfterStep(new PageHinkley(0.05, 20), seed);
            // measured 56..86 (defaults) and 29..45 (delta 0.05, lambda 20) for a 0.2 -> 0.8 step in 0/1 errors
            assertTrue(defaults > 0 && defaults <= 100, "seed " + seed + ": " + defaults);
            assertTrue(tuned > 0 && tuned <= 60, "seed " + seed + ": " + tuned);
        }
    }

    private static int delayAfterStep(PageHinkley ph, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 1_000; i++) {
            assertNull(ph.update(bernoulli(r, 0.2)), "seed " + seed);
        }
        for (int i = 1; i <= 2_000; i++) {
            Detection d = ph.update(bernoulli(r, 0.8));
            if (d != null) {
                assertTrue(d.meanAfter() > d.meanBefore());
                return i;
            }
        }
        return -1;
    }

    @Test
    void stationaryInputAlarmsAtTheRateSiegmundPredicts() {
        // delta 0.05, lambda 20 on 0/1 errors at 0.2 (sigma 0.4): an alarm every ~1.1e7 values, none here
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            PageHinkley ph = new PageHinkley(0.05, 20);
            for (int i = 0; i < 200_000; i++) {
                assertNull(ph.update(bernoulli(r, 0.2)), "seed " + seed + " at " + i);
            }
        }
        assertEquals(1.15e7, PageHinkley.expectedRunLength(0.05, 20, 0.4), 0.01e7);
        // MOA's defaults (delta 0.005, lambda 50) are tight for this input: one false alarm per ~6e4 values
        double arl = PageHinkley.expectedRunLength(0.005, 50, 0.4);
        assertEquals(61_700, arl, 100);
        SplittableRandom r = new SplittableRandom(1);
        PageHinkley ph = new PageHinkley();
        int alarms = 0;
        for (int i = 0; i < 1_000_000; i++) {
            alarms += ph.update(bernoulli(r, 0.2)) == null ? 0 : 1;
        }
        // measured 17 (expected 1e6 / 61,700 = 16.2)
        assertTrue(alarms >= 8 && alarms <= 32, alarms + " alarms in 1e6 values");
    }

    @Test
    void aDecreaseNeverAlarms() {
        SplittableRandom r = new SplittableRandom(2);
        PageHinkley ph = new PageHinkley();
        for (int i = 0; i < 1_000; i++) {
            assertNull(ph.update(bernoulli(r, 0.8)));
        }
        double peak = 0;
        for (int i = 0; i < 20_000; i++) {
            assertNull(ph.update(bernoulli(r, 0.2)));
            peak = Math.max(peak, ph.statistic());
        }
        assertTrue(peak < 25, "m_T falls: PH stays far below lambda, peak " + peak);
    }

    @Test
    void aRestoredDetectorDecidesExactlyAsAnUninterruptedOne() {
        PageHinkley.Config config = new PageHinkley.Config(0.01, 15, 0.999, 30);
        SplittableRandom r = new SplittableRandom(8);
        double[] stream = new double[30_000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = bernoulli(r, (i / 5_000) % 2 == 0 ? 0.1 : 0.5);
        }
        PageHinkley straight = new PageHinkley(config);
        PageHinkley restored = new PageHinkley(config);
        List<Detection> expected = new ArrayList<>();
        List<Detection> actual = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            Detection d = straight.update(stream[i]);
            if (d != null) {
                expected.add(d);
            }
            if (i % 331 == 0) {
                byte[] bytes = restored.toBytes();
                assertEquals(85, bytes.length);
                restored = (PageHinkley) DriftDetector.fromBytes(bytes);
                assertArrayEquals(bytes, restored.toBytes());
            }
            d = restored.update(stream[i]);
            if (d != null) {
                actual.add(d);
            }
        }
        assertTrue(expected.size() >= 3, "each step up alarms: " + expected);
        assertEquals(expected, actual);
        assertArrayEquals(straight.toBytes(), restored.toBytes());
    }

    @Test
    void corruptStateAndBadConfigurationAreRejected() {
        byte[] bytes = new PageHinkley().toBytes();
        byte[] wrong = bytes.clone();
        wrong[0] = 0x22;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PageHinkley.fromBytes(wrong)).getMessage()
                .contains("format byte 0x22"));
        assertThrows(IllegalArgumentException.class, () -> PageHinkley.fromBytes(java.util.Arrays.copyOf(bytes, 40)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DriftDetector.fromBytes(new byte[] {0x7f}))
                .getMessage().contains("unknown format byte 0x7f"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PageHinkley.Config(0.1, 0, 1, 30))
                .getMessage().contains("pageHinkley.lambda"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PageHinkley.Config(0.1, 5, 1.5, 30))
                .getMessage().contains("pageHinkley.alpha"));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley().update(Double.NaN));
    }

    @Test
    void updatesAllocateNothing() {
        PageHinkley ph = new PageHinkley(0.05, 20);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            ph.update(bernoulli(r, 0.2));
        }
        long allocated = Allocation.bytesAllocatedBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                ph.update(r.nextDouble() < 0.2 ? 1.0 : 0.0);
            }
        });
        assertTrue(allocated < 16 * 1024, allocated + " bytes for 1e6 updates");
    }
}
