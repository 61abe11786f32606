package io.riptide.topology.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The length-prefixed strings and double arrays of the processors' own store values. */
final class StoreCodec {
    private StoreCodec() {
    }

    static ByteBuffer putBytes(ByteBuffer b, byte[] bytes) {
        return b.putInt(bytes.length).put(bytes);
    }

    static ByteBuffer putDoubles(ByteBuffer b, double[] values) {
        b.putInt(values.length);
        for (double v : values) {
            b.putDouble(v);
        }
        return b;
    }

    static double[] doubles(ByteBuffer b) {
        double[] values = new double[b.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getDouble();
        }
        return values;
    }

    static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
