package io.riptide.feed.binance.internal;

import java.util.List;

/** Receives every rebuilt book, one call per applied depth message (for {@code --dump-books}). */
public interface BookRowListener {
    void onBook(String symbol, long eventTimeMs, long lastUpdateId, List<LocalOrderBook.Level> bids,
                List<LocalOrderBook.Level> asks);
}
