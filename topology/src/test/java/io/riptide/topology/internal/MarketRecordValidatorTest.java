package io.riptide.topology.internal;

import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MarketRecordValidatorTest {

    private static Trade trade(String instrument, String id) {
        return Trade.newBuilder().setInstrument(instrument).setExchangeTimeMs(1_700_000_000_000L).setPrice(100)
                .setQty(1).setAggressorSide(Side.BUY).setTradeId(id).build();
    }

    @Test
    void aTradeIsValidWithinTheIdLengthsAndRefusedBeyondThem() {
        assertNull(MarketRecordValidator.check(trade("BINANCE:BTCUSDT", "123456789")));
        assertNull(MarketRecordValidator.check(trade("X".repeat(MarketRecordValidator.MAX_INSTRUMENT_LENGTH),
                "x".repeat(MarketRecordValidator.MAX_TRADE_ID_LENGTH))));
        assertEquals("instrument id is 65 characters long, more than 64",
                MarketRecordValidator.check(trade("X".repeat(65), "1")));
        assertEquals("trade id is 1000000 characters long, more than 128",
                MarketRecordValidator.check(trade("BINANCE:BTCUSDT", "x".repeat(1_000_000))));
    }
}
