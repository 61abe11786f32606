package io.riptide.features.internal;

import java.util.Arrays;

/** Appends primitive state in a fixed order (big-endian); used only for snapshots, off the hot path. */
public final class StateWriter {
    // a warm engine writes ~23 KB: start large enough that a snapshot is one buffer and one copy
    private byte[] buf = new byte[32 * 1024];
    private int pos;

    private void ensure(int n) {
        if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    public StateWriter putLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) buf[pos++] = (byte) (v >>> (i * 8));
        return this;
    }

    public StateWriter putInt(int v) {
        ensure(4);
        for (int i = 3; i >= 0; i--) buf[pos++] = (byte) (v >>> (i * 8));
        return this;
    }

    public StateWriter putDouble(double v) { return putLong(Double.doubleToRawLongBits(v)); }

    public StateWriter putBoolean(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    public StateWriter putDoubles(double[] v) {
        putInt(v.length);
        for (double d : v) putDouble(d);
        return this;
    }

    public StateWriter putLongs(long[] v) {
        putInt(v.length);
        for (long d : v) putLong(d);
        return this;
    }

    public StateWriter putString(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        putInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** CRC-32 of everything written so far. */
    public int checksum() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(buf, 0, pos);
        return (int) crc.getValue();
    }

    public byte[] toByteArray() { return Arrays.copyOf(buf, pos); }
}
