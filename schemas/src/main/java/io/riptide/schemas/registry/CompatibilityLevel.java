package io.riptide.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Confluent's compatibility levels, checked with Avro's {@link SchemaCompatibility}. BACKWARD (the default): a
 * consumer using the new schema can read data written with the previous one, so consumers upgrade first; adding a
 * field with a default or removing a field is fine, adding one without a default is not. FORWARD: the previous
 * schema can read data written with the new one. FULL: both. The {@code _TRANSITIVE} variants check against every
 * earlier version instead of the latest only. NONE checks nothing.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Whether a new version is checked against every earlier version rather than the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Why {@code candidate} may not follow {@code previous} at this level, one line per problem Avro finds
     * ({@code READER_FIELD_MISSING_DEFAULT_VALUE at /fields/6: venueSeq (new schema reading old data)}); empty when it may.
     */
    public List<String> incompatibilities(Schema candidate, Schema previous) {
        List<String> problems = new ArrayList<>();
        if (newReadsOld) {
            problems.addAll(describe(candidate, previous, "new schema reading old data"));
        }
        if (oldReadsNew) {
            problems.addAll(describe(previous, candidate, "old schema reading new data"));
        }
        return problems;
    }

    private static List<String> describe(Schema reader, Schema writer, String direction) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage() + " (" + direction + ")")
                .toList();
    }

    /** The level named {@code text}, in any case, as the REST API accepts it. */
    public static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SchemaRegistryException("Invalid compatibility level '" + text + "'. Valid values are none, "
                    + "backward, forward, full, backward_transitive, forward_transitive, and full_transitive", 422,
                    SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
        }
    }
}
