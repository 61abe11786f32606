package io.riptide.feed.binance.internal;

import java.util.List;

/**
 * A diff-depth event. {@code previousFinalUpdateId} ({@code pu}) is -1 on spot, which chains events by
 * {@code U == previous u + 1} instead.
 */
public record DepthUpdate(String symbol, long eventTimeMs, long firstUpdateId, long finalUpdateId,
                          long previousFinalUpdateId, List<String[]> bids, List<String[]> asks) {

    public boolean futuresStyle() {
        return previousFinalUpdateId >= 0;
    }
}
