package io.riptide.feed.binance.internal;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One symbol's order book: synchronisation with the diff stream, BookSnapshot emission at an event-time cadence,
 * the optional per-update dump, and a running check of the rebuilt top of book against Binance's own bookTicker
 * wherever both refer to the same update id.
 */
public final class SymbolFeed {

    /** How many update ids back a bookTicker can still be matched with the rebuilt book. */
    private static final int MATCH_WINDOW = 8_192;

    private final String symbol;
    private final String instrument;
    private final int depth;
    private final long bookIntervalMs;
    private final MarketEventSink sink;
    private final BookRowListener dump;
    private final BookSynchronizer sync = new BookSynchronizer();
    private final Map<Long, String[]> topsByUpdateId = boundedMap();
    private final Map<Long, BookTicker> tickersAwaitingBook = boundedMap();
    private long nextEmitMs = Long.MIN_VALUE;
    private long booksEmitted;
    private long crossedBooks;
    private long tickerMatches;
    private long tickerMismatches;
    private String firstMismatch;

    public SymbolFeed(String symbol, String instrument, int depth, long bookIntervalMs, MarketEventSink sink,
                      BookRowListener dump) {
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("book depth must be in 1..20, was " + depth);
        }
        if (bookIntervalMs < 0) {
            throw new IllegalArgumentException("book interval must be >= 0 ms, was " + bookIntervalMs);
        }
        this.symbol = symbol;
        this.instrument = instrument;
        this.depth = depth;
        this.bookIntervalMs = bookIntervalMs;
        this.sink = sink;
        this.dump = dump;
    }

    public BookSynchronizer.Outcome onDepth(DepthUpdate d) {
        return sync.onDepth(d, this::applied);
    }

    /** False when the snapshot is too old for the buffered diffs (a newer one is needed). */
    public boolean onSnapshot(DepthSnapshot snapshot) {
        return sync.onSnapshot(snapshot, this::applied);
    }

    /** Forgets the book; diffs buffer until the next snapshot. */
    public void reset() {
        sync.reset();
    }

    public void onTicker(BookTicker ticker) {
        String[] top = topsByUpdateId.get(ticker.updateId());
        if (top != null) {
            compare(ticker, top);
        } else {
            tickersAwaitingBook.put(ticker.updateId(), ticker);
        }
    }

    private void applied(DepthUpdate d) {
        LocalOrderBook book = sync.book();
        if (book.isCrossed()) {
            crossedBooks++;
        }
        LocalOrderBook.Level bid = book.bestBid();
        LocalOrderBook.Level ask = book.bestAsk();
        if (bid != null && ask != null) {
            String[] top = {bid.priceText(), bid.qtyText(), ask.priceText(), ask.qtyText()};
            topsByUpdateId.put(d.finalUpdateId(), top);
            BookTicker waiting = tickersAwaitingBook.remove(d.finalUpdateId());
            if (waiting != null) {
                compare(waiting, top);
            }
        }
        if (dump != null) {
            dump.onBook(symbol, d.eventTimeMs(), d.finalUpdateId(), book.topBids(20), book.topAsks(20));
        }
        if (bookIntervalMs == 0 || d.eventTimeMs() >= nextEmitMs) {
            sink.onBook(new BookSnapshot(instrument, d.eventTimeMs(), d.finalUpdateId(), book.topBidLevels(depth),
                    book.topAskLevels(depth)));
            booksEmitted++;
            if (bookIntervalMs > 0) {
                nextEmitMs = (Math.floorDiv(d.eventTimeMs(), bookIntervalMs) + 1) * bookIntervalMs;
            }
        }
    }

    private void compare(BookTicker t, String[] top) {
        boolean same = sameNumber(t.bidPrice(), top[0]) && sameNumber(t.bidQty(), top[1])
                && sameNumber(t.askPrice(), top[2]) && sameNumber(t.askQty(), top[3]);
        if (same) {
            tickerMatches++;
        } else {
            tickerMismatches++;
            if (firstMismatch == null) {
                firstMismatch = "update " + t.updateId() + ": bookTicker " + t.bidPrice() + "x" + t.bidQty() + " / "
                        + t.askPrice() + "x" + t.askQty() + ", rebuilt " + top[0] + "x" + top[1] + " / " + top[2]
                        + "x" + top[3];
            }
        }
    }

    private static boolean sameNumber(String a, String b) {
        return Double.parseDouble(a) == Double.parseDouble(b);
    }

    private static <V> Map<Long, V> boundedMap() {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > MATCH_WINDOW;
            }
        };
    }

    public String symbol() {
        return symbol;
    }

    public String instrument() {
        return instrument;
    }

    public BookSynchronizer synchronizer() {
        return sync;
    }

    public boolean needsSnapshot() {
        return sync.needsSnapshot();
    }

    public long booksEmitted() {
        return booksEmitted;
    }

    public long crossedBooks() {
        return crossedBooks;
    }

    public long tickerMatches() {
        return tickerMatches;
    }

    public long tickerMismatches() {
        return tickerMismatches;
    }

    /** The first disagreement with bookTicker, or null. */
    public String firstMismatch() {
        return firstMismatch;
    }

    /** One-line health summary for progress output. */
    public String summary() {
        return String.format("%s: %d diffs applied, %d stale, %d gaps, %d snapshots, %d books emitted, %d crossed, "
                        + "bookTicker %d matched / %d mismatched", instrument, sync.applied(), sync.stale(), sync.gaps(),
                sync.snapshots(), booksEmitted, crossedBooks, tickerMatches, tickerMismatches);
    }
}
