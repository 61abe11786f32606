package io.riptide.features.internal;

import java.util.zip.CRC32;

/**
 * Snapshot format (version 2; 2 added TA-Lib's candle averages to the pattern state), big-endian: magic "RPFS",
 * format version, kind, key (the feature-set hash for engines), the state's fields in the order its {@link Stateful#write} writes them, then a CRC-32 of all preceding
 * bytes. Restore checks magic, version, kind, key and checksum, and that the state consumed every byte, so a
 * corrupt or foreign snapshot is rejected with an {@link IllegalArgumentException} instead of restoring wrong state.
 * Changing any component's fields means bumping {@link #FORMAT_VERSION}.
 */
public final class Snapshots {
    public static final int MAGIC = 0x52504653; // "RPFS"
    public static final int FORMAT_VERSION = 2;

    private Snapshots() {}

    public static byte[] write(String kind, String key, Stateful state) {
        StateWriter w = new StateWriter();
        w.putInt(MAGIC).putInt(FORMAT_VERSION).putString(kind).putString(key);
        state.write(w);
        w.putInt(w.checksum());
        return w.toByteArray();
    }

    /** Reads a snapshot into {@code target}, a freshly built component of the same configuration. */
    public static void read(String kind, String expectedKey, byte[] snapshot, Stateful target) {
        if (snapshot == null || snapshot.length < 12) throw new IllegalArgumentException(kind + " snapshot is empty or truncated");
        StateReader r = new StateReader(snapshot, 0);
        if (r.getInt() != MAGIC) throw new IllegalArgumentException("not a riptide feature-engine snapshot (bad magic)");
        int version = r.getInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(kind + " snapshot format version " + version + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        int bodyLength = snapshot.length - 4;
        CRC32 crc = new CRC32();
        crc.update(snapshot, 0, bodyLength);
        int stored = new StateReader(snapshot, bodyLength).getInt();
        if (stored != (int) crc.getValue()) throw new IllegalArgumentException(kind + " snapshot is corrupt (checksum mismatch)");
        String actualKind = r.getString();
        if (!actualKind.equals(kind)) throw new IllegalArgumentException("snapshot holds a " + actualKind + ", not a " + kind);
        String key = r.getString();
        if (!key.equals(expectedKey)) {
            throw new IllegalArgumentException(kind + " snapshot was taken for " + ("engine".equals(kind) ? "feature-set hash " : "")
                    + key + " but is being restored for " + expectedKey);
        }
        target.read(r);
        if (r.position() != bodyLength) {
            throw new IllegalArgumentException(kind + " snapshot is corrupt: " + (bodyLength - r.position()) + " unread bytes");
        }
    }
}
