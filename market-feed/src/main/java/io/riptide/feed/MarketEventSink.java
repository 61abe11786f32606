package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;

/**
 * Where every market source (exchange connector, file replay, simulator) delivers its records. Sources call it
 * from a single thread, in the order events happened on the exchange.
 */
public interface MarketEventSink {

    void onTrade(Trade trade);

    void onBook(BookSnapshot book);

    void onLiquidation(Liquidation liquidation);

    /** Only kline replay produces bars directly; live sources leave bar building to the topology. */
    default void onBar(Bar bar) {
    }
}
