package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventTimeSorterTest {

    @Test
    void sourcesReadOneAfterTheOtherAreDeliveredMergedByEventTime() {
        EventTimeSorter sorter = new EventTimeSorter();
        for (long m = 0; m < 3; m++) {
            sorter.onKline(Bar.newBuilder().setInstrument("X").setOpenTimeMs(m * 60_000).setCloseTimeMs((m + 1) * 60_000)
                    .setOpen(1).setHigh(1).setLow(1).setClose(1).setVolume(1).setSource(BarSource.KLINES).build());
        }
        sorter.onLiquidation(new Liquidation("X", 59_999L, PositionSide.LONG, 1.0, 1.0, 1.0));
        sorter.onLiquidation(new Liquidation("X", 90_000L, PositionSide.SHORT, 1.0, 1.0, 1.0));
        List<String> order = new ArrayList<>();
        MarketEventSink sink = new MarketEventSink() {
            @Override
            public void onTrade(io.riptide.schemas.avro.Trade trade) {
            }

            @Override
            public void onBook(io.riptide.schemas.avro.BookSnapshot book) {
            }

            @Override
            public void onLiquidation(Liquidation l) {
                order.add("liq " + l.getExchangeTimeMs());
            }

            @Override
            public void onKline(Bar k) {
                order.add("kline " + k.getOpenTimeMs());
            }
        };
        assertEquals(59_999, sorter.firstTimeMs());
        sorter.drainBefore(100_000, sink);
        assertEquals(List.of("liq 59999", "kline 0", "liq 90000"), order, "a liquidation at a kline's instant comes first");
        assertEquals(2, sorter.size());
        sorter.drainTo(sink);
        assertEquals(List.of("liq 59999", "kline 0", "liq 90000", "kline 60000", "kline 120000"), order);
        assertEquals(0, sorter.size());
    }
}
