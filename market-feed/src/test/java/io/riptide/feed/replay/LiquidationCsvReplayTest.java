package io.riptide.feed.replay;

import io.riptide.feed.CollectingSink;
import io.riptide.feed.SharedData;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiquidationCsvReplayTest {
    private static final Path SLICE = SharedData.resource("liquidations/liquidations-slice.csv");

    @Test
    void okxNotionalIsScaledByContractSizeAndSidesAreMapped() throws Exception {
        CollectingSink sink = new CollectingSink();
        LiquidationCsvReplay replay = new LiquidationCsvReplay(SLICE, ContractSizes.defaults(), 0);
        replay.run(sink);

        // 2026-03-04T22:45:45.620000Z,1772664345620,okx,BTC,sell,4692927.006,72388.2
        Liquidation btc = find(sink.liquidations, "OKX:BTCUSDT", 1772664345620L);
        assertEquals(PositionSide.LONG, btc.getPositionSide(), "OKX sell = a long was liquidated");
        assertEquals(46_929.27006, btc.getNotional(), 1e-6);
        assertEquals(72388.2, btc.getPrice());
        assertEquals(46_929.27006 / 72388.2, btc.getQty(), 1e-12);

        for (Liquidation l : sink.liquidations) {
            if (l.getInstrument().toString().startsWith("HYPERLIQUID:")) {
                assertEquals(PositionSide.UNKNOWN, l.getPositionSide());
            }
        }
        long shorts = sink.liquidations.stream().filter(l -> l.getPositionSide() == PositionSide.SHORT).count();
        assertEquals(9, shorts, "the nine OKX ETH buys are shorts (HYPE buys have no contract size)");
    }

    @Test
    void okxCoinsWithoutAContractSizeAreReportedNotGuessed() throws Exception {
        CollectingSink sink = new CollectingSink();
        LiquidationCsvReplay replay = new LiquidationCsvReplay(SLICE, ContractSizes.defaults(), 0);
        replay.run(sink);

        assertEquals(10, replay.malformed().count(), replay.malformed().summary());
        assertTrue(replay.malformed().samples().get(0).contains("no OKX contract size for HYPE"));
        assertEquals(60, replay.emitted());
        assertEquals(60, sink.liquidations.size());

        CollectingSink withHype = new CollectingSink();
        LiquidationCsvReplay configured = new LiquidationCsvReplay(SLICE,
                ContractSizes.defaults().withSpec("okx:HYPE=0.1"), 0);
        configured.run(withHype);
        assertEquals(0, configured.malformed().count());
        assertEquals(70, withHype.liquidations.size());
        // 2026-03-04T11:13:13.984000Z,1772622793984,okx,HYPE,buy,1976.2800000000002,32.938
        assertEquals(197.628, find(withHype.liquidations, "OKX:HYPEUSDT", 1772622793984L).getNotional(), 1e-9);
    }

    @Test
    void aBadContractSizeSpecIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContractSizes.defaults().withSpec("okx-HYPE"));
        assertEquals("contract size 'okx-HYPE' is not venue:COIN=size (e.g. okx:HYPE=0.1)", e.getMessage());
    }

    @Test
    void fullFileReplaysEveryKnownRow() throws Exception {
        Path dir = SharedData.require("liquidations-okx-hyperliquid");
        CollectingSink sink = new CollectingSink();
        LiquidationCsvReplay replay = new LiquidationCsvReplay(dir.resolve("liquidations.csv"), ContractSizes.defaults(), 0);
        replay.run(sink);
        assertEquals(8_059 - 99, sink.liquidations.size(), "all rows but the 99 OKX HYPE rows");
        assertEquals(99, replay.malformed().count());
    }

    private static Liquidation find(List<Liquidation> all, String instrument, long timeMs) {
        return all.stream().filter(l -> l.getInstrument().toString().equals(instrument)
                && l.getExchangeTimeMs() == timeMs).findFirst().orElseThrow();
    }
}
