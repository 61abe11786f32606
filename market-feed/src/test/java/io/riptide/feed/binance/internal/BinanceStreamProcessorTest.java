package io.riptide.feed.binance.internal;

import io.riptide.feed.CollectingSink;
import io.riptide.feed.binance.BinanceMarket;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinanceStreamProcessorTest {
    private final BinanceMessageParser parser = new BinanceMessageParser();

    /** The example payload of Binance's USD-M "Liquidation Order Streams" documentation. */
    private static final String FORCE_ORDER = "{\"stream\":\"btcusdt@forceOrder\",\"data\":{\"e\":\"forceOrder\","
            + "\"E\":1568014460893,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"0.014\","
            + "\"p\":\"9910\",\"ap\":\"9910\",\"X\":\"FILLED\",\"l\":\"0.014\",\"z\":\"0.014\",\"T\":1568014460893}}}";

    @Test
    void forceOrdersBecomeLiquidationsOfTheOppositePositionSide() {
        CollectingSink sink = new CollectingSink();
        BinanceStreamProcessor processor = new BinanceStreamProcessor(BinanceMarket.USDM, sink, 20, 1_000, null);
        processor.onMessage(parser.parse(FORCE_ORDER));
        processor.onMessage(parser.parse(FORCE_ORDER.replace("\"S\":\"SELL\"", "\"S\":\"BUY\"")));

        Liquidation sell = sink.liquidations.get(0);
        assertEquals("BINANCE-USDM:BTCUSDT", sell.getInstrument().toString());
        assertEquals(1568014460893L, sell.getExchangeTimeMs());
        assertEquals(PositionSide.LONG, sell.getPositionSide(), "a forced SELL closes a long");
        assertEquals(9910, sell.getPrice());
        assertEquals(0.014, sell.getQty());
        assertEquals(9910 * 0.014, sell.getNotional(), 1e-9);
        assertEquals(PositionSide.SHORT, sink.liquidations.get(1).getPositionSide());
        assertEquals(2, processor.liquidations());
    }

    @Test
    void malformedMessagesRaiseOneLineReasons() {
        String notJson = assertThrows(IllegalArgumentException.class, () -> parser.parse("{\"stream\":")).getMessage();
        assertTrue(notJson.startsWith("not JSON: ") && !notJson.contains("\n"), notJson);
        assertEquals("missing or non-integer field 'u'", assertThrows(IllegalArgumentException.class, () -> parser.parse(
                "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"s\":\"BTCUSDT\"}}")).getMessage());
        assertEquals("bad number 'abc' in 'b'", assertThrows(IllegalArgumentException.class, () -> parser.parse(
                "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\","
                        + "\"U\":1,\"u\":2,\"b\":[[\"abc\",\"1\"]],\"a\":[]}}")).getMessage());
        assertEquals("depth update with u=1 < U=2", assertThrows(IllegalArgumentException.class, () -> parser.parse(
                "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\","
                        + "\"U\":2,\"u\":1,\"b\":[],\"a\":[]}}")).getMessage());
        assertInstanceOf(BinanceMessage.Ignored.class, parser.parse("{\"result\":null,\"id\":1}"));
    }
}
