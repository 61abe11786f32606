package io.riptide.feed;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka sink against a real in-process broker and schema registry. */
class KafkaMarketEventSinkIT {
    private static final long START = 1_722_000_000_000L;
    private static EmbeddedRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void simulatedMarketLandsInItsTopicsKeyedByInstrumentAtExchangeTime() {
        CollectingSink expected = new CollectingSink();
        new MarketSimulator(SimulatorConfig.defaults(1, START)).runUntil(START + 10 * 60_000, expected);

        KafkaMarketEventSink sink;
        try (KafkaMarketEventSink s = new KafkaMarketEventSink(MarketFeedProducer.create(runtime.bootstrapServers(),
                runtime.schemaRegistryUrl(), "feed-it", Map.of()))) {
            new MarketSimulator(SimulatorConfig.defaults(1, START)).runUntil(START + 10 * 60_000, s);
            s.flush();
            sink = s;
        }
        assertEquals(expected.trades.size(), sink.trades());
        assertEquals(expected.books.size(), sink.books());
        assertEquals(expected.liquidations.size(), sink.liquidations());

        assertTopicHolds(Topics.TRADES, expected.trades, t -> t.getExchangeTimeMs(), t -> t.getInstrument().toString());
        assertTopicHolds(Topics.BOOKS, expected.books, BookSnapshot::getExchangeTimeMs, b -> b.getInstrument().toString());
        assertTopicHolds(Topics.LIQUIDATIONS, expected.liquidations, Liquidation::getExchangeTimeMs,
                l -> l.getInstrument().toString());
    }

    @Test
    void aSendTheBrokerRefusesSurfacesOnFlushInsteadOfVanishing() {
        KafkaMarketEventSink sink = new KafkaMarketEventSink(MarketFeedProducer.create(runtime.bootstrapServers(),
                runtime.schemaRegistryUrl(), "feed-it-small", Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 300)));
        CollectingSink one = new CollectingSink();
        new MarketSimulator(SimulatorConfig.defaults(2, START)).runUntil(START + 1, one);
        sink.onBook(one.books.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, sink::flush);
        assertTrue(e.getMessage().startsWith("send to market.book failed for key SIM:"), e.getMessage());
        assertEquals(1, sink.failedSends());
        assertThrows(IllegalStateException.class, sink::close, "close reports it too");
    }

    private static <V extends SpecificRecord> void assertTopicHolds(Topic<V> topic, List<V> expected,
                                                                    ToLongFunction<V> eventTime,
                                                                    java.util.function.Function<V, String> key) {
        SerdeFactory serdes = new SerdeFactory(new HttpSchemaRegistryClient(runtime.schemaRegistryUrl()));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "feed-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> got = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, serdes.keySerde().deserializer(),
                serdes.valueSerde(topic).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (got.size() < expected.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertEquals(expected.size(), got.size(), topic.name());
        // per instrument (= per partition) the order is the order sent
        for (String instrument : expected.stream().map(key).distinct().toList()) {
            List<V> want = expected.stream().filter(v -> key.apply(v).equals(instrument)).toList();
            List<ConsumerRecord<String, V>> have = got.stream().filter(r -> r.key().equals(instrument)).toList();
            assertEquals(want.size(), have.size(), topic.name() + " " + instrument);
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i), have.get(i).value());
                // event time travels in the payload; the broker stamps append time, so old replays are retained
                assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, have.get(i).timestampType());
                assertTrue(have.get(i).timestamp() > eventTime.applyAsLong(want.get(i)), "append time, not 2024");
            }
        }
    }
}
