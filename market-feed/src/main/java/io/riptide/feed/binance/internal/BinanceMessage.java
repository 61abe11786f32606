package io.riptide.feed.binance.internal;

/** One parsed message of Binance's combined stream (or a REST snapshot line of a capture). */
public sealed interface BinanceMessage {

    record Depth(DepthUpdate update) implements BinanceMessage {
    }

    record Ticker(BookTicker ticker) implements BinanceMessage {
    }

    /** A raw trade; {@code buyerIsMaker} means the seller was the aggressor. */
    record TradeEvent(String symbol, long tradeId, String price, String qty, long tradeTimeMs, boolean buyerIsMaker)
            implements BinanceMessage {
    }

    /** A futures liquidation order; {@code side} SELL means a long position was liquidated. */
    record ForceOrder(String symbol, String side, double price, double qty, long tradeTimeMs)
            implements BinanceMessage {
    }

    record Snapshot(DepthSnapshot snapshot) implements BinanceMessage {
    }

    /** Anything else on the wire (subscription acks, streams we did not ask for): counted, not an error. */
    record Ignored(String what) implements BinanceMessage {
    }
}
