package io.riptide.topology.internal;

import io.riptide.features.FeatureSets;
import io.riptide.features.MarketSource;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source that never speaks, read at machine speed (no wall-clock time passes, so the idle rule never fires), would
 * make the merger hold every other event in memory. {@code stream.input.max.buffered.events} bounds that: past it the
 * lagging sources are passed over and bars close.
 */
class MarketBufferBoundTest {
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void aSilentBookFeedNoLongerHoldsEveryTradeInMemory() {
        List<Record<String, Object>> trades = tradesOnly();
        assertTrue(trades.size() > 1_000, "trades: " + trades.size());

        Run unbounded = run(trades, 50_000);
        assertEquals(0, unbounded.bars, "without the bound every trade waits for the books");
        assertEquals(0, unbounded.overflows);

        Run bounded = run(trades, 200);
        assertTrue(bounded.overflows > 0, "the bound passed the silent sources over");
        assertTrue(bounded.bars >= 25, "bars closed: " + bounded.bars);
        assertTrue(bounded.buffered <= 200, "buffered at the end: " + bounded.buffered);
    }

    private record Run(long bars, long overflows, int buffered) {
    }

    private Run run(List<Record<String, Object>> input, int maxBuffered) {
        StreamConfig defaults = StreamConfig.defaults(new KafkaSettings("unused:9092", "http://unused", (short) 1,
                Map.of()), "buffer-bound", stateDir);
        StreamConfig config = defaults.withInput(defaults.input().withMaxBufferedEvents(maxBuffered));
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        CommitHookStore store = MarketRecords.marketStore(context);
        context.setCurrentSystemTimeMs(START);
        MarketEventProcessor processor = new MarketEventProcessor(config, FeatureSets.liquidation());
        processor.init(context);
        for (Record<String, Object> r : input) {
            processor.process(r);
        }
        store.flushCache();
        MarketState state = new MarketStore(store.inner(), FeatureSets.liquidation()).state("SIM:BTCUSDT", START,
                (s, chunk, seq, event) -> s.merger.offer(BufferedEvent.sourceOf(event), BufferedEvent.timeOf(event),
                        new MarketState.Buffered(chunk, event)));
        return new Run(context.forwarded(NodeNames.BARS_SINK).size(), processor.bufferOverflows(),
                state.merger.buffered());
    }

    /** 40 market minutes of one instrument's trades and trade heartbeats; the book and liquidation feeds are dead. */
    private static List<Record<String, Object>> tradesOnly() {
        return MarketRecords.simulate(SimulatorConfig.defaults(5, START).withInstruments(List.of("SIM:BTCUSDT")),
                START + 40 * 60_000L, java.util.EnumSet.of(MarketSource.TRADES));
    }
}
