package io.riptide.trigger.store;

import java.nio.ByteBuffer;

/**
 * Decodes PostgreSQL's binary form of a {@code float8[]} ({@code array_send(features)}), so a job's examples load
 * without the text form's formatting and parsing of every double (docs/PERFORMANCE.md, "riptide bench retrain").
 * The layout, big-endian: dimensions, a has-nulls flag, the element type's oid, then per dimension its length and
 * lower bound, then per element its byte length (-1 for NULL) and the IEEE 754 bits.
 */
final class Float8Arrays {
    private static final int FLOAT8_OID = 701;

    private Float8Arrays() {
    }

    /**
     * Decodes an array of exactly {@code length} values into {@code out} from {@code offset}, NULL elements as NaN.
     *
     * @throws IllegalArgumentException when it is not a float8[] of that length (rows of one feature set all have it)
     */
    static void decodeInto(byte[] sent, double[] out, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(sent);
        int dimensions = in.getInt();
        in.getInt();
        int elementType = in.getInt();
        int actual = dimensions == 0 ? 0 : in.getInt();
        if ((dimensions != 0 && dimensions != 1) || elementType != FLOAT8_OID || actual != length) {
            throw new IllegalArgumentException("expected a float8[] of " + length + " values, got " + dimensions
                    + " dimensions of " + actual + " values of oid " + elementType);
        }
        if (dimensions == 0) {
            return;
        }
        in.getInt(); // lower bound
        for (int i = 0; i < length; i++) {
            int bytes = in.getInt();
            if (bytes == -1) {
                out[offset + i] = Double.NaN;
            } else if (bytes == Double.BYTES) {
                out[offset + i] = in.getDouble();
            } else {
                throw new IllegalArgumentException("float8 element " + i + " has " + bytes + " bytes");
            }
        }
    }

    /** The array's values, NULL elements as NaN. */
    static double[] decode(byte[] sent) {
        ByteBuffer in = ByteBuffer.wrap(sent);
        int dimensions = in.getInt();
        in.getInt(); // has nulls: each element says so anyway
        int elementType = in.getInt();
        if (dimensions == 0) {
            return new double[0];
        }
        if (dimensions != 1 || elementType != FLOAT8_OID) {
            throw new IllegalArgumentException("expected a one-dimensional float8[] (oid " + FLOAT8_OID + "), got "
                    + dimensions + " dimensions of oid " + elementType);
        }
        int length = in.getInt();
        in.getInt(); // lower bound
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            int bytes = in.getInt();
            if (bytes == -1) {
                values[i] = Double.NaN;
            } else if (bytes == Double.BYTES) {
                values[i] = in.getDouble();
            } else {
                throw new IllegalArgumentException("float8 element " + i + " has " + bytes + " bytes");
            }
        }
        return values;
    }
}
