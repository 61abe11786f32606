package io.riptide.feed;

import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How the sink reports failed sends; the happy path runs on a real broker in KafkaMarketEventSinkIT. */
class KafkaMarketEventSinkTest {

    private static final Serializer<SpecificRecord> UNUSED = (topic, value) -> new byte[0];

    @Test
    void aFailedBatchIsThrownOnceByFlushAndCloseStillClosesInTryWithResources() {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(), UNUSED);
        TimeoutException timeout = new TimeoutException("Expiring 2 record(s) for market.trades-2");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (KafkaMarketEventSink sink = new KafkaMarketEventSink(producer)) {
                sink.onTrade(trade("1"));
                sink.onTrade(trade("2"));
                // the broker fails the whole batch: one exception instance for both records
                producer.errorNext(timeout);
                producer.errorNext(timeout);
                sink.flush();
            }
        });
        assertEquals("send to market.trades failed for key SIM:X: Expiring 2 record(s) for market.trades-2",
                thrown.getMessage());
        assertSame(timeout, thrown.getCause());
        assertEquals(0, thrown.getCause().getSuppressed().length);
        assertEquals(1, thrown.getSuppressed().length, "close() reports the failure again, as a new exception");
        assertSame(thrown, thrown.getSuppressed()[0].getCause());
        assertEquals(true, producer.closed());
    }

    private static Trade trade(String id) {
        return Trade.newBuilder().setInstrument("SIM:X").setExchangeTimeMs(1_000).setPrice(100).setQty(1)
                .setAggressorSide(Side.BUY).setTradeId(id).build();
    }
}
