package io.riptide.schemas.serde;

import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.registry.InProcessSchemaRegistry;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroWireSerdeTest {
    private static final String TOPIC = Topics.TRADES.name();

    static Trade trade() {
        return Trade.newBuilder()
                .setInstrument("BINANCE:BTCUSDT")
                .setExchangeTimeMs(1_700_000_000_123L)
                .setPrice(37_123.45)
                .setQty(0.0125)
                .setAggressorSide(Side.SELL)
                .setTradeId("t-42")
                .build();
    }

    private static byte[] plainAvro(Trade trade) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<Trade>(Trade.getClassSchema()).write(trade, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void writesMagicByteThenBigEndianSchemaIdThenPlainAvroBinary() throws IOException {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        // push the trade schema's id above 255 so all four id bytes matter
        for (int i = 0; i < 300; i++) {
            registry.register("filler-" + i, Schema.createFixed("F" + i, null, "x", 1));
        }
        byte[] bytes = new AvroWireSerializer<Trade>(registry, false).serialize(TOPIC, trade());

        int id = registry.lookup(TOPIC + "-value", Trade.getClassSchema()).orElseThrow().id();
        assertEquals(301, id);
        assertEquals(0, bytes[0], "magic byte");
        assertEquals(0x00, bytes[1] & 0xff);
        assertEquals(0x00, bytes[2] & 0xff);
        assertEquals(0x01, bytes[3] & 0xff);
        assertEquals(0x2d, bytes[4] & 0xff);
        assertArrayEquals(plainAvro(trade()), Arrays.copyOfRange(bytes, 5, bytes.length));
    }

    @Test
    void registersUnderKeyOrValueSubjectOfTheTopic() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        new AvroWireSerializer<Trade>(registry, false).serialize(TOPIC, trade());
        new AvroWireSerializer<Trade>(registry, true).serialize("other", trade());
        assertEquals(java.util.List.of("market.trades-value", "other-key"), registry.subjects());
    }

    @Test
    void independentGenericDecoderReadsWhatWeWroteWithSchemaFetchedOverHttp() throws IOException {
        try (InProcessSchemaRegistry server = InProcessSchemaRegistry.start()) {
            byte[] bytes = new AvroWireSerializer<Trade>(new HttpSchemaRegistryClient(server.url()), false)
                    .serialize(TOPIC, trade());

            // decode with nothing of ours: raw HTTP for the schema, plain Avro generic reader for the body
            int id = java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
            String json = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/schemas/ids/" + id)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String schemaText = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("schema").asText();
            Schema writer = new Schema.Parser().parse(schemaText);
            GenericRecord record = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

            assertEquals("BINANCE:BTCUSDT", record.get("instrument").toString());
            assertEquals(1_700_000_000_123L, record.get("exchangeTimeMs"));
            assertEquals(37_123.45, record.get("price"));
            assertEquals(0.0125, record.get("qty"));
            assertEquals("SELL", record.get("aggressorSide").toString());
            assertEquals("t-42", record.get("tradeId").toString());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void roundTripsThroughSerdeAndNullStaysNull() {
        AvroWireSerde<Trade> serde = new AvroWireSerde<>(new InMemorySchemaRegistry(), Trade.class, false);
        assertEquals(trade(), serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, trade())));
        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
    }

    @Test
    void rejectsWrongMagicByte() {
        AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(new InMemorySchemaRegistry(), Trade.class);
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, new byte[] {0x7f, 0, 0, 0, 1, 2, 3}));
        assertTrue(e.getMessage().startsWith("unknown magic byte 0x7f (expected 0)"), e.getMessage());
    }

    @Test
    void rejectsRecordShorterThanHeader() {
        AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(new InMemorySchemaRegistry(), Trade.class);
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().startsWith("record of 3 bytes is shorter than the 5-byte header"), e.getMessage());
    }

    @Test
    void rejectsUnknownSchemaId() {
        AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(new InMemorySchemaRegistry(), Trade.class);
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 42, 2, 'x'}));
        assertTrue(e.getMessage().startsWith("unknown schema id 42"), e.getMessage());
    }

    @Test
    void rejectsBytesThatAreNotTheRecord() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        byte[] valid = new AvroWireSerializer<Trade>(registry, false).serialize(TOPIC, trade());
        AvroWireDeserializer<Trade> deserializer = new AvroWireDeserializer<>(registry, Trade.class);

        byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, truncated));
        assertTrue(e.getMessage().startsWith("not valid Avro for Trade: "), e.getMessage());

        byte[] badEnum = valid.clone();
        // the enum index sits right before the tradeId string (length 4 zig-zag = 8, then "t-42")
        badEnum[valid.length - 6] = 0x7e;
        SerializationException enumError = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, badEnum));
        assertTrue(enumError.getMessage().startsWith("not valid Avro for Trade: "), enumError.getMessage());

        byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
        SerializationException trailingError = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, trailing));
        assertTrue(trailingError.getMessage().contains("2 trailing bytes"), trailingError.getMessage());
    }

    @Test
    void readerWithAnAddedDefaultedFieldReadsOldRecords() throws IOException {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        byte[] bytes = new AvroWireSerializer<Trade>(registry, false).serialize(TOPIC, trade());

        Schema evolved = SchemaBuilderHelper.withExtraDefaultedField(Trade.getClassSchema(), "venueSeq", -1L);
        int id = java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
        GenericRecord read = new GenericDatumReader<GenericRecord>(registry.getById(id), evolved)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals(-1L, read.get("venueSeq"));
        assertEquals(37_123.45, read.get("price"));
    }

    @Test
    void specificReaderResolvesAnOlderWriterSchemaWithFewerFields() throws IOException {
        // a writer that lacks nothing Trade needs but carries an extra field Trade does not know: it must be skipped
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Schema newer = SchemaBuilderHelper.withExtraDefaultedField(Trade.getClassSchema(), "venueSeq", -1L);
        org.apache.avro.generic.GenericRecordBuilder builder = new org.apache.avro.generic.GenericRecordBuilder(newer);
        Trade t = trade();
        for (Schema.Field f : Trade.getClassSchema().getFields()) {
            Object v = t.get(f.pos());
            builder.set(f.name(), v instanceof Side s
                    ? new org.apache.avro.generic.GenericData.EnumSymbol(f.schema(), s.name()) : v);
        }
        builder.set("venueSeq", 99L);
        int id = registry.register(TOPIC + "-value", newer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(newer).write(builder.build(), encoder);
        encoder.flush();

        Trade read = new AvroWireDeserializer<>(registry, Trade.class).deserialize(TOPIC, out.toByteArray());
        assertEquals(trade(), read);
    }
}
