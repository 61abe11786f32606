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
 * A registry held in memory, with Confluent's id semantics: ids are global, the same schema text gets the same id
 * under every subject, and registering a schema a subject already has returns the existing id without a new
 * version. Thread-safe (one lock; registration is rare and cheap).
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** One version of a subject, as the REST API reports it. */
    public record SubjectVersion(String subject, int version, int id, Schema schema) {
    }

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<SubjectVersion>> versionsBySubject = new TreeMap<>();
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Optional<SubjectVersion> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
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

    /** All versions of {@code subject}, oldest first; empty if the subject is unknown. */
    public synchronized List<SubjectVersion> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }
}
