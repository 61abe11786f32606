package io.riptide.app.backtest;

import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.topics.TopicNamespace;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes a simulated market, with the feed's heartbeats, to the market topics of several namespaces at once, paced
 * over a wall-clock time, on its own thread; and remembers which minutes of each instrument had trades, so that a
 * bench can check that every such minute got its bar.
 */
final class PacedMarketFeed {
    private static final long MINUTE_MS = 60_000;

    /** What the caller checks while it waits for the feed (its processes are alive); throws to stop waiting. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private final KafkaClientFactory clients;
    private final List<TopicNamespace> targets;
    private final long seed;
    private final int instruments;
    private final int marketHours;
    private final int feedSeconds;
    private final Thread thread;
    private final Map<String, Set<Long>> tradeMinutes = new HashMap<>();
    private volatile Throwable failure;
    private volatile long events;

    PacedMarketFeed(KafkaClientFactory clients, List<TopicNamespace> targets, long seed, int instruments,
                    int marketHours, int feedSeconds) {
        this.clients = clients;
        this.targets = List.copyOf(targets);
        this.seed = seed;
        this.instruments = instruments;
        this.marketHours = marketHours;
        this.feedSeconds = feedSeconds;
        this.thread = new Thread(this::feed, "paced-market-feed");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void requireHealthy() {
        if (failure != null) {
            throw new IllegalStateException("the market feed failed: " + failure, failure);
        }
    }

    /** Waits for the feed to end, running {@code check} every 100 ms; throws if the feed failed. */
    void await(Check check) throws Exception {
        while (thread.isAlive()) {
            check.run();
            thread.join(100);
        }
        requireHealthy();
    }

    /** Market events written to each namespace so far. */
    long events() {
        return events;
    }

    /** Per instrument, the open times of the minutes that had trades (read it once the feed has ended). */
    Map<String, Set<Long>> tradeMinutes() {
        return tradeMinutes;
    }

    private void feed() {
        try {
            feedMarket();
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void feedMarket() throws Exception {
        BacktestSource source = BacktestSource.of(BacktestOptions.simulatedMarket(seed, instruments, 1, true));
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("paced-market-feed", null)) {
            List<KafkaMarketEventSink> sinks = targets.stream()
                    .map(t -> new KafkaMarketEventSink(producer, t)).toList();
            List<MarketEventSink> all = new ArrayList<>(sinks);
            all.add(new TradeMinutes());
            FanOutSink counter = new FanOutSink(all);
            Heartbeats feed = Heartbeats.exact(counter, source.inputs());
            long minutes = marketHours * 60L;
            long wallStart = System.nanoTime();
            for (long i = 1; i <= minutes; i++) {
                source.deliverBefore(source.startMs() + i * MINUTE_MS, feed);
                long due = wallStart + TimeUnit.SECONDS.toNanos(feedSeconds) * i / minutes;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                events = counter.events();
            }
            feed.finish(source.startMs() + minutes * MINUTE_MS);
            for (KafkaMarketEventSink sink : sinks) {
                sink.flush();
            }
            events = counter.events();
        }
    }

    /** Minute by minute, when the input has trades: every such minute must have its bar. */
    private final class TradeMinutes implements MarketEventSink {
        @Override
        public void onTrade(Trade trade) {
            tradeMinutes.computeIfAbsent(trade.getInstrument(), k -> new HashSet<>())
                    .add(Math.floorDiv(trade.getExchangeTimeMs(), MINUTE_MS) * MINUTE_MS);
        }

        @Override
        public void onBook(BookSnapshot book) {
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
        }
    }
}
