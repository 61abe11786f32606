package io.riptide.schemas.registry;

/**
 * The Schema Registry could not give an answer about the schema: the connection was refused or broke, the request
 * timed out, the registry answered HTTP 5xx or 429, refused our credentials (401, 403), or answered 404 without a
 * Confluent error code (a wrong URL or a proxy, not the registry saying the id is unknown), all after the client's
 * bounded retries. Or the calling thread was interrupted while waiting for it.
 *
 * <p><b>Contract.</b> This is not a fault of the record being read: {@code AvroWireDeserializer} throws it, and never
 * a {@link org.apache.kafka.common.errors.SerializationException}, when it cannot get the writer schema for this
 * reason. A caller must not dead-letter the record; it should keep it and try again later (pause the partition and
 * back off, or fail the task so it restarts), because the same bytes will decode once the registry is back. It is
 * unchecked and deliberately not a {@code SerializationException}, so code that dead-letters on
 * {@code SerializationException} does not swallow it by accident. Where it shows up:
 * <ul>
 *   <li>calling the deserializer directly (e.g. a Streams processor decoding raw bytes): thrown as is;</li>
 *   <li>Kafka Streams source deserialization: handed to the {@code DeserializationExceptionHandler}, which should
 *       answer FAIL for it rather than CONTINUE or dead-letter;</li>
 *   <li>a plain {@code KafkaConsumer}: {@code poll()} throws a {@code RecordDeserializationException} (itself a
 *       {@code SerializationException}) whose {@link #getCause() cause} is this exception; do not seek past it.</li>
 * </ul>
 * An unknown schema id (HTTP 404 with Confluent error code 40403) is a different case: that record can never be
 * read, and the deserializer reports it as a {@code SerializationException} ("unknown schema id N").
 *
 * <p>Nothing about an outage is cached: the next call asks the registry again.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
