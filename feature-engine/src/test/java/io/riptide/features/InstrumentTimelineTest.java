package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstrumentTimelineTest {
    private static final long MINUTE = 60_000L;
    private final FeatureSet set = FeatureSets.liquidation();

    /** Bar ends and their close prices, as the listener saw them. */
    private final List<long[]> closed = new ArrayList<>();
    private final InstrumentTimeline.BarListener listener = (bar, engine) ->
            closed.add(new long[]{bar.endMs(), (long) bar.close(), bar.tradeCount(), bar.fromKline() ? 1 : 0});

    @Test
    void aBarClosesWhenEventTimeReachesItsEndNotWhenTheNextTradeComes() {
        InstrumentTimeline t = new InstrumentTimeline(set);
        t.onTrade(10_000, 100, 1, true, listener);
        t.onTrade(50_000, 101, 1, false, listener);
        t.advanceTo(MINUTE - 1, listener);
        assertTrue(closed.isEmpty(), "event time has not reached the bar's end");
        t.advanceTo(MINUTE, listener);
        assertEquals(1, closed.size());
        assertArrayEquals(new long[]{MINUTE, 101, 2, 0}, closed.get(0));
        assertEquals(Long.MAX_VALUE, t.nextBarEndMs(), "no bar is open until the next trade");
    }

    @Test
    void aMinuteWithoutTradesMakesNoBarButItsBooksReachTheEngine() {
        InstrumentTimeline t = new InstrumentTimeline(set);
        t.onTrade(1_000, 100, 1, true, listener);
        double[] px = {99.9, 100.1};
        t.onBook(MINUTE + 1_000, new double[]{99.9}, new double[]{1}, 1, new double[]{100.1}, new double[]{1}, 1,
                listener);
        assertEquals(1, closed.size(), "the first bar closed before the book was applied");
        t.advanceTo(3 * MINUTE, listener);
        assertEquals(1, closed.size(), "minutes 1 and 2 had no trade");
        t.onTrade(3 * MINUTE + 5, 102, 1, true, listener);
        t.advanceTo(4 * MINUTE, listener);
        assertEquals(2, closed.size());
        assertEquals(4 * MINUTE, closed.get(1)[0]);
        assertEquals(2, px.length);
    }

    @Test
    void theFeaturesOfABarSeeEverythingBeforeItsEndAndNothingAfter() {
        InstrumentTimeline withLater = new InstrumentTimeline(set);
        InstrumentTimeline without = new InstrumentTimeline(set);
        double[][] seen = new double[2][set.size()];
        for (InstrumentTimeline t : List.of(withLater, without)) {
            for (int s = 0; s < 60; s += 5) {
                t.onTrade(s * 1_000L, 100 + s * 0.01, 1, s % 2 == 0, listener);
            }
        }
        int liq = set.indexOf("liq_notional_5m");
        withLater.onLiquidation(MINUTE, 1, 100, 500, 50_000, (bar, engine) -> engine.writeFeatures(bar.endMs(), seen[0]));
        without.advanceTo(MINUTE, (bar, engine) -> engine.writeFeatures(bar.endMs(), seen[1]));
        assertArrayEquals(seen[1], seen[0], "a liquidation at the bar's end is not in its features");
        assertFalse(seen[0][liq] > 0);
    }

    @Test
    void aKlineIsAWholeBarThatClosesAtOnceAndCannotMixWithTrades() {
        InstrumentTimeline t = new InstrumentTimeline(set);
        t.onLiquidation(InstrumentTimeline.klineTimeMs(0) - 1, -1, 100, 1, 100, listener);
        t.onKline(0, 100, 105, 95, 103, 12, Double.NaN, -1, Double.NaN, listener);
        assertEquals(1, closed.size());
        assertArrayEquals(new long[]{MINUTE, 103, -1, 1}, closed.get(0));
        assertTrue(t.isKlineDriven());
        assertFalse(t.accepts(MarketSource.TRADES));
        assertThrows(IllegalStateException.class, () -> t.onTrade(2 * MINUTE, 100, 1, true, listener));
    }

    @Test
    void aRestoredTimelineContinuesExactlyAsTheOriginal() {
        InstrumentTimeline original = new InstrumentTimeline(set);
        for (int i = 0; i < 300; i++) {
            original.onTrade(i * 20_000L, 100 + Math.sin(i) , 1 + i % 3, i % 2 == 0, listener);
        }
        InstrumentTimeline restored = InstrumentTimeline.restore(set, original.snapshot());
        assertEquals(original.timeMs(), restored.timeMs());
        List<double[]> a = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (int i = 300; i < 400; i++) {
            long time = i * 20_000L;
            double price = 100 + Math.sin(i);
            original.onTrade(time, price, 1, true, (bar, engine) -> a.add(features(engine, bar.endMs())));
            restored.onTrade(time, price, 1, true, (bar, engine) -> b.add(features(engine, bar.endMs())));
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "bar " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> InstrumentTimeline.restore(set, new byte[]{9}));
    }

    private double[] features(InstrumentFeatureEngine engine, long at) {
        double[] out = new double[set.size()];
        engine.writeFeatures(at, out);
        return out;
    }
}
