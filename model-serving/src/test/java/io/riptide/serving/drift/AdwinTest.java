package io.riptide.serving.drift;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdwinTest {

    private static double bernoulli(SplittableRandom r, double p) {
        return r.nextDouble() < p ? 1.0 : 0.0;
    }

    @Test
    void bucketsMergeAsTheExponentialHistogramPrescribesWorkedByHand() {
        // M = 2: a row holds 2 buckets; the third makes its two oldest merge into one bucket of the next row
        Adwin a = new Adwin(Adwin.Config.defaults().withMaxBuckets(2));
        for (int x = 1; x <= 7; x++) {
            a.update(x);
        }
        // 1,2 -> row 1 at x=3; 3,4 -> row 1 at x=5; 5,6 -> row 1 at x=7, which then holds 3: {1,2}+{3,4} -> row 2
        assertEquals(3, a.rows());
        assertEquals(1, a.bucketsInRow(0));
        assertEquals(7, a.bucketTotal(0, 0));
        assertEquals(0, a.bucketVariance(0, 0));
        assertEquals(1, a.bucketsInRow(1));
        assertEquals(11, a.bucketTotal(1, 0));      // 5 + 6
        assertEquals(0.5, a.bucketVariance(1, 0));  // (5 - 5.5)^2 + (6 - 5.5)^2
        assertEquals(1, a.bucketsInRow(2));
        assertEquals(10, a.bucketTotal(2, 0));      // 1 + 2 + 3 + 4
        assertEquals(5, a.bucketVariance(2, 0));    // 2.25 + 0.25 + 0.25 + 2.25
        assertEquals(7, a.width());
        assertEquals(4, a.mean());
        assertEquals(28, a.sumOfSquares(), 1e-12);  // sum of (x - 4)^2 for 1..7
        assertEquals(4, a.variance(), 1e-12);

        a.update(8);
        a.update(9); // row 0 holds 7, 8, 9: 7 + 8 merge into row 1 after 11
        assertEquals(1, a.bucketsInRow(0));
        assertEquals(9, a.bucketTotal(0, 0));
        assertEquals(2, a.bucketsInRow(1));
        assertEquals(11, a.bucketTotal(1, 0), "oldest first");
        assertEquals(15, a.bucketTotal(1, 1));
        assertEquals(60, a.sumOfSquares(), 1e-12); // sum of (x - 5)^2 for 1..9
    }

    @Test
    void epsilonCutIsTheBernsteinBoundWithMoasCorrectionsWorkedByHand() {
        // n0 = 100, n1 = 50, n = 150, sigma^2 = 0.25, delta = 0.002, minSubWindow 5:
        // 1/m = 1/96 + 1/46, ln(2/delta') = ln(2 ln 150 / 0.002) = 8.519318
        double logTerm = Math.log(2 * Math.log(150) / 0.002);
        assertEquals(8.519317991248643, logTerm, 1e-12);
        assertEquals(0.552728578432815, Adwin.epsilonCut(100, 50, 0.25, logTerm, 5, 1.0), 1e-12);
        // the range scales the second term only: + 2/3 * 8.519318 * (1/96 + 1/46) * 9
        double inverseM = 1.0 / 96 + 1.0 / 46;
        assertEquals(0.552728578432815 + 2.0 / 3 * logTerm * inverseM * 9,
                Adwin.epsilonCut(100, 50, 0.25, logTerm, 5, 10.0), 1e-12);
    }

    @Test
    void aMeanStepFrom02To08IsCutWithin64ValuesAndTheWindowShrinksToThePostStepPart() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Adwin a = new Adwin();
            for (int i = 0; i < 1_000; i++) {
                assertNull(a.update(bernoulli(r, 0.2)), "no cut before the step, seed " + seed);
            }
            Detection first = null;
            int delay = 0;
            while (first == null) {
                delay++;
                first = a.update(bernoulli(r, 0.8));
            }
            assertTrue(delay <= 64, "seed " + seed + ": detected " + delay + " values after the step");
            assertEquals(Adwin.NAME, first.detector());
            assertEquals(1_000 + delay, first.index());
            assertTrue(first.statistic() > first.threshold());
            // an increase; the newer part of the cut may still hold older values (the oldest buckets are 512 wide),
            // which later checks drop
            assertEquals(first.meanAfter() - first.meanBefore(), first.statistic(), 1e-15);
            assertTrue(first.meanBefore() < 0.3, first.toString());
            assertEquals(a.width(), first.windowAfter());
            assertTrue(first.windowAfter() < 1_000 + delay);
            for (int i = delay; i < 500; i++) {
                a.update(bernoulli(r, 0.8));
            }
            // 500 values after the step: the window is about them (bucket granularity leaves a few older ones)
            assertTrue(a.width() >= 400 && a.width() <= 600, "seed " + seed + ": width " + a.width());
            assertTrue(a.mean() > 0.7 && a.mean() < 0.9, "seed " + seed + ": mean " + a.mean());
        }
    }

    @Test
    void aStationaryStreamRaisesNothing() {
        // delta = 0.002 bounds a false cut per check by about (boundaries checked) * delta / ln n, ~ M / ln 2 * delta
        // = 0.0144 for M = 5, i.e. up to ~45 over 3,125 checks of 100,000 values: the bound (Bernstein, union over
        // correlated boundaries) is loose, and none happens in 500,000 Bernoulli(0.2) values.
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Adwin a = new Adwin();
            int cuts = 0;
            for (int i = 0; i < 100_000; i++) {
                cuts += a.update(bernoulli(r, 0.2)) == null ? 0 : 1;
            }
            assertEquals(0, cuts, "seed " + seed);
            assertEquals(100_000, a.width());
            assertEquals(0.2, a.mean(), 0.005);
        }
        Adwin constant = new Adwin(Adwin.Config.defaults().withClock(1)); // checked after every value
        for (int i = 0; i < 100_000; i++) {
            assertNull(constant.update(0.2));
        }
        assertEquals(100_000, constant.width());
        assertEquals(0.0, constant.variance(), 1e-12);
    }

    @Test
    void aGradualDriftIsEventuallyDetected() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Adwin a = new Adwin();
            for (int i = 0; i < 1_000; i++) {
                assertNull(a.update(bernoulli(r, 0.2)));
            }
            int detectedAt = -1;
            for (int i = 1; i <= 5_000 && detectedAt < 0; i++) { // mean ramps from 0.2 to 0.8 over 5,000 values
                detectedAt = a.update(bernoulli(r, 0.2 + 0.6 * i / 5_000.0)) == null ? -1 : i;
            }
            // measured 600 to 1,304 values into the ramp (mean up by 0.07 to 0.16)
            assertTrue(detectedAt > 0 && detectedAt <= 2_000, "seed " + seed + ": " + detectedAt);
        }
    }

    @Test
    void perOutcomeLogLossNeedsTheRangeOfTheLossToKeepTheGuarantee() {
        // a model predicting 0.02 where positives come at 0.02: losses -ln 0.98 = 0.02 and -ln 0.02 = 3.9
        double low = -Math.log(0.98);
        double high = -Math.log(0.02);
        SplittableRandom r = new SplittableRandom(5);
        Adwin unitRange = new Adwin();
        Adwin lossRange = new Adwin(Adwin.Config.defaults().withRange(4));
        int unitCuts = 0;
        int lossCuts = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double loss = r.nextDouble() < 0.02 ? high : low;
            unitCuts += unitRange.update(loss) == null ? 0 : 1;
            lossCuts += lossRange.update(loss) == null ? 0 : 1;
        }
        assertEquals(0, lossCuts, "range 4 covers the loss: no false cut in 1e6 values");
        assertTrue(unitCuts > 0, "MOA's implicit range 1 under-covers losses up to 3.9: " + unitCuts + " false cuts");
        // positives triple (0.02 -> 0.06): the mean loss goes from 0.098 to 0.253
        Detection d = null;
        int delay = 0;
        while (d == null && delay < 5_000) {
            delay++;
            d = lossRange.update(r.nextDouble() < 0.06 ? high : low);
        }
        assertNotNull(d);
        assertTrue(delay <= 1_000, "detected after " + delay); // measured 352 with another seed
        assertTrue(d.meanAfter() > d.meanBefore());
    }

    @Test
    void memoryIsBoundedByMaxRows() {
        Adwin.Config small = Adwin.Config.defaults().withMaxBuckets(2).withMaxRows(4);
        assertEquals(30, small.maxWindow()); // 2 * (1 + 2 + 4 + 8)
        Adwin a = new Adwin(small);
        for (int i = 0; i < 10_000; i++) {
            a.update(i % 3);
            assertTrue(a.width() <= 30, "width " + a.width());
            assertTrue(a.rows() <= 4);
        }
        assertTrue(a.width() > 20, "the window slides at its bound rather than emptying: " + a.width());
        assertTrue(a.toBytes().length <= 66 + 4 + 16 * 2 * 4);

        // defaults: 1e6 stationary values take 18 rows and about 1.5 KB
        Adwin big = new Adwin();
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 1_000_000; i++) {
            big.update(bernoulli(r, 0.2));
        }
        assertEquals(1_000_000, big.width());
        assertTrue(big.rows() <= 18, "rows " + big.rows());
        int bytes = big.toBytes().length;
        assertTrue(bytes <= 66 + 18 + 16 * 5 * 18, "bytes " + bytes);
        assertEquals(5 * ((1L << 32) - 1), Adwin.Config.defaults().maxWindow());
    }

    @Test
    void aRestoredDetectorDecidesExactlyAsAnUninterruptedOne() {
        double[] stream = new double[40_000];
        SplittableRandom r = new SplittableRandom(21);
        for (int i = 0; i < stream.length; i++) {
            double p = i < 10_000 ? 0.2 : i < 20_000 ? 0.6 : i < 30_000 ? 0.3 : 0.9;
            stream[i] = Math.min(10, -Math.log(1 - 0.98 * r.nextDouble() * p)); // a loss-like value in [0, 4]
        }
        Adwin.Config config = Adwin.Config.defaults().withRange(4);
        Adwin straight = new Adwin(config);
        List<Detection> expected = new ArrayList<>();
        for (double x : stream) {
            Detection d = straight.update(x);
            if (d != null) {
                expected.add(d);
            }
        }
        assertTrue(expected.size() >= 3, "the three changes are cut: " + expected);

        Adwin restored = new Adwin(config);
        List<Detection> actual = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (i % 997 == 0 || i % 1_024 == 31) { // through every phase, right before checks too
                byte[] bytes = restored.toBytes();
                restored = (Adwin) DriftDetector.fromBytes(bytes);
                assertArrayEquals(bytes, restored.toBytes());
            }
            Detection d = restored.update(stream[i]);
            if (d != null) {
                actual.add(d);
            }
        }
        assertEquals(expected, actual);
        assertArrayEquals(straight.toBytes(), restored.toBytes());
        assertEquals(config, restored.config());
    }

    @Test
    void corruptStateIsRejectedWithAReason() {
        Adwin a = new Adwin();
        for (int i = 0; i < 100; i++) {
            a.update(i % 2);
        }
        byte[] bytes = a.toBytes();
        byte[] wrongFormat = bytes.clone();
        wrongFormat[0] = 0x12;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Adwin.fromBytes(wrongFormat)).getMessage()
                .contains("format byte 0x12"));
        assertThrows(IllegalArgumentException.class, () -> DriftDetector.fromBytes(wrongFormat));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Adwin.fromBytes(Arrays.copyOf(bytes, bytes.length - 3))).getMessage().contains("truncated"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Adwin.fromBytes(Arrays.copyOf(bytes, bytes.length + 1))).getMessage().contains("trailing"));
        byte[] wrongWidth = bytes.clone();
        wrongWidth[1 + 8 + 12 + 8 + 4 + 8 + 7]++; // low byte of the width
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Adwin.fromBytes(wrongWidth)).getMessage()
                .contains("width"));
    }

    @Test
    void updatesAllocateNothing() {
        Adwin a = new Adwin();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 300_000; i++) { // warm up: JIT, and the bucket arrays reach their size
            a.update(bernoulli(r, 0.2));
        }
        long allocated = Allocation.bytesAllocatedBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                a.update(r.nextDouble() < 0.2 ? 1.0 : 0.0);
            }
        });
        assertTrue(allocated < 64 * 1024, allocated + " bytes for 1e6 updates");
    }

    @Test
    void badInputAndConfigurationAreRejected() {
        Adwin a = new Adwin();
        assertThrows(IllegalArgumentException.class, () -> a.update(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> a.update(Double.POSITIVE_INFINITY));
        assertEquals(0, a.samples());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adwin(0.0)).getMessage()
                .contains("adwin.delta"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Adwin.Config.defaults().withClock(0)).getMessage().contains("adwin.clock"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Adwin.Config.defaults().withMaxRows(49)).getMessage().contains("adwin.maxRows"));
    }

    /** A Bernoulli loss stream (rare costly misses) whose rate steps from 5% to 40% at value 720. */
    private static double[] steppedLoss(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] losses = new double[1440];
        for (int t = 0; t < losses.length; t++) {
            losses[t] = random.nextDouble() < (t < 720 ? 0.05 : 0.4) ? 3.0 : 0.05;
        }
        return losses;
    }

    @Test
    void aStepInTheLossIsCutAgainAndAgainButWatchedAsALossItRaisesOneAlarm() {
        double[] losses = steppedLoss(2);
        Adwin plain = new Adwin(Adwin.Config.defaults().withDelta(1e-6).withRange(5));
        Adwin watched = new Adwin(Adwin.Config.defaults().withDelta(1e-6).withRange(5));
        List<Long> plainRises = new ArrayList<>();
        List<Long> watchedRises = new ArrayList<>();
        for (int t = 0; t < losses.length; t++) {
            Detection p = plain.update(losses[t]);
            if (p != null && p.isRise()) {
                plainRises.add((long) t);
            }
            Detection w = DriftDetector.watchLoss(watched, losses[t]);
            if (w != null && w.isRise()) {
                watchedRises.add((long) t);
            }
        }
        assertTrue(plainRises.size() > 1, "ADWIN sheds the old window in pieces, cutting each time: " + plainRises);
        assertEquals(1, watchedRises.size(), "one step, one alarm: " + watchedRises);
        assertTrue(watchedRises.get(0) > 720 && watchedRises.get(0) < 720 + 200, "found " + watchedRises);
        assertEquals(losses.length, watched.samples(), "samples count across the reset");
        assertTrue(watched.width() < losses.length - watchedRises.get(0), "the window restarted at the alarm");
    }
}
