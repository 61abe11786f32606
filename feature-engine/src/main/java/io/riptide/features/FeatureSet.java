package io.riptide.features;

import io.riptide.features.internal.FeatureCatalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered, versioned list of feature names. Models record {@link #hash()}, so a model never receives a vector
 * laid out for another set. Immutable and thread-safe.
 */
public final class FeatureSet {
    private final String id;
    private final int version;
    private final List<String> names;
    private final Map<String, Integer> index;
    private final String hash;

    private FeatureSet(String id, int version, List<String> names) {
        this.id = Objects.requireNonNull(id, "feature set id");
        if (id.isBlank()) throw new IllegalArgumentException("feature set id must not be blank");
        if (version < 1) throw new IllegalArgumentException("feature set version must be >= 1, got " + version);
        this.version = version;
        this.names = List.copyOf(names);
        if (this.names.isEmpty()) throw new IllegalArgumentException("feature set " + id + " has no features");
        this.index = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            String n = this.names.get(i);
            if (FeatureCatalog.indexOf(n) < 0) {
                throw new IllegalArgumentException("feature set " + id + ": unknown feature '" + n + "'");
            }
            if (index.put(n, i) != null) throw new IllegalArgumentException("feature set " + id + ": duplicate feature '" + n + "'");
        }
        this.hash = computeHash(id, version, this.names);
    }

    /** A feature set of known feature names (see docs/FEATURES.md); rejects unknown or duplicate names. */
    public static FeatureSet of(String id, int version, List<String> names) {
        return new FeatureSet(id, version, names);
    }

    /** Every feature the engine knows, in catalog order. */
    public static List<String> knownFeatures() { return FeatureCatalog.names(); }

    public String id() { return id; }

    public int version() { return version; }

    public List<String> names() { return names; }

    public int size() { return names.size(); }

    /** Position of a feature in vectors of this set, -1 if absent. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** SHA-256 (hex) of id, version and the ordered names, each field newline-terminated. */
    public String hash() { return hash; }

    private static String computeHash(String id, int version, List<String> names) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder().append(id).append('\n').append(version).append('\n');
            for (String n : names) sb.append(n).append('\n');
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSet other && hash.equals(other.hash) && id.equals(other.id)
                && version == other.version && names.equals(other.names);
    }

    @Override
    public int hashCode() { return hash.hashCode(); }

    @Override
    public String toString() { return id + "@v" + version + " (" + names.size() + " features, " + hash.substring(0, 12) + ")"; }
}
