package io.riptide.schemas.serde;

import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.registry.InProcessSchemaRegistry;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import io.riptide.schemas.registry.ScriptedRegistryServer;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile records: each must fail with a one-line reason, without allocating what it declares. */
class AvroWireDeserializerTest {
    private static final String TOPIC = Topics.TRADES.name();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @AfterEach
    void resetThrowingRecord() {
        ThrowingRecord.toThrow = () -> new AssertionError("not set");
    }

    /** Header for {@code schema}, registered under a subject of its own, then {@code body}. */
    private byte[] record(Schema schema, Encoding body) throws IOException {
        int id = registry.register("hostile-" + registry.subjects().size() + "-value", schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private interface Encoding {
        void write(BinaryEncoder encoder) throws IOException;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SerializationException refused(
            AvroWireDeserializer<T> deserializer, byte[] bytes) {
        return assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, bytes));
    }

    @Test
    void elevenByteTradeDeclaringATwoGigabyteStringIsRefusedBeforeAllocating() throws IOException {
        byte[] bytes = record(Trade.getClassSchema(), e -> {
            e.writeLong(Integer.MAX_VALUE);
            e.writeFixed(new byte[] {'B'});
        });
        assertEquals(11, bytes.length);
        SerializationException e = refused(new AvroWireDeserializer<>(registry, Trade.class), bytes);
        assertEquals("not valid Avro for Trade: string declares 2147483647 bytes but only 1 remains"
                + " (schema id 1, topic market.trades)", e.getMessage());
    }

    @Test
    void negativeStringLengthIsRefused() throws IOException {
        byte[] bytes = record(Trade.getClassSchema(), e -> e.writeLong(-3));
        SerializationException e = refused(new AvroWireDeserializer<>(registry, Trade.class), bytes);
        assertTrue(e.getMessage().startsWith("not valid Avro for Trade: string declares a negative length -3"),
                e.getMessage());
    }

    @Test
    void bytesValueLongerThanTheRecordIsRefused() throws IOException {
        byte[] bytes = record(DeadLetter.getClassSchema(), e -> {
            e.writeString("market.trades");
            e.writeInt(0);
            e.writeLong(7);
            e.writeLong(1_700_000_000_000L);
            e.writeIndex(1);
            e.writeLong(1L << 40);
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, DeadLetter.class), bytes);
        assertTrue(e.getMessage().startsWith(
                "not valid Avro for DeadLetter: bytes value declares 1099511627776 bytes but only 0 remain"),
                e.getMessage());
    }

    /** A ModelVersion up to its featureNames array, for the collection cases. */
    private static void modelVersionPrefix(BinaryEncoder e) throws IOException {
        e.writeString("liq-btc");
        e.writeEnum(0);
        e.writeInt(3);
        e.writeString("lightgbm-text");
        e.writeString("ab");
        e.writeString("fs1");
        e.writeString("h1");
    }

    @Test
    void arrayBlockWithMoreItemsThanBytesIsRefused() throws IOException {
        byte[] bytes = record(ModelVersion.getClassSchema(), e -> {
            modelVersionPrefix(e);
            e.writeArrayStart();
            e.setItemCount(2_000_000_000L);
            e.startItem();
            e.writeString("x");
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, ModelVersion.class), bytes);
        assertTrue(e.getMessage().startsWith(
                "not valid Avro for ModelVersion: array block declares 2000000000 items but only 2 bytes remain"),
                e.getMessage());
    }

    @Test
    void mapBlockWithMoreEntriesThanBytesIsRefused() throws IOException {
        byte[] bytes = record(ModelVersion.getClassSchema(), e -> {
            modelVersionPrefix(e);
            e.writeLong(0);
            e.writeLong(1);
            e.writeLong(2);
            e.writeLong(3);
            e.writeLong(Long.MAX_VALUE);
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, ModelVersion.class), bytes);
        assertTrue(e.getMessage().startsWith("not valid Avro for ModelVersion: map block declares "
                + Long.MAX_VALUE + " entries but only 0 bytes remain"), e.getMessage());
    }

    private static Schema tradeWithWriterOnlyField(Schema fieldType) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : Trade.getClassSchema().getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("extra", fieldType, null, (Object) null));
        return Schema.createRecord("Trade", null, "io.riptide.schemas.avro", false, fields);
    }

    private static void tradeFields(BinaryEncoder e) throws IOException {
        e.writeString("BINANCE:BTCUSDT");
        e.writeLong(1_700_000_000_123L);
        e.writeDouble(37_123.45);
        e.writeDouble(0.0125);
        e.writeEnum(1);
        e.writeString("t-42");
    }

    @Test
    void fieldsTheReaderSkipsAreBoundedToo() throws IOException {
        Schema writer = tradeWithWriterOnlyField(Schema.createArray(Schema.create(Schema.Type.STRING)));
        byte[] bytes = record(writer, e -> {
            tradeFields(e);
            e.writeLong(Long.MAX_VALUE / 2);
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, Trade.class), bytes);
        assertTrue(e.getMessage().contains("array block declares " + Long.MAX_VALUE / 2 + " items but only 0 bytes"),
                e.getMessage());

        Schema writerWithBytes = tradeWithWriterOnlyField(Schema.create(Schema.Type.BYTES));
        byte[] withBytes = record(writerWithBytes, e2 -> {
            tradeFields(e2);
            e2.writeLong(100);
        });
        SerializationException bytesError = refused(new AvroWireDeserializer<>(registry, Trade.class), withBytes);
        assertTrue(bytesError.getMessage().contains("bytes value declares 100 bytes but only 0 remain"),
                bytesError.getMessage());
    }

    @Test
    void manyNullsTakeNoBytesAndStillRead() throws IOException {
        Schema writer = tradeWithWriterOnlyField(Schema.createArray(Schema.create(Schema.Type.NULL)));
        byte[] bytes = record(writer, e -> {
            tradeFields(e);
            e.writeLong(100_000);
            e.writeLong(0);
        });
        Trade read = new AvroWireDeserializer<>(registry, Trade.class).deserialize(TOPIC, bytes);
        assertEquals("t-42", read.getTradeId());
    }

    @Test
    void nullsBeyondTheCollectionLimitAreRefused() throws IOException {
        Schema writer = tradeWithWriterOnlyField(Schema.createArray(Schema.create(Schema.Type.NULL)));
        byte[] bytes = record(writer, e -> {
            tradeFields(e);
            e.writeLong(AvroLimits.MAX_LENGTH);
            e.writeLong(1);
            e.writeLong(0);
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, Trade.class), bytes);
        assertTrue(e.getMessage().contains("array block of 1 items takes the record past the limit of "
                + AvroLimits.MAX_LENGTH + " collection items"), e.getMessage());
    }

    @Test
    void nestingDeepEnoughToOverflowTheStackIsABadRecord() throws IOException {
        int depth = 1_000_000;
        byte[] bytes = record(DeepNest.SCHEMA$, e -> {
            for (int i = 0; i < depth; i++) {
                e.writeIndex(1);
            }
            e.writeIndex(0);
        });
        SerializationException e = refused(new AvroWireDeserializer<>(registry, DeepNest.class), bytes);
        assertTrue(e.getMessage().startsWith("not valid Avro for DeepNest: nested too deeply to decode"
                + " (java.lang.StackOverflowError)"), e.getMessage());
        assertInstanceOf(StackOverflowError.class, e.getCause());

        byte[] shallow = record(DeepNest.SCHEMA$, e2 -> {
            e2.writeIndex(1);
            e2.writeIndex(0);
        });
        DeepNest read = new AvroWireDeserializer<>(registry, DeepNest.class).deserialize(TOPIC, shallow);
        assertTrue(read.get(0) instanceof DeepNest);
    }

    @Test
    void anErrorFromTheDecoderIsABadRecord() throws IOException {
        byte[] bytes = record(ThrowingRecord.SCHEMA$, e -> e.writeInt(1));
        ThrowingRecord.toThrow = () -> new AssertionError("decoder invariant broken");
        SerializationException e = refused(new AvroWireDeserializer<>(registry, ThrowingRecord.class), bytes);
        assertTrue(e.getMessage().startsWith(
                "not valid Avro for ThrowingRecord: java.lang.AssertionError: decoder invariant broken"), e.getMessage());

        ThrowingRecord.toThrow = () -> new OutOfMemoryError("Requested array size exceeds VM limit");
        SerializationException tooLarge = refused(new AvroWireDeserializer<>(registry, ThrowingRecord.class), bytes);
        assertInstanceOf(OutOfMemoryError.class, tooLarge.getCause());
    }

    @Test
    void aJvmOutOfHeapIsNotBlamedOnTheRecord() throws IOException {
        byte[] bytes = record(ThrowingRecord.SCHEMA$, e -> e.writeInt(1));
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        ThrowingRecord.toThrow = () -> heap;
        AvroWireDeserializer<ThrowingRecord> deserializer = new AvroWireDeserializer<>(registry, ThrowingRecord.class);
        assertSame(heap, assertThrows(OutOfMemoryError.class, () -> deserializer.deserialize(TOPIC, bytes)));

        InternalError internal = new InternalError("JIT broke");
        ThrowingRecord.toThrow = () -> internal;
        assertSame(internal, assertThrows(InternalError.class, () -> deserializer.deserialize(TOPIC, bytes)));
    }

    @Test
    void onlyStackOverflowAndImpossibleArraysAreTheRecordsFault() {
        assertTrue(AvroWireDeserializer.isThisRecordsFault(new StackOverflowError()));
        assertTrue(AvroWireDeserializer.isThisRecordsFault(
                new OutOfMemoryError("Requested array size exceeds VM limit")));
        assertFalse(AvroWireDeserializer.isThisRecordsFault(new OutOfMemoryError("Java heap space")));
        assertFalse(AvroWireDeserializer.isThisRecordsFault(new OutOfMemoryError()));
        assertFalse(AvroWireDeserializer.isThisRecordsFault(new InternalError()));
    }

    private static byte[] validTrade(InMemorySchemaRegistry registry) {
        return new AvroWireSerializer<Trade>(registry, false).serialize(TOPIC, AvroWireSerdeTest.trade());
    }

    @Test
    void aRegistryThatIsDownIsNotABadRecord() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(
                new HttpSchemaRegistryClient("http://127.0.0.1:" + closedPort), Trade.class);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> deserializer.deserialize(TOPIC, validTrade(registry)));
        assertInstanceOf(SchemaRegistryUnavailableException.class, e);
        assertFalse(e instanceof SerializationException);
        assertEquals("cannot read Trade (topic market.trades): cannot fetch schema id 1: GET http://127.0.0.1:"
                + closedPort + "/schemas/ids/1 refused the connection 5 times", e.getMessage());
    }

    @Test
    void aRegistryAnsweringServerErrorsIsRetriedAndTheRecordReadsWhenItRecovers() throws IOException {
        byte[] bytes = validTrade(registry);
        String schemaAnswer = "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(
                Trade.getClassSchema().toString()) + "}";
        try (ScriptedRegistryServer server = new ScriptedRegistryServer((n, exchange) -> n >= 3
                ? ScriptedRegistryServer.Answer.json(200, schemaAnswer)
                : ScriptedRegistryServer.Answer.json(500, "{\"error_code\": 50001, \"message\": \"down\"}"))) {
            AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(
                    new HttpSchemaRegistryClient(server.url()), Trade.class);
            assertEquals(AvroWireSerdeTest.trade(), deserializer.deserialize(TOPIC, bytes));
            assertEquals(3, server.requests());
        }
    }

    @Test
    void aRegistryThatKeepsFailingLeavesTheRecordToBeRetried() throws IOException {
        byte[] bytes = validTrade(registry);
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean();
        String schemaAnswer = "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(
                Trade.getClassSchema().toString()) + "}";
        try (ScriptedRegistryServer server = new ScriptedRegistryServer((n, exchange) -> healthy.get()
                ? ScriptedRegistryServer.Answer.json(200, schemaAnswer)
                : ScriptedRegistryServer.Answer.json(500, "{\"error_code\": 50001, \"message\": \"down\"}"))) {
            AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(
                    new HttpSchemaRegistryClient(server.url()), Trade.class);
            SchemaRegistryUnavailableException e = assertThrows(SchemaRegistryUnavailableException.class,
                    () -> deserializer.deserialize(TOPIC, bytes));
            assertEquals(500, e.httpStatus());
            assertTrue(e.getMessage().endsWith("answered HTTP 500 error_code 50001: down (5 attempts)"), e.getMessage());

            healthy.set(true);
            assertEquals(AvroWireSerdeTest.trade(), deserializer.deserialize(TOPIC, bytes));
        }
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsABadRecord() {
        try (InProcessSchemaRegistry server = InProcessSchemaRegistry.start()) {
            AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(
                    new HttpSchemaRegistryClient(server.url()), Trade.class);
            SerializationException e = refused(deserializer, new byte[] {0, 0, 0, 0, 42, 2, 'x'});
            assertEquals("unknown schema id 42 (topic market.trades)", e.getMessage());
        }
    }
}
