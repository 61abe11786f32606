package io.riptide.app.backtest;

import io.riptide.features.InstrumentTimeline;
import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A live feed's last hop, for latency measurements: sends market events at a fixed wall-clock rate, and notes when
 * the record that closes each bar was sent. The stream closes an instrument's bar ending at {@code E} once every
 * input of the instrument has passed {@code E} (an event or a heartbeat at or after it; see
 * {@link io.riptide.features.EventTimeMerger}), so that record is the one that raises the lowest of the
 * instrument's input stamps to {@code E} or beyond. Its send time is taken just before it is handed to the producer.
 * Only bars that exist are noted: a minute without a trade makes no bar ({@link InstrumentTimeline}). Heartbeats
 * pass unpaced: the rate counts market events, as a market's rate does.
 */
final class PacedCloseClock implements MarketEventSink {
    private final MarketEventSink downstream;
    private final List<Topic<?>> inputs;
    private final int trades;
    private final int books;
    private final int liquidations;
    private final Map<String, long[]> stamps = new HashMap<>();
    private final Map<String, Long> lowest = new HashMap<>();
    /** {@code instrument@barEndMs} of the bars that had a trade and have not closed yet. */
    private final java.util.Set<String> open = new java.util.HashSet<>();
    /** {@code instrument@barEndMs} to the send time (System.nanoTime) of the record that closed it. */
    private volatile Map<String, Long> closes = new ConcurrentHashMap<>();
    private double nanosPerEvent;
    private long windowStartNanos;
    private long windowEvents;

    PacedCloseClock(MarketEventSink downstream, List<Topic<?>> inputs) {
        this.downstream = downstream;
        this.inputs = List.copyOf(inputs);
        this.trades = indexOf(Topics.TRADES);
        this.books = indexOf(Topics.BOOKS);
        this.liquidations = indexOf(Topics.LIQUIDATIONS);
    }

    private int indexOf(Topic<?> input) {
        int i = inputs.indexOf(input);
        if (i < 0) {
            throw new IllegalArgumentException("the latency phase needs trades, books and liquidations, got " + inputs);
        }
        return i;
    }

    /** Starts a window: events from now on are paced at {@code eventsPerSecond}, and closes are noted afresh. */
    void startWindow(int eventsPerSecond) {
        nanosPerEvent = 1e9 / eventsPerSecond;
        windowStartNanos = System.nanoTime();
        windowEvents = 0;
        closes = new ConcurrentHashMap<>();
    }

    /** Market events sent since the window started. */
    long windowEvents() {
        return windowEvents;
    }

    long windowStartNanos() {
        return windowStartNanos;
    }

    /** The bars closed in this window: {@code instrument@barEndMs} to the send time of their closing record. */
    Map<String, Long> closes() {
        return closes;
    }

    static String barKey(String instrument, long barEndMs) {
        return instrument + "@" + barEndMs;
    }

    @Override
    public void onTrade(Trade trade) {
        pace();
        long sent = System.nanoTime();
        downstream.onTrade(trade);
        long bar = InstrumentTimeline.BAR_MILLIS;
        open.add(barKey(trade.getInstrument(), Math.floorDiv(trade.getExchangeTimeMs(), bar) * bar + bar));
        stamp(trade.getInstrument(), trades, trade.getExchangeTimeMs(), sent);
    }

    @Override
    public void onBook(BookSnapshot book) {
        pace();
        long sent = System.nanoTime();
        downstream.onBook(book);
        stamp(book.getInstrument(), books, book.getExchangeTimeMs(), sent);
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        pace();
        long sent = System.nanoTime();
        downstream.onLiquidation(liquidation);
        stamp(liquidation.getInstrument(), liquidations, liquidation.getExchangeTimeMs(), sent);
    }

    @Override
    public void onKline(Bar kline) {
        throw new UnsupportedOperationException("the latency phase runs on trades, books and liquidations");
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        long sent = System.nanoTime();
        downstream.onHeartbeat(instrument, input, timeMs);
        int i = inputs.indexOf(input);
        if (i >= 0) {
            stamp(instrument, i, timeMs, sent);
        }
    }

    private void pace() {
        windowEvents++;
        long due = windowStartNanos + (long) (windowEvents * nanosPerEvent);
        long ahead = due - System.nanoTime();
        if (ahead > 1_000_000) {
            LockSupport.parkNanos(ahead);
        }
    }

    private void stamp(String instrument, int input, long timeMs, long sentNanos) {
        long[] s = stamps.computeIfAbsent(instrument, k -> {
            long[] fresh = new long[inputs.size()];
            Arrays.fill(fresh, Long.MIN_VALUE);
            return fresh;
        });
        s[input] = Math.max(s[input], timeMs);
        long low = Long.MAX_VALUE;
        for (long v : s) {
            low = Math.min(low, v);
        }
        if (low == Long.MIN_VALUE) {
            return;
        }
        Long before = lowest.put(instrument, low);
        if (before == null || low <= before) {
            return;
        }
        long bar = InstrumentTimeline.BAR_MILLIS;
        for (long end = Math.floorDiv(before, bar) * bar + bar; end <= low; end += bar) {
            String key = barKey(instrument, end);
            if (open.remove(key)) {
                closes.put(key, sentNanos);
            }
        }
    }
}
