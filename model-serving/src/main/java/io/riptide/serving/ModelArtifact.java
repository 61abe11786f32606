package io.riptide.serving;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** The bytes of a trained model and the name of their format. */
public record ModelArtifact(String format, byte[] bytes) {

    public ModelArtifact {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** Lower-case hex SHA-256 of {@link #bytes()}. */
    public String sha256() {
        return sha256Hex(bytes);
    }

    /** Lower-case hex SHA-256 of any byte array. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelArtifact other && format.equals(other.format)
                && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * format.hashCode() + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ModelArtifact[format=" + format + ", bytes=" + bytes.length + ", sha256=" + sha256() + "]";
    }
}
