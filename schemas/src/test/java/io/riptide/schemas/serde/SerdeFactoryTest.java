package io.riptide.schemas.serde;

import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SerdeFactoryTest {

    @Test
    void valueSerdeIsCachedPerTopicAndRoundTrips() {
        SerdeFactory factory = new SerdeFactory(new InMemorySchemaRegistry());
        Serde<Trade> serde = factory.valueSerde(Topics.TRADES);
        assertSame(serde, factory.valueSerde(Topics.TRADES));
        Trade trade = AvroWireSerdeTest.trade();
        assertEquals(trade, serde.deserializer().deserialize("market.trades",
                serde.serializer().serialize("market.trades", trade)));
    }

    @Test
    void anyValueSerializerWritesWhatTheTopicSerdeReads() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        SerdeFactory factory = new SerdeFactory(registry);
        Trade trade = AvroWireSerdeTest.trade();
        byte[] bytes = factory.anyValueSerializer().serialize("market.trades", trade);
        assertEquals(trade, factory.valueSerde(Topics.TRADES).deserializer().deserialize("market.trades", bytes));
        assertEquals(java.util.List.of("market.trades-value"), registry.subjects());
    }

    @Test
    void keysArePlainUtf8() {
        SerdeFactory factory = new SerdeFactory(new InMemorySchemaRegistry());
        String key = Topics.modelVersionKey("liquidation-15m", io.riptide.schemas.avro.ModelRole.values()[0]);
        assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), factory.keySerde().serializer().serialize("t", key));
        assertEquals(ModelVersion.class, Topics.MODEL_VERSIONS.valueClass());
    }
}
