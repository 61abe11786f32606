package io.riptide.topology.internal;

import io.riptide.features.FeatureSets;
import io.riptide.features.MarketSource;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market store's per-commit durability: a task that crashes between commits and is rebuilt from what its last
 * commit made durable (journal chunks, snapshots and carried chunks) goes on to forward exactly what a task that
 * never crashed forwards, bit for bit. Books are read up to 5 market minutes behind the trades and liquidations
 * 20 minutes behind, so the merger holds events across commits and snapshots; commit intervals vary from a few
 * records (the store journals) to thousands (it snapshots).
 */
class MarketStoreRestartTest {
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;

    @TempDir
    Path stateDir;

    @Test
    void aTaskRebuiltFromItsLastCommitForwardsWhatAnUninterruptedTaskForwards() {
        rebuiltTasksForwardWhatAnUninterruptedTaskForwards(MarketStore.MAX_CHUNK_BYTES);
    }

    /** Chunks of ~1 KB: every commit of more than one book spreads over several chunks. */
    @Test
    void chunksClosedAtTheSizeLimitRestoreTheSame() {
        rebuiltTasksForwardWhatAnUninterruptedTaskForwards(1024);
    }

    private void rebuiltTasksForwardWhatAnUninterruptedTaskForwards(int maxChunkBytes) {
        List<Record<String, Object>> input = lagged(market());
        StreamConfig config = StreamConfig.defaults(new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of()),
                "market-store-restart", stateDir);

        Task reference = new Task(config, Map.of(), maxChunkBytes);
        List<Object> expected = new ArrayList<>();
        SplittableRandom intervals = new SplittableRandom(3);
        for (int i = 0; i < input.size(); ) {
            int n = commitInterval(intervals);
            for (int end = Math.min(input.size(), i + n); i < end; i++) {
                reference.process(input.get(i));
            }
            reference.commit();
            expected.addAll(reference.forwardedSinceCommit);
        }

