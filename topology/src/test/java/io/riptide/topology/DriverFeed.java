package io.riptide.topology;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.MarketHeartbeat;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A feed into a TopologyTestDriver: market records and heartbeats piped into the market topics as a Kafka feed
 * writes them. Wrap it in {@link io.riptide.feed.Heartbeats}, as every Riptide feed is.
 */
public final class DriverFeed implements MarketEventSink {
    private final Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();

    public DriverFeed(TopologyTestDriver driver, SchemaRegistryClient registry) {
        AvroWireSerializer<SpecificRecord> avro = new AvroWireSerializer<>(registry, false);
        for (Topic<?> topic : Topics.MARKET_INPUTS) {
            inputs.put(topic.name(), driver.createInputTopic(topic.name(), new StringSerializer(), avro));
        }
    }

    @Override
    public void onTrade(Trade trade) {
        pipe(Topics.TRADES, trade.getInstrument(), trade, trade.getExchangeTimeMs());
    }

    @Override
    public void onBook(BookSnapshot book) {
        pipe(Topics.BOOKS, book.getInstrument(), book, book.getExchangeTimeMs());
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        pipe(Topics.LIQUIDATIONS, liquidation.getInstrument(), liquidation, liquidation.getExchangeTimeMs());
    }

    @Override
    public void onKline(Bar kline) {
        pipe(Topics.KLINES, kline.getInstrument(), kline, kline.getCloseTimeMs());
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(MarketHeartbeat.HEADER, MarketHeartbeat.encode(timeMs));
        inputs.get(input.name()).pipeInput(new TestRecord<>(instrument, null, headers, Instant.ofEpochMilli(timeMs)));
    }

    private void pipe(Topic<?> topic, String key, SpecificRecord value, long timeMs) {
        inputs.get(topic.name()).pipeInput(key, value, timeMs);
    }
}
