package io.riptide.feed.binance;

import java.util.Locale;

/**
 * The two Binance markets the connector speaks to. They differ in stream names, REST paths, the rule that chains
 * one diff-depth event to the next, and request weights.
 */
public enum BinanceMarket {
    /** Spot: diffs every 100 ms, continuity {@code U == previous u + 1}. */
    SPOT("BINANCE", "@depth@100ms", "/api/v3/depth", "wss://stream.binance.com:9443", "https://api.binance.com",
            50, 6_000),
    /** USD-M futures: diffs as they happen, continuity {@code pu == previous u}; liquidations via forceOrder. */
    USDM("BINANCE-USDM", "@depth@0ms", "/fapi/v1/depth", "wss://fstream.binance.com", "https://fapi.binance.com",
            20, 2_400);

    private final String venue;
    private final String depthStreamSuffix;
    private final String depthPath;
    private final String defaultWebSocketBase;
    private final String defaultRestBase;
    private final int snapshotWeight;
    private final int weightLimitPerMinute;

    BinanceMarket(String venue, String depthStreamSuffix, String depthPath, String defaultWebSocketBase,
                  String defaultRestBase, int snapshotWeight, int weightLimitPerMinute) {
        this.venue = venue;
        this.depthStreamSuffix = depthStreamSuffix;
        this.depthPath = depthPath;
        this.defaultWebSocketBase = defaultWebSocketBase;
        this.defaultRestBase = defaultRestBase;
        this.snapshotWeight = snapshotWeight;
        this.weightLimitPerMinute = weightLimitPerMinute;
    }

    /** Instrument id of a symbol on this market, e.g. {@code BINANCE:BTCUSDT} or {@code BINANCE-USDM:BTCUSDT}. */
    public String instrumentId(String symbol) {
        return venue + ":" + symbol.toUpperCase(Locale.ROOT);
    }

    public String depthStreamSuffix() {
        return depthStreamSuffix;
    }

    /** REST path of the depth snapshot. */
    public String depthPath() {
        return depthPath;
    }

    public String defaultWebSocketBase() {
        return defaultWebSocketBase;
    }

    public String defaultRestBase() {
        return defaultRestBase;
    }

    /** Request weight of one depth snapshot with limit=1000. */
    public int snapshotWeight() {
        return snapshotWeight;
    }

    /** Published request-weight budget per minute per IP. */
    public int weightLimitPerMinute() {
        return weightLimitPerMinute;
    }

    public boolean hasLiquidationStream() {
        return this == USDM;
    }

    /** Parses {@code spot} / {@code usdm} (also {@code futures}), case-insensitively. */
    public static BinanceMarket parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "spot" -> SPOT;
            case "usdm", "futures", "usd-m" -> USDM;
            default -> throw new IllegalArgumentException("unknown Binance market '" + text + "' (expected spot or usdm)");
        };
    }
}
