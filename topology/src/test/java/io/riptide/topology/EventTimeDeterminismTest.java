package io.riptide.topology;

import io.riptide.serving.ModelKey;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.MarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.MarketHeartbeat;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Features and labels depend on event time only: the same market read with the liquidation topic lagging 20 market
 * minutes behind the trades, and the books jittering behind too, gives the same bars, features, predictions,
 * training examples and outcomes, bit for bit, as the market read in order; and every label equals its
 * recomputation from the input.
 */
class EventTimeDeterminismTest {
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final double THRESHOLD = SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD;

    @TempDir
    Path stateDir;

    /** A record as a feed wrote it to one topic: a market record, or a heartbeat (value null). */
    private record Wire(String topic, String key, SpecificRecord value, long heartbeatMs, long eventTimeMs) {
    }

    private record Outputs(List<FeatureVector> features, List<LiquidationRisk> predictions,
                           List<LabeledExample> examples, List<Outcome> outcomes) {
    }

    @Test
    void aLaggingLiquidationTopicChangesNothing() {
        List<Wire> wire = new ArrayList<>();
        List<Liquidation> liquidations = new ArrayList<>();
        MarketSimulator sim = new MarketSimulator(SimulatorConfig.defaults(42, START)
                .withInstruments(List.of("SIM:BTCUSDT", "SIM:ETHUSDT")));
        Heartbeats feed = Heartbeats.exact(recorder(wire, liquidations), Heartbeats.TRADE_INPUTS);
        sim.runUntil(START + 3 * HOUR, feed);
        feed.finish(START + 3 * HOUR);

        Outputs inOrder = run(wire);
        Outputs lagging = run(lagged(wire));

        assertTrue(inOrder.features().size() > 300, "bars: " + inOrder.features().size());
        assertTrue(inOrder.examples().size() > 600, "examples: " + inOrder.examples().size());
        assertEquals(sorted(inOrder.features()), sorted(lagging.features()), "features");
        assertEquals(sorted(inOrder.predictions()), sorted(lagging.predictions()), "predictions");
        assertEquals(sorted(inOrder.examples()), sorted(lagging.examples()), "training examples");
        assertEquals(sorted(inOrder.outcomes()), sorted(lagging.outcomes()), "outcomes");

        int positives = 0;
        for (LabeledExample e : lagging.examples()) {
            if (!e.getTask().equals(ModelKey.LIQUIDATION)) {
                continue; // pattern examples are checked against their bars in StreamTopologyTest
            }
            long from = e.getTimeMs();
            long to = from + e.getHorizonMinutes() * 60_000L;
            double notional = 0;
            for (Liquidation l : liquidations) {
                if (l.getInstrument().equals(e.getInstrument()) && l.getExchangeTimeMs() > from
                        && l.getExchangeTimeMs() <= to) {
                    notional += l.getNotional();
                }
            }
            assertEquals(notional, e.getRealizedValue(), 1e-6 * Math.max(1, notional), e.getExampleId());
            assertEquals(notional > THRESHOLD ? 1 : 0, e.getLabel(), e.getExampleId());
            positives += e.getLabel();
        }
        assertTrue(positives > 20, "labels of both kinds: " + positives + " positives");
    }

