package io.riptide.schemas.registry;

import org.apache.avro.Schema;

/**
 * The two Schema Registry operations the serde needs. Implementations are thread-safe and throw
 * {@link SchemaRegistryException} on any failure: its subclass {@link SchemaRegistryUnavailableException} when the
 * registry could not answer (so the caller retries later), {@link SchemaRegistryException#isNotFound()} when it
 * answered that the id or subject does not exist.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}; throws {@link SchemaRegistryException} with error code 40403 if unknown. */
    Schema getById(int id);
}
