package io.riptide.features.internal;

/** Reads what {@link StateWriter} wrote, in the same order; any inconsistency is an {@link IllegalArgumentException}. */
public final class StateReader {
    private final byte[] buf;
    private int pos;

    public StateReader(byte[] buf, int offset) {
        this.buf = buf;
        this.pos = offset;
    }

    private void need(int n) {
        if (pos + n > buf.length) throw new IllegalArgumentException("snapshot is truncated at byte " + pos);
    }

    public long getLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    public int getInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    public double getDouble() { return Double.longBitsToDouble(getLong()); }

    public boolean getBoolean() {
        need(1);
        byte b = buf[pos++];
        if (b != 0 && b != 1) throw new IllegalArgumentException("snapshot is corrupt: bad boolean at byte " + (pos - 1));
        return b == 1;
    }

    /** Fills {@code into}, whose length the snapshot must match (the state's shape is fixed by the code). */
    public void getDoubles(double[] into) {
        int n = getInt();
        if (n != into.length) throw new IllegalArgumentException("snapshot is corrupt: array of " + n + " where " + into.length + " expected");
        for (int i = 0; i < n; i++) into[i] = getDouble();
    }

    public void getLongs(long[] into) {
        int n = getInt();
        if (n != into.length) throw new IllegalArgumentException("snapshot is corrupt: array of " + n + " where " + into.length + " expected");
        for (int i = 0; i < n; i++) into[i] = getLong();
    }

    public String getString() {
        int n = getInt();
        if (n < 0 || n > 4096) throw new IllegalArgumentException("snapshot is corrupt: string of " + n + " bytes");
        need(n);
        String s = new String(buf, pos, n, java.nio.charset.StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public boolean atEnd() { return pos == buf.length; }

    public int position() { return pos; }
}
