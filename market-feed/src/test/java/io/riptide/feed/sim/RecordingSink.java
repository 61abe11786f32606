package io.riptide.feed.sim;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;

/** Keeps every record in arrival order, plus per-type lists. */
final class RecordingSink implements MarketEventSink {
    final List<SpecificRecord> all = new ArrayList<>();
    final List<Trade> trades = new ArrayList<>();
    final List<BookSnapshot> books = new ArrayList<>();
    final List<Liquidation> liquidations = new ArrayList<>();

    @Override
    public void onTrade(Trade trade) {
        all.add(trade);
        trades.add(trade);
    }

    @Override
    public void onBook(BookSnapshot book) {
        all.add(book);
        books.add(book);
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        all.add(liquidation);
        liquidations.add(liquidation);
    }
}
