package io.riptide.features.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Snapshot format: magic "RPFS", format version, kind, a key (the feature-set hash for engines), then the state
 * object graph in Java serialization, deflated, read back through a filter that admits only this module's classes and
 * primitive arrays. The state classes carry fixed serialVersionUIDs; changing their fields means bumping
 * {@link #FORMAT_VERSION}.
 */
public final class Snapshots {
    public static final int MAGIC = 0x52504653; // "RPFS"
    public static final int FORMAT_VERSION = 1;

    private static final ObjectInputFilter ONLY_OUR_STATE = info -> {
        Class<?> c = info.serialClass();
        if (c == null) return info.depth() > 64 ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
        while (c.isArray()) c = c.getComponentType();
        if (c.isPrimitive() || c == Enum.class || c.getName().startsWith("io.riptide.features.")) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return ObjectInputFilter.Status.REJECTED;
    };

    private Snapshots() {}

    public static byte[] write(String kind, String key, Serializable state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(kind);
            out.writeUTF(key);
            out.flush();
            DeflaterOutputStream deflated = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED));
            ObjectOutputStream objects = new ObjectOutputStream(deflated);
            objects.writeObject(state);
            objects.flush();
            deflated.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + kind + " snapshot", e);
        }
    }

    public static <T> T read(String kind, String expectedKey, byte[] snapshot, Class<T> type) {
        if (snapshot == null || snapshot.length < 8) {
            throw new IllegalArgumentException(kind + " snapshot is empty or truncated");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int magic = in.readInt();
            if (magic != MAGIC) throw new IllegalArgumentException("not a riptide feature-engine snapshot (bad magic)");
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException(kind + " snapshot format version " + version + " is not supported (expected "
                        + FORMAT_VERSION + ")");
            }
            String actualKind = in.readUTF();
            if (!actualKind.equals(kind)) throw new IllegalArgumentException("snapshot holds a " + actualKind + ", not a " + kind);
            String key = in.readUTF();
            if (!key.equals(expectedKey)) {
                throw new IllegalArgumentException(kind + " snapshot was taken for " + describe(kind) + " " + key
                        + " but is being restored for " + expectedKey);
            }
            ObjectInputStream objects = new ObjectInputStream(new InflaterInputStream(in));
            objects.setObjectInputFilter(ONLY_OUR_STATE);
            Object o = objects.readObject();
            return type.cast(o);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException(kind + " snapshot is corrupt: " + e.getMessage(), e);
        }
    }

    private static String describe(String kind) {
        return "engine".equals(kind) ? "feature-set hash" : "configuration";
    }
}
