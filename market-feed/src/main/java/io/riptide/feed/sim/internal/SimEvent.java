package io.riptide.feed.sim.internal;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.specific.SpecificRecord;

import java.util.Comparator;

/** One generated record with the keys that put it in global event-time order. */
public record SimEvent(long timeMs, int instrumentIndex, long sequence, SpecificRecord record) {

    /** Event time, then instrument, then generation order: a total order, so sorting is deterministic. */
    public static final Comparator<SimEvent> ORDER = Comparator.comparingLong(SimEvent::timeMs)
            .thenComparingInt(SimEvent::instrumentIndex)
            .thenComparingLong(SimEvent::sequence);

    public void deliverTo(MarketEventSink sink) {
        if (record instanceof Trade trade) {
            sink.onTrade(trade);
        } else if (record instanceof BookSnapshot book) {
            sink.onBook(book);
        } else if (record instanceof Liquidation liquidation) {
            sink.onLiquidation(liquidation);
        } else {
            throw new IllegalStateException("unexpected simulated record " + record.getClass().getName());
        }
    }
}
