package io.riptide.app.backtest;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;

import java.util.List;

/** The same market to every arm. */
final class FanOutSink implements MarketEventSink {
    private final List<? extends MarketEventSink> sinks;
    private long events;

    FanOutSink(List<? extends MarketEventSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void onTrade(Trade trade) {
        sinks.forEach(s -> s.onTrade(trade));
        events++;
    }

    @Override
    public void onBook(BookSnapshot book) {
        sinks.forEach(s -> s.onBook(book));
        events++;
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        sinks.forEach(s -> s.onLiquidation(liquidation));
        events++;
    }

    @Override
    public void onKline(Bar kline) {
        sinks.forEach(s -> s.onKline(kline));
        events++;
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        sinks.forEach(s -> s.onHeartbeat(instrument, input, timeMs));
    }

    /** Market events delivered (each counted once, whatever the number of arms). */
    long events() {
        return events;
    }
}
