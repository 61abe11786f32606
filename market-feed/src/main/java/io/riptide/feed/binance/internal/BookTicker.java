package io.riptide.feed.binance.internal;

/** Best bid and ask as Binance reports them after the book update {@code updateId}. */
public record BookTicker(String symbol, long updateId, String bidPrice, String bidQty, String askPrice,
                         String askQty) {
}
