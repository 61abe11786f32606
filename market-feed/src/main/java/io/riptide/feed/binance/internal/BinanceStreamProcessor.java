package io.riptide.feed.binance.internal;

import io.riptide.feed.MarketEventSink;
import io.riptide.feed.binance.BinanceMarket;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routes parsed Binance messages: depth and bookTicker to the symbol's {@link SymbolFeed}, trades and forced orders
 * straight to the sink as Avro records. Shared by the live connector and capture replay, so both rebuild books the
 * same way.
 */
public final class BinanceStreamProcessor {

    private final BinanceMarket market;
    private final MarketEventSink sink;
    private final int depth;
    private final long bookIntervalMs;
    private final BookRowListener dump;
    private final Map<String, SymbolFeed> feeds = new LinkedHashMap<>();
    private long trades;
    private long liquidations;
    private long ignored;

    public BinanceStreamProcessor(BinanceMarket market, MarketEventSink sink, int depth, long bookIntervalMs,
                                  BookRowListener dump) {
        this.market = market;
        this.sink = sink;
        this.depth = depth;
        this.bookIntervalMs = bookIntervalMs;
        this.dump = dump;
    }

    public void onMessage(BinanceMessage message) {
        if (message instanceof BinanceMessage.Depth d) {
            feed(d.update().symbol()).onDepth(d.update());
        } else if (message instanceof BinanceMessage.Ticker t) {
            feed(t.ticker().symbol()).onTicker(t.ticker());
        } else if (message instanceof BinanceMessage.TradeEvent t) {
            sink.onTrade(new Trade(market.instrumentId(t.symbol()), t.tradeTimeMs(), Double.parseDouble(t.price()),
                    Double.parseDouble(t.qty()), t.buyerIsMaker() ? Side.SELL : Side.BUY, Long.toString(t.tradeId())));
            trades++;
        } else if (message instanceof BinanceMessage.ForceOrder f) {
            PositionSide side = switch (f.side()) {
                case "SELL" -> PositionSide.LONG;
                case "BUY" -> PositionSide.SHORT;
                default -> PositionSide.UNKNOWN;
            };
            sink.onLiquidation(new Liquidation(market.instrumentId(f.symbol()), f.tradeTimeMs(), side, f.price(),
                    f.qty(), f.price() * f.qty()));
            liquidations++;
        } else if (message instanceof BinanceMessage.Snapshot) {
            throw new IllegalArgumentException("a depth snapshot needs its symbol: use onSnapshot(symbol, snapshot)");
        } else {
            ignored++;
        }
    }

    /** False when the snapshot is too old to bridge to the buffered diffs. */
    public boolean onSnapshot(String symbol, DepthSnapshot snapshot) {
        return feed(symbol).onSnapshot(snapshot);
    }

    public SymbolFeed feed(String symbol) {
        String key = symbol.toUpperCase(Locale.ROOT);
        return feeds.computeIfAbsent(key, s -> new SymbolFeed(s, market.instrumentId(s), depth, bookIntervalMs, sink,
                dump));
    }

    /** Symbols whose book waits for a snapshot. */
    public List<String> symbolsNeedingSnapshot() {
        List<String> out = new ArrayList<>();
        for (SymbolFeed f : feeds.values()) {
            if (f.needsSnapshot() && f.synchronizer().buffered() > 0) {
                out.add(f.symbol());
            }
        }
        return out;
    }

    /** Forgets every book, e.g. after a reconnect, when diffs may have been missed. */
    public void resetBooks() {
        feeds.values().forEach(SymbolFeed::reset);
    }

    public List<SymbolFeed> feeds() {
        return List.copyOf(feeds.values());
    }

    public BinanceMarket market() {
        return market;
    }

    public long trades() {
        return trades;
    }

    public long liquidations() {
        return liquidations;
    }

    public long ignored() {
        return ignored;
    }
}
