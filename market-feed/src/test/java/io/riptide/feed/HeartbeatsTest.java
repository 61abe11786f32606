package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatsTest {
    private static final String I = "SIM:X";

    /** What reached the sink, in order: "trade@t", "hb market.book@t", ... */
    private final List<String> seen = new ArrayList<>();
    private final MarketEventSink sink = new MarketEventSink() {
        @Override
        public void onTrade(Trade trade) {
            seen.add("trade@" + trade.getExchangeTimeMs());
        }

        @Override
        public void onBook(io.riptide.schemas.avro.BookSnapshot book) {
            seen.add("book@" + book.getExchangeTimeMs());
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
            seen.add("liq@" + liquidation.getExchangeTimeMs());
        }

        @Override
        public void onKline(Bar kline) {
            seen.add("kline@" + kline.getOpenTimeMs());
        }

        @Override
        public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
            seen.add("hb " + input.name() + "@" + timeMs);
        }
    };

    private static Trade trade(long t) {
        return new Trade(I, t, 100.0, 1.0, Side.BUY, Long.toString(t));
    }

    @Test
    void quietInputsGetAHeartbeatWhenAnotherInputMovesOn() {
        Heartbeats feed = Heartbeats.exact(sink, Heartbeats.TRADE_INPUTS);
        feed.onTrade(trade(10_000));
        assertEquals(List.of("trade@10000", "hb market.book@10000", "hb market.liquidations@10000"), seen);
        seen.clear();
        feed.onTrade(trade(10_500));
        assertEquals(List.of("trade@10500"), seen, "the other inputs were heartbeaten less than a second ago");
        seen.clear();
        feed.onTrade(trade(11_000));
        assertEquals(List.of("trade@11000", "hb market.book@11000", "hb market.liquidations@11000"), seen);
        seen.clear();
        feed.onLiquidation(new Liquidation(I, 11_200L, PositionSide.LONG, 100.0, 1.0, 100.0));
        feed.onTrade(trade(12_100));
        assertEquals(List.of("liq@11200", "trade@12100", "hb market.book@12100"), seen,
                "liquidations spoke at 11200, so they are not quiet at 12100");
    }

    @Test
    void aLiveFeedHeartbeatsBehindByItsSkewAndFinishClosesEveryInput() {
        Heartbeats feed = new Heartbeats(sink, Heartbeats.TRADE_INPUTS, 1_000, 2_000);
        feed.onTrade(trade(10_000));
        assertEquals(List.of("trade@10000", "hb market.book@8000", "hb market.liquidations@8000"), seen);
        seen.clear();
        feed.finish(20_000);
        assertEquals(List.of("hb market.trades@20000", "hb market.book@20000", "hb market.liquidations@20000"), seen);
        assertThrows(IllegalArgumentException.class, () -> new Heartbeats(sink, Heartbeats.TRADE_INPUTS, 0, 0));
    }

    @Test
    void aKlineStandsAtTheLastMillisecondOfItsMinute() {
        Heartbeats feed = Heartbeats.exact(sink, Heartbeats.KLINE_INPUTS);
        feed.onKline(Bar.newBuilder().setInstrument(I).setOpenTimeMs(0).setCloseTimeMs(60_000).setOpen(1).setHigh(1)
                .setLow(1).setClose(1).setVolume(1).setSource(BarSource.KLINES).build());
        assertEquals(List.of("kline@0", "hb market.liquidations@59999"), seen);
        seen.clear();
        feed.finish();
        assertEquals(List.of("hb market.klines@60000", "hb market.liquidations@60000"), seen);
        assertTrue(feed.instruments().contains(I));
    }
}