    private static MarketEventSink recorder(List<Wire> wire, List<Liquidation> liquidations) {
        return new MarketEventSink() {
            @Override
            public void onTrade(Trade t) {
                wire.add(new Wire(Topics.TRADES.name(), t.getInstrument(), t, 0, t.getExchangeTimeMs()));
            }

            @Override
            public void onBook(BookSnapshot b) {
                wire.add(new Wire(Topics.BOOKS.name(), b.getInstrument(), b, 0, b.getExchangeTimeMs()));
            }

            @Override
            public void onLiquidation(Liquidation l) {
                wire.add(new Wire(Topics.LIQUIDATIONS.name(), l.getInstrument(), l, 0, l.getExchangeTimeMs()));
                liquidations.add(l);
            }

            @Override
            public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
                wire.add(new Wire(input.name(), instrument, null, timeMs, timeMs));
            }
        };
    }

    /**
     * Each topic keeps its own order (as a partition does), but liquidations are read 20 market minutes behind the
     * trades and books a random 0-5 minutes behind.
     */
    private static List<Wire> lagged(List<Wire> wire) {
        Map<String, List<Wire>> byTopic = new HashMap<>();
        wire.forEach(w -> byTopic.computeIfAbsent(w.topic(), t -> new ArrayList<>()).add(w));
        List<Wire> trades = byTopic.get(Topics.TRADES.name());
        List<Wire> books = byTopic.get(Topics.BOOKS.name());
        List<Wire> liqs = byTopic.get(Topics.LIQUIDATIONS.name());
        SplittableRandom random = new SplittableRandom(7);
        List<Wire> out = new ArrayList<>();
        int b = 0;
        int l = 0;
        long bookLag = 0;
        for (Wire t : trades) {
            out.add(t);
            if (random.nextInt(50) == 0) {
                bookLag = random.nextLong(5 * 60_000L);
            }
            while (b < books.size() && books.get(b).eventTimeMs() <= t.eventTimeMs() - bookLag) {
                out.add(books.get(b++));
            }
            while (l < liqs.size() && liqs.get(l).eventTimeMs() <= t.eventTimeMs() - 20 * 60_000L) {
                out.add(liqs.get(l++));
            }
        }
        out.addAll(books.subList(b, books.size()));
        out.addAll(liqs.subList(l, liqs.size()));
        assertEquals(wire.size(), out.size());
        return out;
    }

    private Outputs run(List<Wire> wire) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        FeatureSet set = FeatureSets.liquidation();
        KafkaSettings kafka = new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of());
        StreamConfig config = StreamConfig.defaults(kafka, "determinism", stateDir.resolve("s" + System.nanoTime()))
                .withHorizons(List.of(5, 15)).withLiquidationThreshold(THRESHOLD)
                .withServing(StreamConfig.Serving.unbatched().withOnline(0.2, 20));
        Properties props = StreamService.streamsProperties(config, new io.riptide.schemas.kafka.KafkaClientFactory(
                kafka, registry));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        SerdeFactory serdes = new SerdeFactory(registry);
        try (LiveModels models = new LiveModels(set.hash(), set.names());
             TopologyTestDriver driver = new TopologyTestDriver(StreamTopology.build(config, set, models, registry),
                     props, Instant.ofEpochMilli(START))) {
            AvroWireSerializer<SpecificRecord> avro = new AvroWireSerializer<>(registry, false);
            Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();
            for (Topic<?> t : Topics.MARKET_INPUTS) {
                inputs.put(t.name(), driver.createInputTopic(t.name(), new StringSerializer(), avro));
            }
            for (Wire w : wire) {
                if (w.value() == null) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(MarketHeartbeat.HEADER, MarketHeartbeat.encode(w.heartbeatMs()));
                    inputs.get(w.topic()).pipeInput(new TestRecord<>(w.key(), null, headers,
                            Instant.ofEpochMilli(w.eventTimeMs())));
                } else {
                    inputs.get(w.topic()).pipeInput(w.key(), w.value(), w.eventTimeMs());
                }
            }
            return new Outputs(read(driver, serdes, Topics.FEATURES), read(driver, serdes,
                    Topics.PREDICTIONS_LIQUIDATION), read(driver, serdes, Topics.TRAINING_EXAMPLES),
                    read(driver, serdes, Topics.OUTCOMES));
        }
    }

    private static <V extends SpecificRecord> List<V> read(TopologyTestDriver driver, SerdeFactory serdes,
                                                           Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(),
                serdes.valueSerde(topic).deserializer()).readValuesToList();
    }

    private static <V extends SpecificRecord> List<String> sorted(List<V> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.toString()));
        out.sort(null);
        return out;
    }
}
