package io.riptide.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedDecoderTest {
    private static final Schema EVERYTHING = new Schema.Parser().parse("""
            {"type": "record", "name": "Everything", "fields": [
              {"name": "b", "type": "boolean"}, {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
              {"name": "f", "type": "float"}, {"name": "d", "type": "double"}, {"name": "s", "type": "string"},
              {"name": "raw", "type": "bytes"}, {"name": "fx", "type": {"type": "fixed", "name": "F3", "size": 3}},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
              {"name": "u", "type": ["null", "string", "long"]},
              {"name": "words", "type": {"type": "array", "items": "string"}},
              {"name": "nested", "type": {"type": "array", "items": {"type": "array", "items": "double"}}},
              {"name": "m", "type": {"type": "map", "values": "int"}}
            ]}""");

    private static GenericRecord everything() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            words.add("w" + i);
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i * 1000);
        }
        return new GenericRecordBuilder(EVERYTHING)
                .set("b", true).set("i", Integer.MIN_VALUE).set("l", Long.MAX_VALUE).set("f", -1.5f)
                .set("d", Double.NaN).set("s", "héllo").set("raw", ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .set("fx", new GenericData.Fixed(EVERYTHING.getField("fx").schema(), new byte[] {7, 8, 9}))
                .set("e", new GenericData.EnumSymbol(EVERYTHING.getField("e").schema(), "C"))
                .set("u", 42L).set("words", words)
                .set("nested", List.of(List.of(1.0, 2.0), List.of(), List.of(3.0)))
                .set("m", map)
                .build();
    }

    private static byte[] encode(Schema schema, Object datum, boolean blocking) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the blocking encoder writes negative counts followed by block byte sizes, the form readers must also accept
        BinaryEncoder encoder = blocking ? EncoderFactory.get().blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<Object>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Object readBounded(Schema writer, Schema reader, byte[] bytes) throws IOException {
        BoundedDecoder decoder = new BoundedDecoder(bytes, 0, bytes.length,
                BoundedDecoder.hasArraysOfZeroByteItems(writer));
        Object result = new GenericDatumReader<>(writer, reader).read(null, decoder);
        assertEquals(0, decoder.remaining(), "the whole record was read");
        return result;
    }

    @Test
    void readsWhatAvrosOwnDecoderReads() throws IOException {
        for (boolean blocking : new boolean[] {false, true}) {
            byte[] bytes = encode(EVERYTHING, everything(), blocking);
            Object plain = new GenericDatumReader<>(EVERYTHING)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            GenericRecord bounded = (GenericRecord) readBounded(EVERYTHING, EVERYTHING, bytes);
            assertEquals(plain, bounded, "blocking=" + blocking);
            assertEquals("héllo", bounded.get("s").toString());
            assertEquals(300, ((List<?>) bounded.get("words")).size());
            assertEquals(100, ((Map<?, ?>) bounded.get("m")).size());
        }
    }

    @Test
    void skipsWriterOnlyFieldsOfEveryKind() throws IOException {
        Schema readerOnlyBoolean = Schema.createRecord("Everything", null, null, false,
                List.of(new Schema.Field("b", Schema.create(Schema.Type.BOOLEAN))));
        for (boolean blocking : new boolean[] {false, true}) {
            GenericRecord read = (GenericRecord) readBounded(EVERYTHING, readerOnlyBoolean,
                    encode(EVERYTHING, everything(), blocking));
            assertEquals(true, read.get("b"));
        }
    }

    @Test
    void arraysOfItemsThatTakeNoBytesStillRead() throws IOException {
        Schema empty = Schema.createRecord("Empty", null, null, false, List.of());
        for (Schema item : List.of(Schema.create(Schema.Type.NULL), empty, Schema.createFixed("Zero", null, null, 0))) {
            Schema array = Schema.createArray(item);
            assertTrue(BoundedDecoder.hasArraysOfZeroByteItems(array), item.toString());
            Object value = item.getType() == Schema.Type.NULL ? null
                    : item.getType() == Schema.Type.RECORD ? new GenericData.Record(empty)
                    : new GenericData.Fixed(item, new byte[0]);
            List<Object> items = new ArrayList<>(Collections.nCopies(5000, value));
            byte[] bytes = encode(array, items, false);
            assertEquals(3, bytes.length, "count 5000 (two bytes) and the closing 0");
            assertEquals(5000, ((List<?>) readBounded(array, array, bytes)).size());
        }
    }

    @Test
    void knowsWhichItemsCanTakeNoBytes() {
        Schema nullAndDouble = Schema.createRecord("R", null, null, false, List.of(
                new Schema.Field("n", Schema.create(Schema.Type.NULL)),
                new Schema.Field("d", Schema.create(Schema.Type.DOUBLE))));
        assertFalse(BoundedDecoder.hasArraysOfZeroByteItems(EVERYTHING));
        assertFalse(BoundedDecoder.hasArraysOfZeroByteItems(Schema.createArray(nullAndDouble)));
        assertFalse(BoundedDecoder.hasArraysOfZeroByteItems(Schema.createArray(
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)))));
        assertTrue(BoundedDecoder.hasArraysOfZeroByteItems(Schema.createMap(
                Schema.createArray(Schema.create(Schema.Type.NULL)))));
        assertTrue(BoundedDecoder.hasArraysOfZeroByteItems(DeepNestWithArray.SCHEMA));
    }

    /** A recursive schema whose arrays hold records that may be empty only through themselves. */
    private static final class DeepNestWithArray {
        static final Schema SCHEMA = new Schema.Parser().parse("""
                {"type": "record", "name": "Tree", "fields": [
                  {"name": "children", "type": {"type": "array", "items": {"type": "record", "name": "Leaf",
                    "fields": [{"name": "nothing", "type": "null"}]}}},
                  {"name": "next", "type": ["null", "Tree"]}
                ]}""");
    }

    @Test
    void declaredLengthsAreCheckedAgainstWhatRemains() throws IOException {
        Schema string = Schema.create(Schema.Type.STRING);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(4);
        encoder.writeFixed(new byte[] {'a', 'b', 'c'});
        encoder.flush();
        byte[] oneShort = out.toByteArray();
        BoundedDecoder.DeclaredLengthException e = assertThrows(BoundedDecoder.DeclaredLengthException.class,
                () -> readBounded(string, string, oneShort));
        assertEquals("string declares 4 bytes but only 3 remain", e.getMessage());

        byte[] exact = {8, 'a', 'b', 'c', 'd'};
        assertEquals("abcd", readBounded(string, string, exact).toString());
    }
}
