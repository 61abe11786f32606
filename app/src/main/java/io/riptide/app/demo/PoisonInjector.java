package io.riptide.app.demo;

import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends the kinds of bad input a real feed produces (garbage bytes, an unknown schema id, NaN and negative prices,
 * a crossed book) so the demo shows them dead-lettered with reasons while the stream keeps predicting.
 */
final class PoisonInjector {
    private PoisonInjector() {
    }

    /** @return how many bad records were sent */
    static int inject(KafkaClientFactory clients, String instrument, long eventTimeMs) {
        AvroWireSerializer<SpecificRecord> avro = new AvroWireSerializer<>(clients.registry(), false);
        byte[] key = instrument.getBytes(StandardCharsets.UTF_8);
        List<ProducerRecord<byte[], byte[]>> poison = List.of(
                raw(Topics.TRADES.name(), key, eventTimeMs, "{\"price\": \"not avro\"}".getBytes(StandardCharsets.UTF_8)),
                raw(Topics.BOOKS.name(), key, eventTimeMs, new byte[]{0, 0, 1, (byte) 0x86, (byte) 0x9f, 2, 4}),
                raw(Topics.TRADES.name(), key, eventTimeMs, avro.serialize(Topics.TRADES.name(),
                        trade(instrument, eventTimeMs, Double.NaN, "poison-nan"))),
                raw(Topics.TRADES.name(), key, eventTimeMs, avro.serialize(Topics.TRADES.name(),
                        trade(instrument, eventTimeMs, -42.0, "poison-negative"))),
                raw(Topics.BOOKS.name(), key, eventTimeMs, avro.serialize(Topics.BOOKS.name(),
                        BookSnapshot.newBuilder().setInstrument(instrument).setExchangeTimeMs(eventTimeMs)
                                .setUpdateId(1).setBids(List.of(new PriceLevel(101.0, 1.0)))
                                .setAsks(List.of(new PriceLevel(100.0, 1.0))).build())),
                raw(Topics.LIQUIDATIONS.name(), key, eventTimeMs, avro.serialize(Topics.LIQUIDATIONS.name(),
                        Liquidation.newBuilder().setInstrument(instrument).setExchangeTimeMs(eventTimeMs)
                                .setPositionSide(PositionSide.LONG).setPrice(100).setQty(-5).setNotional(-500)
                                .build())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.commonProperties("riptide-demo-poison"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            poison.forEach(producer::send);
            producer.flush();
        }
        return poison.size();
    }

    private static Trade trade(String instrument, long time, double price, String id) {
        return Trade.newBuilder().setInstrument(instrument).setExchangeTimeMs(time).setPrice(price).setQty(1)
                .setAggressorSide(Side.BUY).setTradeId(id).build();
    }

    private static ProducerRecord<byte[], byte[]> raw(String topic, byte[] key, long time, byte[] value) {
        return new ProducerRecord<>(topic, null, time, key, value);
    }
}
