package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;

/**
 * Where every market source (exchange connector, file replay, simulator) delivers its records. Sources call it
 * from a single thread, in the order events happened on the exchange.
 */
public interface MarketEventSink {

    void onTrade(Trade trade);

    void onBook(BookSnapshot book);

    void onLiquidation(Liquidation liquidation);

    /**
     * A recorded 1-minute kline: the whole bar of a kline-driven instrument (topic {@code market.klines}). Only
     * kline replay produces them; live sources leave bar building to the topology.
     */
    default void onKline(Bar kline) {
    }

    /**
     * The source promises it has delivered every record of {@code instrument} for {@code input} stamped before
     * {@code timeMs} ({@link Heartbeats} decides when to say so; see {@link io.riptide.schemas.topics.MarketHeartbeat}).
     */
    default void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
    }
}
