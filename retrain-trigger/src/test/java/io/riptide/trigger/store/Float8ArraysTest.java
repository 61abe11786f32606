package io.riptide.trigger.store;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Float8ArraysTest {

    /** What array_send writes for a one-dimensional float8[]; a null entry is a NULL element. */
    private static byte[] sent(Double... values) {
        ByteBuffer out = ByteBuffer.allocate(20 + values.length * 12);
        out.putInt(1).putInt(0).putInt(701).putInt(values.length).putInt(1);
        for (Double v : values) {
            if (v == null) {
                out.putInt(-1);
            } else {
                out.putInt(8).putDouble(v);
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void decodesValuesInOrderWithNullAsNaNAndKeepsEveryBit() {
        double[] decoded = Float8Arrays.decode(sent(1.5, -0.0, null, Double.MAX_VALUE, Double.NaN, 1e-300));
        assertArrayEquals(new double[]{1.5, -0.0, Double.NaN, Double.MAX_VALUE, Double.NaN, 1e-300}, decoded);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(decoded[1]), "the sign of zero");
    }

    @Test
    void anEmptyArrayHasNoDimensionsAndAnythingElseIsRefused() {
        assertArrayEquals(new double[0], Float8Arrays.decode(ByteBuffer.allocate(12).putInt(0).putInt(0).putInt(701)
                .array()));
        byte[] int4 = ByteBuffer.allocate(28).putInt(1).putInt(0).putInt(23).putInt(1).putInt(1).putInt(4).putInt(7)
                .array();
        assertThrows(IllegalArgumentException.class, () -> Float8Arrays.decode(int4));
    }
}
