package io.riptide.app.feed;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;

/** Counts records per type and passes them on (to Kafka, or nowhere in a dry run). */
final class CountingSink implements MarketEventSink {
    private final MarketEventSink next;
    private java.util.function.Consumer<String> progress;
    private long progressEveryNanos;
    private long nextProgressNanos = Long.MAX_VALUE;
    private long trades;
    private long books;
    private long liquidations;
    private long bars;
    private long lastEventTimeMs = Long.MIN_VALUE;

    CountingSink(MarketEventSink next) {
        this.next = next;
    }

    /** Reports counts and the current event time through {@code progress} at most once per period. */
    CountingSink reportingEvery(java.time.Duration period, java.util.function.Consumer<String> progress) {
        this.progress = progress;
        this.progressEveryNanos = period.toNanos();
        this.nextProgressNanos = System.nanoTime() + progressEveryNanos;
        return this;
    }

    private void tick() {
        if (progress != null && System.nanoTime() >= nextProgressNanos) {
            progress.accept(counts() + ", event time " + java.time.Instant.ofEpochMilli(lastEventTimeMs));
            nextProgressNanos = System.nanoTime() + progressEveryNanos;
        }
    }

    @Override
    public void onTrade(Trade trade) {
        trades++;
        lastEventTimeMs = trade.getExchangeTimeMs();
        if (next != null) {
            next.onTrade(trade);
        }
        tick();
    }

    @Override
    public void onBook(BookSnapshot book) {
        books++;
        lastEventTimeMs = book.getExchangeTimeMs();
        if (next != null) {
            next.onBook(book);
        }
        tick();
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        liquidations++;
        lastEventTimeMs = liquidation.getExchangeTimeMs();
        if (next != null) {
            next.onLiquidation(liquidation);
        }
        tick();
    }

    @Override
    public void onKline(Bar bar) {
        bars++;
        lastEventTimeMs = bar.getCloseTimeMs();
        if (next != null) {
            next.onKline(bar);
        }
        tick();
    }

    @Override
    public void onHeartbeat(String instrument, io.riptide.schemas.topics.Topic<?> input, long timeMs) {
        if (next != null) {
            next.onHeartbeat(instrument, input, timeMs);
        }
    }

    long total() {
        return trades + books + liquidations + bars;
    }

    long lastEventTimeMs() {
        return lastEventTimeMs;
    }

    String counts() {
        return trades + " trades, " + books + " books, " + liquidations + " liquidations, " + bars + " bars";
    }
}
