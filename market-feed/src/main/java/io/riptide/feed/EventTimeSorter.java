package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Merges sources that each deliver in event-time order, but one after the other (a kline file, then a liquidation
 * file), into one delivery in event-time order, as the stream's watermarks expect of a feed. Holds everything in
 * memory: meant for recorded files (weeks of klines, thousands of liquidations), not for captures of every trade.
 * Ties: books, liquidations, trades, then klines (a kline stands at the last millisecond of its minute), then the
 * order they were collected in.
 */
public final class EventTimeSorter implements MarketEventSink {
    private record Timed(long timeMs, int rank, long seq, Consumer<MarketEventSink> deliver) {
    }

    private static final Comparator<Timed> ORDER = Comparator.comparingLong(Timed::timeMs)
            .thenComparingInt(Timed::rank).thenComparingLong(Timed::seq);

    private final List<Timed> events = new ArrayList<>();
    private long seq;
    private boolean sorted = true;
    private int next;

    @Override
    public void onTrade(Trade trade) {
        add(trade.getExchangeTimeMs(), 2, s -> s.onTrade(trade));
    }

    @Override
    public void onBook(BookSnapshot book) {
        add(book.getExchangeTimeMs(), 0, s -> s.onBook(book));
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        add(liquidation.getExchangeTimeMs(), 1, s -> s.onLiquidation(liquidation));
    }

    @Override
    public void onKline(Bar kline) {
        add(kline.getCloseTimeMs() - 1, 3, s -> s.onKline(kline));
    }

    private void add(long timeMs, int rank, Consumer<MarketEventSink> deliver) {
        events.add(new Timed(timeMs, rank, seq++, deliver));
        sorted = false;
    }

    /** Records collected and not delivered yet. */
    public int size() {
        return events.size() - next;
    }

    /** Event time of the first and last record collected (Long.MAX_VALUE / MIN_VALUE when empty). */
    public long firstTimeMs() {
        return events.subList(next, events.size()).stream().mapToLong(Timed::timeMs).min().orElse(Long.MAX_VALUE);
    }

    public long lastTimeMs() {
        return events.subList(next, events.size()).stream().mapToLong(Timed::timeMs).max().orElse(Long.MIN_VALUE);
    }

    /** Delivers everything collected, in event-time order. */
    public void drainTo(MarketEventSink sink) {
        drainBefore(Long.MAX_VALUE, sink);
    }

    /** Delivers everything collected, in event-time order, calling {@code pace} with each event time first. */
    public void drainTo(MarketEventSink sink, java.util.function.LongConsumer pace) {
        sortIfNeeded();
        while (next < events.size()) {
            Timed t = events.get(next++);
            pace.accept(t.timeMs());
            t.deliver().accept(sink);
        }
    }

    /** Delivers, in event-time order, everything collected that stands before {@code timeMs}; keeps the rest. */
    public void drainBefore(long timeMs, MarketEventSink sink) {
        sortIfNeeded();
        while (next < events.size() && events.get(next).timeMs() < timeMs) {
            events.get(next++).deliver().accept(sink);
        }
    }

    private void sortIfNeeded() {
        if (!sorted) {
            List<Timed> rest = new ArrayList<>(events.subList(next, events.size()));
            rest.sort(ORDER);
            events.clear();
            events.addAll(rest);
            next = 0;
            sorted = true;
        }
    }
}
