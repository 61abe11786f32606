package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;

import java.util.ArrayList;
import java.util.List;

/** Keeps every record it receives, per type. */
public final class CollectingSink implements MarketEventSink {
    public final List<Trade> trades = new ArrayList<>();
    public final List<BookSnapshot> books = new ArrayList<>();
    public final List<Liquidation> liquidations = new ArrayList<>();
    public final List<Bar> bars = new ArrayList<>();

    @Override
    public void onTrade(Trade trade) {
        trades.add(trade);
    }

    @Override
    public void onBook(BookSnapshot book) {
        books.add(book);
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        liquidations.add(liquidation);
    }

    @Override
    public void onKline(Bar bar) {
        bars.add(bar);
    }
}
