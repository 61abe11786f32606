package io.riptide.features;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarAggregatorTest {
    @Test
    void closesABarOnTheFirstTradeOfTheNextMinute() {
        BarAggregator agg = new BarAggregator(60_000);
        assertFalse(agg.onTrade(120_500, 100.0, 1.0, true));
        assertFalse(agg.onTrade(121_000, 102.0, 2.0, false));
        assertFalse(agg.onTrade(150_000, 99.0, 1.0, true));
        assertFalse(agg.onTrade(179_999, 101.0, 4.0, false));
        assertTrue(agg.onTrade(180_000, 105.0, 1.0, true));
        assertEquals(120_000, agg.closedOpenTimeMs());
        assertEquals(100.0, agg.closedOpen());
        assertEquals(102.0, agg.closedHigh());
        assertEquals(99.0, agg.closedLow());
        assertEquals(101.0, agg.closedClose());
        assertEquals(8.0, agg.closedVolume());
        // (100*1 + 102*2 + 99*1 + 101*4) / 8 = 807 / 8
        assertEquals(100.875, agg.closedVwap(), 1e-12);
        assertEquals(4, agg.closedTradeCount());
        assertEquals(2.0, agg.closedTakerBuyVolume());
    }

    @Test
    void lateTradeIsCountedNotFoldedIntoTheOpenBar() {
        BarAggregator agg = new BarAggregator(60_000);
        agg.onTrade(60_000, 100.0, 1.0, true);
        assertTrue(agg.onTrade(120_000, 101.0, 1.0, true));
        assertFalse(agg.onTrade(119_999, 50.0, 9.0, true));
        assertEquals(1, agg.lateTrades());
        assertTrue(agg.onTrade(180_000, 102.0, 1.0, true));
        assertEquals(101.0, agg.closedLow());
        assertEquals(1.0, agg.closedVolume());
    }

    @Test
    void gapMinutesProduceNoEmptyBar() {
        BarAggregator agg = new BarAggregator(60_000);
        agg.onTrade(0, 10, 1, true);
        assertTrue(agg.onTrade(300_000, 11, 1, true));
        assertEquals(0, agg.closedOpenTimeMs());
        assertTrue(agg.onTrade(360_000, 12, 1, true));
        assertEquals(300_000, agg.closedOpenTimeMs());
    }

    @Test
    void restoredAggregatorContinuesExactly() {
        BarAggregator a = new BarAggregator(60_000);
        a.onTrade(0, 10, 1, true);
        a.onTrade(30_000, 12, 2, false);
        BarAggregator b = BarAggregator.restore(a.snapshot());
        for (BarAggregator x : new BarAggregator[] {a, b}) {
            x.onTrade(59_000, 9, 1, true);
            assertTrue(x.onTrade(61_000, 11, 1, false));
        }
        assertEquals(a.closedHigh(), b.closedHigh());
        assertEquals(a.closedLow(), b.closedLow());
        assertEquals(a.closedVwap(), b.closedVwap());
        assertEquals(a.closedTradeCount(), b.closedTradeCount());
        assertEquals(60_000, b.barMillis());
        assertThrows(IllegalArgumentException.class, () -> BarAggregator.restore(new InstrumentFeatureEngine(FeatureSets.all()).snapshot()));
    }
}
