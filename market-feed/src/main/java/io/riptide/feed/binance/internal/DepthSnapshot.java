package io.riptide.feed.binance.internal;

import java.util.List;

/** The REST depth snapshot: the book as of {@code lastUpdateId}. */
public record DepthSnapshot(long lastUpdateId, List<String[]> bids, List<String[]> asks) {
}
