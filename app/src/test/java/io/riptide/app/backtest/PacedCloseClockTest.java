package io.riptide.app.backtest;

import io.riptide.feed.Heartbeats;
import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacedCloseClockTest {
    private static final long M = 60_000;
    private static final String BTC = "SIM:BTCUSDT";

    /** What reached the producer, in order. */
    private final List<String> sent = new ArrayList<>();
    private final MarketEventSink producer = new MarketEventSink() {
        @Override
        public void onTrade(Trade trade) {
            sent.add("trade " + trade.getExchangeTimeMs());
        }

        @Override
        public void onBook(BookSnapshot book) {
            sent.add("book " + book.getExchangeTimeMs());
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
            sent.add("liquidation " + liquidation.getExchangeTimeMs());
        }

        @Override
        public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
            sent.add("heartbeat " + input.name() + " " + timeMs);
        }
    };
    private final PacedCloseClock clock = new PacedCloseClock(producer, Heartbeats.TRADE_INPUTS);

    @Test
    void aBarClosesWhenTheLastOfItsInstrumentsInputsPassesItsEnd() {
        clock.startWindow(1_000_000);
        clock.onTrade(trade(10 * M + 5));
        clock.onBook(book(10 * M + 6));
        clock.onLiquidation(liquidation(10 * M + 7)); // every input heard: the first complete stamp
        clock.onTrade(trade(11 * M + 1)); // the bar ending at 11 M now has a trade, and trades passed its end
        clock.onBook(book(11 * M + 2));
        assertTrue(clock.closes().isEmpty(), "liquidations have not passed 11 M yet: " + clock.closes());
        clock.onHeartbeat(BTC, Heartbeats.TRADE_INPUTS.get(2), 11 * M);
        assertEquals(Set.of(PacedCloseClock.barKey(BTC, 11 * M)), clock.closes().keySet());
    }

    @Test
    void aMinuteWithoutATradeMakesNoBarToWaitFor() {
        clock.startWindow(1_000_000);
        clock.onTrade(trade(10 * M));
        clock.onBook(book(10 * M));
        clock.onLiquidation(liquidation(10 * M));
        clock.onTrade(trade(10 * M + 30_000)); // bar ending 11 M
        clock.onBook(book(13 * M)); // minutes 11 and 12 have books only
        clock.onLiquidation(liquidation(13 * M));
        clock.onTrade(trade(13 * M + 1));
        assertEquals(Set.of(PacedCloseClock.barKey(BTC, 11 * M)), clock.closes().keySet());
    }

    @Test
    void sendsAtTheRateAskedForAndPassesEverythingOn() {
        clock.startWindow(1_000);
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            clock.onTrade(trade(10 * M + i));
        }
        clock.onHeartbeat(BTC, Heartbeats.TRADE_INPUTS.get(1), 10 * M + 99);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.09, "100 events at 1,000/s took " + seconds + " s");
        assertEquals(100, clock.windowEvents(), "heartbeats are not paced or counted");
        assertEquals(101, sent.size());
        assertEquals("heartbeat market.book " + (10 * M + 99), sent.get(100));
    }

    private static Trade trade(long time) {
        return Trade.newBuilder().setInstrument(BTC).setExchangeTimeMs(time).setPrice(100).setQty(1)
                .setAggressorSide(Side.BUY).setTradeId("t" + time).build();
    }

    private static BookSnapshot book(long time) {
        return BookSnapshot.newBuilder().setInstrument(BTC).setExchangeTimeMs(time).setUpdateId(1)
                .setBids(List.of(new PriceLevel(99.0, 1.0))).setAsks(List.of(new PriceLevel(101.0, 1.0))).build();
    }

    private static Liquidation liquidation(long time) {
        return Liquidation.newBuilder().setInstrument(BTC).setExchangeTimeMs(time).setPositionSide(PositionSide.LONG)
                .setPrice(100).setQty(1).setNotional(100).build();
    }
}
