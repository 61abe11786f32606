package io.riptide.feed.binance;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of one {@link BinanceConnector}, validated at construction with messages naming the bad value.
 *
 * @param market                 spot or USD-M futures
 * @param symbols                e.g. BTCUSDT (case-insensitive)
 * @param webSocketBase          e.g. wss://stream.binance.com:9443 (the connector appends /stream?streams=...)
 * @param restBase               e.g. https://api.binance.com
 * @param bookDepth              levels per side in emitted BookSnapshots (1..20)
 * @param bookIntervalMs         event-time cadence of BookSnapshots per symbol (0: every applied diff)
 * @param maxConnectionAge       reconnect proactively after this long (Binance cuts connections at 24 h)
 * @param maxSilence             reconnect when nothing (no message, no ping) has arrived for this long: a connection
 *                               the network dropped without a close or a reset looks open forever otherwise
 * @param initialBackoff         first reconnect delay; doubles per consecutive failure
 * @param maxBackoff             cap of the reconnect delay
 * @param maxConsecutiveFailures give up (run() throws) after this many failed connects in a row; 0 = never
 */
public record BinanceConnectorConfig(
        BinanceMarket market,
        List<String> symbols,
        URI webSocketBase,
        URI restBase,
        int bookDepth,
        long bookIntervalMs,
        Duration maxConnectionAge,
        Duration maxSilence,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxConsecutiveFailures) {

    public BinanceConnectorConfig {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(symbols, "symbols");
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("at least one symbol is needed");
        }
        symbols = symbols.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
        for (String s : symbols) {
            if (!s.matches("[A-Z0-9]{2,30}")) {
                throw new IllegalArgumentException("bad symbol '" + s + "' (expected letters and digits, e.g. BTCUSDT)");
            }
        }
        checkBase(webSocketBase, "webSocketBase", "ws", "wss");
        checkBase(restBase, "restBase", "http", "https");
        if (bookDepth < 1 || bookDepth > 20) {
            throw new IllegalArgumentException("bookDepth must be in 1..20, was " + bookDepth);
        }
        if (bookIntervalMs < 0) {
            throw new IllegalArgumentException("bookIntervalMs must be >= 0, was " + bookIntervalMs);
        }
        if (maxConnectionAge.isNegative() || maxConnectionAge.isZero() || maxConnectionAge.compareTo(Duration.ofHours(24)) >= 0) {
            throw new IllegalArgumentException("maxConnectionAge must be positive and under 24 h, was " + maxConnectionAge);
        }
        if (maxSilence.isNegative() || maxSilence.isZero()) {
            throw new IllegalArgumentException("maxSilence must be positive, was " + maxSilence);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, was " + initialBackoff + " / " + maxBackoff);
        }
        if (maxConsecutiveFailures < 0) {
            throw new IllegalArgumentException("maxConsecutiveFailures must be >= 0, was " + maxConsecutiveFailures);
        }
    }

    /**
     * Binance's public endpoints, top-20 books every second, reconnect at 23 h or after 5 minutes without a message
     * or a ping (Binance pings every 20 s on spot and every 3 minutes on USD-M), backoff 1 s to 60 s, never give up.
     */
    public static BinanceConnectorConfig defaults(BinanceMarket market, List<String> symbols) {
        return new BinanceConnectorConfig(market, symbols, URI.create(market.defaultWebSocketBase()),
                URI.create(market.defaultRestBase()), 20, 1_000, Duration.ofHours(23), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(60), 0);
    }

    public BinanceConnectorConfig withEndpoints(URI webSocket, URI rest) {
        return new BinanceConnectorConfig(market, symbols, webSocket, rest, bookDepth, bookIntervalMs,
                maxConnectionAge, maxSilence, initialBackoff, maxBackoff, maxConsecutiveFailures);
    }

    public BinanceConnectorConfig withBook(int depth, long intervalMs) {
        return new BinanceConnectorConfig(market, symbols, webSocketBase, restBase, depth, intervalMs,
                maxConnectionAge, maxSilence, initialBackoff, maxBackoff, maxConsecutiveFailures);
    }

    public BinanceConnectorConfig withMaxConnectionAge(Duration age) {
        return new BinanceConnectorConfig(market, symbols, webSocketBase, restBase, bookDepth, bookIntervalMs,
                age, maxSilence, initialBackoff, maxBackoff, maxConsecutiveFailures);
    }

    public BinanceConnectorConfig withBackoff(Duration initial, Duration max, int maxFailures) {
        return new BinanceConnectorConfig(market, symbols, webSocketBase, restBase, bookDepth, bookIntervalMs,
                maxConnectionAge, maxSilence, initial, max, maxFailures);
    }

    public BinanceConnectorConfig withMaxSilence(Duration silence) {
        return new BinanceConnectorConfig(market, symbols, webSocketBase, restBase, bookDepth, bookIntervalMs,
                maxConnectionAge, silence, initialBackoff, maxBackoff, maxConsecutiveFailures);
    }

    /** The combined-stream URL for all symbols. */
    public URI streamUri() {
        StringBuilder streams = new StringBuilder();
        for (String s : symbols) {
            String lower = s.toLowerCase(Locale.ROOT);
            append(streams, lower + market.depthStreamSuffix());
            append(streams, lower + "@trade");
            append(streams, lower + "@bookTicker");
            if (market.hasLiquidationStream()) {
                append(streams, lower + "@forceOrder");
            }
        }
        String base = webSocketBase.toString().replaceAll("/+$", "");
        return URI.create(base + "/stream?streams=" + streams);
    }

    /** The REST depth snapshot URL of one symbol. */
    public URI snapshotUri(String symbol) {
        String base = restBase.toString().replaceAll("/+$", "");
        return URI.create(base + market.depthPath() + "?symbol=" + symbol.toUpperCase(Locale.ROOT) + "&limit=1000");
    }

    private static void append(StringBuilder sb, String stream) {
        if (sb.length() > 0) {
            sb.append('/');
        }
        sb.append(stream);
    }

    private static void checkBase(URI uri, String name, String... schemes) {
        Objects.requireNonNull(uri, name);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of(schemes).contains(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be a " + String.join("/", schemes) + " URL, was '" + uri + "'");
        }
    }
}
