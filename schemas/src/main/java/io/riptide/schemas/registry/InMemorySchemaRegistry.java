package io.riptide.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A registry held in memory, with Confluent's semantics: ids are global, the same schema text gets the same id
 * under every subject, and registering a schema a subject already has returns the existing id without a new
 * version. A new version must be compatible with the subject's earlier ones at the subject's
 * {@link CompatibilityLevel} (its own, else the global one, {@link CompatibilityLevel#BACKWARD} unless set), or
 * registration fails with HTTP status and error code 409. Thread-safe (one lock; registration is rare and cheap).
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** One version of a subject, as the REST API reports it. */
    public record SubjectVersion(String subject, int version, int id, Schema schema) {
    }

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<SubjectVersion>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> levelsBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Optional<SubjectVersion> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<String> problems = incompatibilities(subject, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for "
                    + "subject \"" + subject + "\" (" + effectiveCompatibility(subject) + "), details: "
                    + String.join("; ", problems), SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        }
        String text = schema.toString();
        Integer id = idsBySchemaText.get(text);
        if (id == null) {
            id = nextId++;
            idsBySchemaText.put(text, id);
            schemasById.put(id, schema);
        }
        List<SubjectVersion> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        versions.add(new SubjectVersion(subject, versions.size() + 1, id, schemasById.get(id)));
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    /** The version of {@code subject} holding exactly {@code schema}, if any. */
    public synchronized Optional<SubjectVersion> lookup(String subject, Schema schema) {
        String text = schema.toString();
        return versionsBySubject.getOrDefault(subject, List.of()).stream()
                .filter(v -> v.schema().toString().equals(text))
                .findFirst();
    }

    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /**
     * Why {@code schema} could not be registered as the next version of {@code subject} at its compatibility level,
     * one line per problem, each naming the version it conflicts with; empty when it could.
     */
    public synchronized List<String> incompatibilities(String subject, Schema schema) {
        CompatibilityLevel level = effectiveCompatibility(subject);
        List<SubjectVersion> versions = versionsBySubject.getOrDefault(subject, List.of());
        List<String> problems = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0 && (level.transitive() || i == versions.size() - 1); i--) {
            SubjectVersion old = versions.get(i);
            level.incompatibilities(schema, old.schema())
                    .forEach(p -> problems.add("version " + old.version() + ": " + p));
        }
        return problems;
    }

    /** The level for subjects without one of their own; {@link CompatibilityLevel#BACKWARD} unless set. */
    public synchronized CompatibilityLevel compatibility() {
        return globalLevel;
    }

    public synchronized void setCompatibility(CompatibilityLevel level) {
        globalLevel = Objects.requireNonNull(level, "level");
    }

    /** The level set for {@code subject} itself, if any. */
    public synchronized Optional<CompatibilityLevel> compatibility(String subject) {
        return Optional.ofNullable(levelsBySubject.get(subject));
    }

    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levelsBySubject.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(level, "level"));
    }

    /** The level {@code subject}'s next version is checked at: its own, else the global one. */
    public synchronized CompatibilityLevel effectiveCompatibility(String subject) {
        return levelsBySubject.getOrDefault(subject, globalLevel);
    }

    /** All versions of {@code subject}, oldest first; empty if the subject is unknown. */
    public synchronized List<SubjectVersion> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }
}
