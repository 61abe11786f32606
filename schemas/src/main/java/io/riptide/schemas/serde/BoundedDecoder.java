package io.riptide.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Decodes one Avro binary record held in a byte array, refusing every declared length that the rest of the record
 * cannot hold before anything is allocated for it. Avro's {@link BinaryDecoder} allocates a string, bytes value or
 * collection at its declared size first and finds out the bytes are missing afterwards, so an 11-byte record
 * declaring a 2 GB string costs 2 GB. Here:
 * <ul>
 *   <li>a string or bytes value declares at most the bytes that remain;</li>
 *   <li>a map block declares at most as many entries as bytes remain (every entry has a key of at least one byte);</li>
 *   <li>an array block likewise, unless the writer schema has arrays whose items can take zero bytes (null, a record
 *       of nulls, a zero-size fixed): a thousand nulls legitimately take no bytes, so such schemas are bounded by
 *       the collection limit only;</li>
 *   <li>all blocks of the record together declare at most {@link AvroLimits#maxCollectionItems()} items.</li>
 * </ul>
 * Anything the record declares is thus allocated in proportion to its own size. Primitives are read by Avro's own
 * decoder. Not thread-safe: one instance per record.
 */
final class BoundedDecoder extends Decoder {
    // read once, as Avro reads its own limits: a property lookup per record would cost on the hot path
    private static final long MAX_ITEMS = AvroLimits.maxCollectionItems();

    private final BinaryDecoder in;
    private final boolean arrayItemsMayBeEmpty;
    private long itemsDeclared;
    private Utf8 scratch;

    /**
     * @param arrayItemsMayBeEmpty {@link #hasArraysOfZeroByteItems(Schema)} of the writer schema
     */
    BoundedDecoder(byte[] data, int offset, int length, boolean arrayItemsMayBeEmpty) {
        this.in = DecoderFactory.get().binaryDecoder(data, offset, length, null);
        this.arrayItemsMayBeEmpty = arrayItemsMayBeEmpty;
    }

    /** Bytes not read yet. Exact: the source is a byte array, so Avro's decoder buffers nothing beyond it. */
    int remaining() throws IOException {
        return in.inputStream().available();
    }

    /** Whether some array in {@code writer} has items whose encoding can be empty, so item counts need not cost bytes. */
    static boolean hasArraysOfZeroByteItems(Schema writer) {
        return hasArraysOfZeroByteItems(writer, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean hasArraysOfZeroByteItems(Schema schema, Set<Schema> seen) {
        return switch (schema.getType()) {
            case ARRAY -> canBeEmpty(schema.getElementType(), Collections.newSetFromMap(new IdentityHashMap<>()))
                    || hasArraysOfZeroByteItems(schema.getElementType(), seen);
            case MAP -> hasArraysOfZeroByteItems(schema.getValueType(), seen);
            case UNION -> schema.getTypes().stream().anyMatch(s -> hasArraysOfZeroByteItems(s, seen));
            case RECORD -> seen.add(schema)
                    && schema.getFields().stream().anyMatch(f -> hasArraysOfZeroByteItems(f.schema(), seen));
            default -> false;
        };
    }

    private static boolean canBeEmpty(Schema schema, Set<Schema> seen) {
        return switch (schema.getType()) {
            case NULL -> true;
            case FIXED -> schema.getFixedSize() == 0;
            // a record that contains itself directly can never be written; counting it as empty errs on the safe side
            case RECORD -> !seen.add(schema) || schema.getFields().stream().allMatch(f -> canBeEmpty(f.schema(), seen));
            // enum and union indexes, booleans, numbers and length prefixes all take at least one byte
            default -> false;
        };
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = declaredLength("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        if (scratch == null) {
            scratch = new Utf8();
        }
        return readString(scratch).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(declaredLength("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = SystemLimitException.checkMaxBytesLength(declaredLength("bytes value"));
        ByteBuffer result;
        if (old != null && length <= old.capacity()) {
            result = old;
            result.clear();
        } else {
            result = ByteBuffer.allocate(length);
        }
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(declaredLength("bytes value"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readBlockCount("array", arrayItemsMayBeEmpty);
    }

    @Override
    public long arrayNext() throws IOException {
        return readBlockCount("array", arrayItemsMayBeEmpty);
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks("array", arrayItemsMayBeEmpty);
    }

    @Override
    public long readMapStart() throws IOException {
        return readBlockCount("map", false);
    }

    @Override
    public long mapNext() throws IOException {
        return readBlockCount("map", false);
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks("map", false);
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** Reads a length prefix and checks it against what remains. */
    private int declaredLength(String what) throws IOException {
        long length = in.readLong();
        if (length < 0) {
            throw new DeclaredLengthException(what + " declares a negative length " + length);
        }
        int remaining = remaining();
        if (length > remaining) {
            throw new DeclaredLengthException(what + " declares " + length + " bytes but only " + remaining
                    + (remaining == 1 ? " remains" : " remain"));
        }
        return (int) length;
    }

    /** A block header: item count, negated and followed by the block's byte size when the writer recorded it. */
    private long readBlockCount(String what, boolean itemsMayBeEmpty) throws IOException {
        long count = in.readLong();
        if (count < 0) {
            // the byte size only helps skipping; a reader goes item by item
            in.readLong();
            count = -count;
        }
        return checkedCount(what, count, itemsMayBeEmpty);
    }

    /** Skips the blocks that carry a byte size; returns the item count of the first one without, for the caller to skip. */
    private long skipBlocks(String what, boolean itemsMayBeEmpty) throws IOException {
        while (true) {
            long count = in.readLong();
            if (count >= 0) {
                return checkedCount(what, count, itemsMayBeEmpty);
            }
            in.skipFixed(declaredLength(what + " block"));
        }
    }

    private long checkedCount(String what, long count, boolean itemsMayBeEmpty) throws IOException {
        String items = what.equals("map") ? " entries" : " items";
        if (count < 0) {
            throw new DeclaredLengthException(what + " block declares a negative count " + count);
        }
        if (!itemsMayBeEmpty) {
            int remaining = remaining();
            if (count > remaining) {
                throw new DeclaredLengthException(what + " block declares " + count + items + " but only "
                        + remaining + (remaining == 1 ? " byte remains" : " bytes remain"));
            }
        }
        if (count > MAX_ITEMS - itemsDeclared) {
            throw new DeclaredLengthException(what + " block of " + count + items + " takes the record past the limit"
                    + " of " + MAX_ITEMS + " collection items");
        }
        itemsDeclared += count;
        return count;
    }

    /** A declared length or count the record cannot back; its message is the whole reason. */
    static final class DeclaredLengthException extends IOException {
        DeclaredLengthException(String message) {
            super(message);
        }
    }
}
