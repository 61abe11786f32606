package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstrumentFeatureEngineTest {
    private static final FeatureSet SET = FeatureSets.all();

    /**
     * Replays the kline slice as a full event stream: per bar, four trades (open, high, low, close) with alternating
     * aggressor, a 20-level book around the close, every 7th bar a liquidation, then the bar itself.
     */
    private static void feed(InstrumentFeatureEngine e, Klines k, int from, int to) {
        double[] bidPx = new double[20], bidQty = new double[20], askPx = new double[20], askQty = new double[20];
        for (int i = from; i < to; i++) {
            long t = k.time[i];
            double[] px = {k.open[i], k.high[i], k.low[i], k.close[i]};
            for (int j = 0; j < 4; j++) e.onTrade(t + 1_000L + j * 13_000L, px[j], k.volume[i] / 4 * (1 + j % 2), (i + j) % 2 == 0);
            for (int l = 0; l < 20; l++) {
                bidPx[l] = k.close[i] - 0.01 - l * 0.5;
                askPx[l] = k.close[i] + 0.01 + l * 0.5;
                bidQty[l] = 1 + ((i + l) % 7) * (l == 9 ? 10 : 1);
                askQty[l] = 1 + ((i * 3 + l) % 5);
            }
            e.onBook(t + 30_000L, bidPx, bidQty, 20, askPx, askQty, 20);
            if (i % 7 == 0) e.onLiquidation(t + 45_000L, i % 2 == 0 ? 1 : -1, k.close[i], 0.5, k.close[i] * 0.5);
            e.onBar(t, k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
        }
    }

    @Test
    void restoredEngineContinuesExactlyAsTheOriginal() {
        Klines k = Klines.slice();
        InstrumentFeatureEngine original = new InstrumentFeatureEngine(SET);
        feed(original, k, 0, 500);
        byte[] snapshot = original.snapshot();
        // a state store changelogs this per instrument: it must stay small (warm rings, 72 liquidations here)
        assertTrue(snapshot.length < 32 * 1024, "snapshot of a warm engine is " + snapshot.length + " bytes");
        InstrumentFeatureEngine restored = InstrumentFeatureEngine.restore(SET, snapshot);

        double[] a = new double[SET.size()];
        double[] b = new double[SET.size()];
        long asOf = k.time[499] + 60_000;
        original.writeFeatures(asOf, a);
        restored.writeFeatures(asOf, b);
        assertArrayEquals(a, b);

        feed(original, k, 500, k.size());
        feed(restored, k, 500, k.size());
        asOf = k.time[k.size() - 1] + 60_000;
        original.writeFeatures(asOf, a);
        restored.writeFeatures(asOf, b);
        assertArrayEquals(a, b, "restored engine diverged: " + firstDifference(a, b));
        assertEquals(original.regime(), restored.regime());
        assertTrue(original.isWarm());
        long finite = Arrays.stream(a).filter(Double::isFinite).count();
        assertTrue(finite > SET.size() - 5, "almost every feature has a value after 1000 bars, got " + finite + "/" + SET.size());
    }

    /**
     * TA-Lib starts each candle average's running total at its own bar, so the pattern state is half-filled in
     * different ways during the first bars: a snapshot taken at any of them must continue bar for bar as the original.
     */
    @Test
    void restoreDuringCandleWarmUpContinuesBarForBar() {
        Klines k = Klines.slice();
        FeatureSet set = FeatureSets.barIndicators();
        double[] a = new double[set.size()];
        double[] b = new double[set.size()];
        for (int cut = 0; cut <= 16; cut++) {
            InstrumentFeatureEngine original = new InstrumentFeatureEngine(set);
            for (int i = 0; i < cut; i++) bar(original, k, i);
            InstrumentFeatureEngine restored = InstrumentFeatureEngine.restore(set, original.snapshot());
            for (int i = cut; i < 300; i++) {
                bar(original, k, i);
                bar(restored, k, i);
                original.writeFeatures(k.time[i] + 60_000, a);
                restored.writeFeatures(k.time[i] + 60_000, b);
                assertArrayEquals(a, b, "restored at bar " + cut + ", diverged at bar " + i + ": " + firstDifference(a, b));
            }
        }
    }

    private static void bar(InstrumentFeatureEngine e, Klines k, int i) {
        e.onBar(k.time[i], k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
    }

    @Test
    void snapshotOfAnotherFeatureSetIsRejected() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(FeatureSets.barIndicators());
        byte[] snapshot = e.snapshot();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> InstrumentFeatureEngine.restore(SET, snapshot));
        assertTrue(ex.getMessage().contains("feature-set hash"), ex.getMessage());
        assertTrue(ex.getMessage().contains(FeatureSets.barIndicators().hash()), ex.getMessage());
    }

    @Test
    void corruptSnapshotIsRejectedWithAClearMessage() {
        Klines k = Klines.slice();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        feed(e, k, 0, 100);
        byte[] bytes = e.snapshot();

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x01; // one bit of some state value
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> InstrumentFeatureEngine.restore(SET, flipped));
        assertTrue(ex.getMessage().contains("checksum"), ex.getMessage());

        ex = assertThrows(IllegalArgumentException.class, () -> InstrumentFeatureEngine.restore(SET, Arrays.copyOf(bytes, bytes.length - 40)));
        assertTrue(ex.getMessage().contains("corrupt") || ex.getMessage().contains("truncated"), ex.getMessage());

        ex = assertThrows(IllegalArgumentException.class, () -> InstrumentFeatureEngine.restore(SET, new byte[16]));
        assertTrue(ex.getMessage().contains("bad magic"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> InstrumentFeatureEngine.restore(SET, new byte[3]));
        assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
    }

    @Test
    void notWarmAndNaNUntilWarmUp() {
        Klines k = Klines.slice();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(FeatureSets.barIndicators());
        double[] out = new double[e.featureSet().size()];
        int sma = e.featureSet().indexOf("sma_20");
        for (int i = 0; i < 19; i++) {
            e.onBar(k.time[i], k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
            e.writeFeatures(k.time[i] + 60_000, out);
            assertTrue(Double.isNaN(out[sma]));
            assertFalse(e.isWarm());
        }
        e.onBar(k.time[19], k.open[19], k.high[19], k.low[19], k.close[19], k.volume[19], Double.NaN, -1, Double.NaN);
        e.writeFeatures(k.time[19] + 60_000, out);
        assertFalse(Double.isNaN(out[sma]));
        assertEquals("unknown", e.regime());
        for (int i = 20; i < k.size(); i++) {
            e.onBar(k.time[i], k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
        }
        assertTrue(e.isWarm());
        assertNotEquals("unknown", e.regime());
    }

    @Test
    void badInputFailsLoudlyAndLeavesTheStateUntouched() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        Klines k = Klines.slice();
        feed(e, k, 0, 50);
        byte[] before = e.snapshot();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.onBar(1L, 100, Double.NaN, 99, 100, 1, Double.NaN, -1, Double.NaN));
        assertTrue(ex.getMessage().startsWith("bad bar at 1"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.onBar(1L, 100, 99, 101, 100, 1, Double.NaN, -1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> e.onBar(1L, 100, 101, 99, 100, -1, Double.NaN, -1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> e.onTrade(1L, 0.0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> e.onTrade(1L, 100, Double.POSITIVE_INFINITY, true));
        assertThrows(IllegalArgumentException.class, () -> e.onLiquidation(1L, 1, Double.NaN, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> e.onBook(1L, new double[0], new double[0], 0, new double[1], new double[1], 1));
        assertArrayEquals(before, e.snapshot(), "rejected input changed nothing");
        assertThrows(IllegalArgumentException.class, () -> new BarAggregator(60_000).onTrade(1L, -5, 1, true));
    }

    @Test
    void outputArrayTooSmallIsRejected() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        assertThrows(IllegalArgumentException.class, () -> e.writeFeatures(0L, new double[3]));
    }

    private static String firstDifference(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Double.compare(a[i], b[i]) != 0) return SET.names().get(i) + ": " + a[i] + " vs " + b[i];
        }
        return "none";
    }
}
