package io.riptide.topology.internal;

import io.riptide.features.MarketSource;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.MarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Test inputs for the market processor as its decoders hand them over, and its store on a mock context. */
final class MarketRecords {
    private MarketRecords() {
    }

    /** The simulated market until {@code untilMs}, with heartbeats, keeping only the records of {@code sources}. */
    static List<Record<String, Object>> simulate(SimulatorConfig config, long untilMs, Set<MarketSource> sources) {
        List<Record<String, Object>> records = new ArrayList<>();
        Heartbeats feed = Heartbeats.exact(new MarketEventSink() {
            @Override
            public void onTrade(Trade t) {
                add(MarketSource.TRADES, t.getInstrument(), t, t.getExchangeTimeMs());
            }

            @Override
            public void onBook(BookSnapshot b) {
                add(MarketSource.BOOKS, b.getInstrument(), b, b.getExchangeTimeMs());
            }

            @Override
            public void onLiquidation(Liquidation l) {
                add(MarketSource.LIQUIDATIONS, l.getInstrument(), l, l.getExchangeTimeMs());
            }

            @Override
            public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
                MarketSource source = MarketSource.values()[Topics.MARKET_INPUTS.indexOf(input)];
                add(source, instrument, new Messages.Heartbeat(source, timeMs), timeMs);
            }

            private void add(MarketSource source, String instrument, Object value, long timeMs) {
                if (sources.contains(source)) {
                    records.add(new Record<>(instrument, value, timeMs));
                }
            }
        }, Heartbeats.TRADE_INPUTS);
        new MarketSimulator(config).runUntil(untilMs, feed);
        feed.finish(untilMs);
        return records;
    }

    /** The market store as the topology builds it (without a changelog), initialised on {@code context}. */
    static CommitHookStore marketStore(MockProcessorContext<String, Object> context) {
        CommitHookStore store = CommitHookStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(NodeNames.MARKET_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled()).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
