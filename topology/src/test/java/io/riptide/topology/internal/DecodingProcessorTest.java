package io.riptide.topology.internal;

import io.riptide.features.MarketSource;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The market decoder's answers to what a hostile or unlucky record can make its decoder do. */
class DecodingProcessorTest {
    private static final String INSTRUMENT = "SIM:TEST";
    private static final Trade TRADE = Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(1_000)
            .setPrice(100).setQty(1).setAggressorSide(Side.BUY).setTradeId("t").build();

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

    private DecodingProcessor<Trade> decoder(Deserializer<Trade> deserializer, long outageMaxWaitMs) {
        DecodingProcessor<Trade> processor = new DecodingProcessor<>("trade-decoder", MarketSource.TRADES,
                deserializer, t -> t.getInstrument().toString(), NodeNames.MARKET_PROCESSOR, outageMaxWaitMs);
        context.setRecordMetadata("market.trades", 0, 42);
        processor.init(context);
        return processor;
    }

    private static Record<byte[], byte[]> record(String key, String value) {
        return new Record<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), 1_000);
    }

    private List<DeadLetter> deadLetters() {
        return context.forwarded(NodeNames.DEADLETTER_SINK).stream().map(f -> (DeadLetter) f.record().value())
                .toList();
    }

    @Test
    void anErrorThrownByTheDecoderDeadLettersTheRecordInsteadOfKillingTheThread() {
        DecodingProcessor<Trade> processor = decoder((topic, bytes) -> {
            throw new StackOverflowError();
        }, 0);
        processor.process(record(INSTRUMENT, "deeply nested"));
        List<DeadLetter> letters = deadLetters();
        assertEquals(1, letters.size());
        assertEquals("cannot decode: StackOverflowError", letters.get(0).getError());
        assertEquals(StackOverflowError.class.getName(), letters.get(0).getErrorClass());
        assertEquals(42, letters.get(0).getOffset());
        assertEquals("deeply nested", StandardCharsets.UTF_8.decode(letters.get(0).getValue()).toString());
        assertTrue(context.forwarded(NodeNames.MARKET_PROCESSOR).isEmpty());
    }

    @Test
    void aRecordWithoutAKeyIsDeadLetteredBeforeItIsDecoded() {
        AtomicInteger decodes = new AtomicInteger();
        DecodingProcessor<Trade> processor = decoder((topic, bytes) -> {
            decodes.incrementAndGet();
            return TRADE;
        }, 0);
        processor.process(record(null, "a valid trade"));
        assertEquals(List.of("record without a key: a market record is keyed by its instrument"),
                deadLetters().stream().map(DeadLetter::getError).toList());
        assertEquals(0, decodes.get());
    }

    @Test
    void aRegistryOutageIsWaitedOutOnTheSameRecordAndNothingIsDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        DecodingProcessor<Trade> processor = decoder((topic, bytes) -> {
            if (calls.incrementAndGet() <= 3) {
                throw new SchemaRegistryUnavailableException("cannot reach http://registry: connection refused", null);
            }
            return TRADE;
        }, 10_000);
        processor.process(record(INSTRUMENT, "a valid trade"));
        assertEquals(4, calls.get());
        assertTrue(deadLetters().isEmpty());
        assertEquals(1, context.forwarded(NodeNames.MARKET_PROCESSOR).size());
        assertEquals(TRADE, context.forwarded(NodeNames.MARKET_PROCESSOR).get(0).record().value());
    }

    @Test
    void anOutageLongerThanTheWaitFailsTheTaskWithoutDeadLettering() {
        DecodingProcessor<Trade> processor = decoder((topic, bytes) -> {
            throw new SchemaRegistryUnavailableException("cannot reach http://registry: connection refused", null);
        }, 300);
        SchemaRegistryUnavailableException e = assertThrows(SchemaRegistryUnavailableException.class,
                () -> processor.process(record(INSTRUMENT, "a valid trade")));
        assertTrue(DeadLetterProcessingExceptionHandler.isRegistryOutage(new RuntimeException("wrapped", e)));
        assertTrue(deadLetters().isEmpty());
    }
}