        List<Object> actual = new ArrayList<>();
        intervals = new SplittableRandom(3);
        SplittableRandom crashes = new SplittableRandom(11);
        Task task = new Task(config, Map.of(), maxChunkBytes);
        Map<String, byte[]> committed = Map.of();
        int restarts = 0;
        int journalChunks = 0;
        int carriedChunks = 0;
        int snapshots = 0;
        int committedThrough = 0;
        for (int i = 0; i < input.size(); ) {
            int n = commitInterval(intervals);
            int end = Math.min(input.size(), i + n);
            int crashAt = crashes.nextInt(8) == 0 ? i + crashes.nextInt(n) : -1;
            for (; i < end; i++) {
                if (i == crashAt) {
                    break;
                }
                task.process(input.get(i));
            }
            if (i == crashAt) {
                // the transaction since the last commit aborts: its outputs are lost and its input is read again
                task = new Task(config, committed, maxChunkBytes);
                i = committedThrough;
                restarts++;
                intervals = replayIntervals(i, input.size());
                continue;
            }
            committed = task.commit();
            committedThrough = i;
            actual.addAll(task.forwardedSinceCommit);
            snapshots += (int) committed.keySet().stream().filter(k -> k.startsWith("T|")).count();
            journalChunks += (int) committed.keySet().stream().filter(k -> k.startsWith("J|")).count();
            carriedChunks += (int) committed.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("J|") && e.getValue()[4] == 2).count();
        }

        assertTrue(restarts >= 5, "restarts: " + restarts);
        assertTrue(snapshots > 0 && journalChunks > 0 && carriedChunks > 0,
                "both forms and carried chunks exercised: snapshots " + snapshots + ", chunks " + journalChunks
                        + ", carried " + carriedChunks);
        long bars = expected.stream().filter(o -> ((List<?>) o).get(3) instanceof List<?> l && "closed".equals(l.get(0))).count();
        assertTrue(bars > 150, "bars: " + bars);
        assertEquals(expected.size(), actual.size(), "forwarded records");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "forward " + i + " of " + expected.size());
        }
    }

    /**
     * A processor downstream threw while the market processor was releasing events (the record was dead-lettered
     * half-way), so the merger stopped between two events: the commit files every still-buffered event again, and a
     * restart rebuffers exactly those, not one the merger had released.
     */
    @Test
    void aCommitAfterAnInterruptedReleaseKeepsExactlyTheBufferedEvents() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        CommitHookStore durable = MarketRecords.marketStore(context);
        MarketStore.Replay none = (state, chunk, seq, event) -> {
            throw new AssertionError("no event was journaled after the snapshot");
        };
        MarketStore store = new MarketStore(durable.inner(), FeatureSets.liquidation(), 200);
        MarketState state = store.state("SIM:A", 0, none);
        for (int i = 0; i < 50; i++) {
            byte[] event = BufferedEvent.trade(START + 1000L * i, 100 + i, 1, i % 2 == 0);
            MarketState.Buffered buffered = new MarketState.Buffered(store.chunkFor(state, event.length), event);
            store.offered(state, state.merger.offer(MarketSource.TRADES, START + 1000L * i, buffered), buffered);
        }
        for (MarketSource s : List.of(MarketSource.BOOKS, MarketSource.LIQUIDATIONS)) {
            state.merger.heartbeat(s, START + 60_000);
        }
        List<Long> polled = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // the release stops half-way, before the merger moves its release point
            var entry = state.merger.poll();
            state.released(entry.event().chunk());
            polled.add(entry.seq());
        }

        store.commit();

        MarketState restored = new MarketStore(durable.inner(), FeatureSets.liquidation(), 200)
                .state("SIM:A", 0, none);
        List<Long> buffered = new ArrayList<>();
        restored.merger.forEachBuffered(e -> buffered.add(e.seq()));
        buffered.sort(null);
        assertEquals(30, buffered.size(), "buffered after the restart");
        assertEquals(20L, buffered.get(0), "first buffered seq");
        assertTrue(buffered.stream().noneMatch(polled::contains), "no released event is buffered again");
        long chunks = 0;
        try (KeyValueIterator<String, byte[]> it = durable.inner().prefixScan("J|SIM:A|",
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                it.next();
                chunks++;
            }
        }
        assertTrue(chunks >= 3, "the 30 events are filed in chunks of 200 bytes: " + chunks);
    }

    /** Mostly a handful of records per commit (a live feed), sometimes thousands (a backlog). */
    private static int commitInterval(SplittableRandom random) {
        return random.nextInt(6) == 0 ? 500 + random.nextInt(3000) : 1 + random.nextInt(40);
    }

    /** After a crash the commits fall elsewhere: a fresh sequence of intervals, seeded by where it resumes. */
    private static SplittableRandom replayIntervals(int resumeAt, int size) {
        return new SplittableRandom(resumeAt * 31L + size);
    }

    /** One task: the market processor, its store, and what it forwarded since its last commit. */
    private static final class Task {
        final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        final CommitHookStore store;
        final MarketEventProcessor processor;
        final List<Object> forwardedSinceCommit = new ArrayList<>();

        Task(StreamConfig config, Map<String, byte[]> committed, int maxChunkBytes) {
            store = MarketRecords.marketStore(context);
            committed.forEach(store.inner()::put);
            context.setCurrentSystemTimeMs(START);
            processor = new MarketEventProcessor(config, FeatureSets.liquidation(), maxChunkBytes);
            processor.init(context);
        }

        void process(Record<String, Object> record) {
            processor.process(record);
        }

        /** Runs the commit hook and returns the store as the changelog now holds it. */
        Map<String, byte[]> commit() {
            forwardedSinceCommit.clear();
            for (MockProcessorContext.CapturedForward<?, ?> f : context.forwarded()) {
                Object value = f.record().value();
                if (value instanceof ClosedBar b) {
                    List<Double> features = Arrays.stream(b.features()).boxed().toList();
                    value = List.of("closed", b.instrument(), b.endMs(), String.valueOf(b.regime()), features);
                } else if (value instanceof Messages.PatternBar p) {
                    value = List.of("pattern-bar", p.endMs(), p.open(), p.high(), p.low(), p.close(), p.atr(),
                            p.regime(), p.fired(), Arrays.stream(p.features()).boxed().toList());
                }
                forwardedSinceCommit.add(List.of(f.childName().orElse(""), f.record().key(),
                        f.record().timestamp(), value));
            }
            context.resetForwards();
            store.flushCache();
            Map<String, byte[]> copy = new TreeMap<>();
            try (KeyValueIterator<String, byte[]> it = store.inner().all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    copy.put(kv.key, kv.value.clone());
                }
            }
            return copy;
        }
    }

    private static List<Record<String, Object>> market() {
        return MarketRecords.simulate(SimulatorConfig.defaults(42, START)
                .withInstruments(List.of("SIM:BTCUSDT", "SIM:ETHUSDT")), START + 100 * MINUTE,
                java.util.EnumSet.allOf(MarketSource.class));
    }

    private static MarketSource sourceOf(Record<String, Object> r) {
        Object v = r.value();
        return v instanceof Messages.Heartbeat h ? h.source() : v instanceof Trade ? MarketSource.TRADES
                : v instanceof BookSnapshot ? MarketSource.BOOKS : MarketSource.LIQUIDATIONS;
    }

    /** Each source keeps its own order, but books are read 0-5 minutes behind the trades, liquidations 20. */
    private static List<Record<String, Object>> lagged(List<Record<String, Object>> records) {
        List<Record<String, Object>> trades = new ArrayList<>();
        List<Record<String, Object>> books = new ArrayList<>();
        List<Record<String, Object>> liquidations = new ArrayList<>();
        for (Record<String, Object> r : records) {
            switch (sourceOf(r)) {
                case TRADES -> trades.add(r);
                case BOOKS -> books.add(r);
                default -> liquidations.add(r);
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        List<Record<String, Object>> out = new ArrayList<>();
        int b = 0;
        int l = 0;
        long bookLag = 0;
        for (Record<String, Object> t : trades) {
            out.add(t);
            if (random.nextInt(50) == 0) {
                bookLag = random.nextLong(5 * MINUTE);
            }
            while (b < books.size() && books.get(b).timestamp() <= t.timestamp() - bookLag) {
                out.add(books.get(b++));
            }
            while (l < liquidations.size() && liquidations.get(l).timestamp() <= t.timestamp() - 20 * MINUTE) {
                out.add(liquidations.get(l++));
            }
        }
        out.addAll(books.subList(b, books.size()));
        out.addAll(liquidations.subList(l, liquidations.size()));
        assertEquals(records.size(), out.size());
        return out;
    }
}
