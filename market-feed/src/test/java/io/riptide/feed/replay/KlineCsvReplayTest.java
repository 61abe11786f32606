package io.riptide.feed.replay;

import io.riptide.feed.SharedData;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.feed.MarketEventSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlineCsvReplayTest {

    @TempDir
    Path temp;

    @Test
    void klinesBecomeBarsFromKlinesAndNeverTrades() throws Exception {
        BarsOnly sink = new BarsOnly();
        KlineCsvReplay replay = new KlineCsvReplay(SharedData.resource("klines/BTCUSDT-1m-2021-04-02.csv"), null, 0);
        replay.run(sink);

        assertEquals("BINANCE:BTCUSDT", replay.instrument());
        assertEquals(120, sink.bars.size());
        assertEquals(0, replay.malformed().count());
        Bar first = sink.bars.get(0);
        // 1617321600000,58720.45,58840.43,58720.44,58760.34,61.685675
        assertEquals(1617321600000L, first.getOpenTimeMs());
        assertEquals(1617321660000L, first.getCloseTimeMs());
        assertEquals(58720.45, first.getOpen());
        assertEquals(58840.43, first.getHigh());
        assertEquals(58720.44, first.getLow());
        assertEquals(58760.34, first.getClose());
        assertEquals(61.685675, first.getVolume());
        assertEquals(BarSource.KLINES, first.getSource());
        assertNull(first.getVwap());
        assertNull(first.getTradeCount());
        assertNull(first.getTakerBuyVolume());
    }

    @Test
    void badRowsAreCountedWithLineNumbersAndSkipped() throws Exception {
        Path csv = temp.resolve("ETHUSDT-1m-test.csv");
        Files.writeString(csv, String.join("\n",
                KlineCsvReplay.HEADER,
                "1617321600000,1.0,2.0,0.5,1.5,10",
                "1617321660000,1.0,2.0,abc,1.5,10",
                "1617321720000,1.0,0.9,0.5,1.5,10",
                "1617321780000,1.0,2.0",
                "1617321600000,1.0,2.0,0.5,1.5,10",
                "1617321840000,1.0,2.0,0.5,1.5,10") + "\n");
        BarsOnly sink = new BarsOnly();
        KlineCsvReplay replay = new KlineCsvReplay(csv, "TEST:ETH", 0);
        replay.run(sink);

        assertEquals(2, sink.bars.size());
        assertEquals("TEST:ETH", sink.bars.get(1).getInstrument().toString());
        assertEquals(4, replay.malformed().count());
        List<String> samples = replay.malformed().samples();
        assertTrue(samples.get(0).endsWith(":3: low is not a number: 'abc'"), samples.toString());
        assertTrue(samples.get(1).endsWith(":4: low/high do not bracket open/close"), samples.toString());
        assertTrue(samples.get(2).endsWith(":5: expected 6 columns (" + KlineCsvReplay.HEADER + "), got 3"), samples.toString());
        assertTrue(samples.get(3).contains(":6: open_time_ms 1617321600000 does not follow"), samples.toString());
    }

    @Test
    void aMissingFileIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KlineCsvReplay(temp.resolve("nope.csv"), null, 0));
        assertTrue(e.getMessage().startsWith("kline file does not exist: "), e.getMessage());
    }

    @Test
    void fullKlineFileReplaysEveryRow() throws Exception {
        Path dir = SharedData.require("binance-klines-2021-04");
        BarsOnly sink = new BarsOnly();
        KlineCsvReplay replay = new KlineCsvReplay(dir.resolve("ETHUSDT-1m-2021-04-02_2021-04-17.csv"), null, 0);
        replay.run(sink);
        assertEquals(23_040, sink.bars.size());
        assertEquals("BINANCE:ETHUSDT", sink.bars.get(0).getInstrument().toString());
        assertEquals(0, replay.malformed().count());
    }

    /** Fails the test if a kline ever arrives as anything but a bar. */
    static final class BarsOnly implements MarketEventSink {
        final List<Bar> bars = new ArrayList<>();

        @Override
        public void onTrade(Trade trade) {
            throw new AssertionError("kline replay produced a trade: " + trade);
        }

        @Override
        public void onBook(BookSnapshot book) {
            throw new AssertionError("kline replay produced a book");
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
            throw new AssertionError("kline replay produced a liquidation");
        }

        @Override
        public void onKline(Bar bar) {
            bars.add(bar);
        }
    }
}
