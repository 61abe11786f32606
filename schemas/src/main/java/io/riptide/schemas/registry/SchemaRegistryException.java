package io.riptide.schemas.registry;

/**
 * A Schema Registry call failed. Carries the HTTP status and Confluent error code when the registry answered
 * (both -1 when it did not, e.g. connection refused). When the registry could not answer at all the failure is the
 * subclass {@link SchemaRegistryUnavailableException}.
 */
public class SchemaRegistryException extends RuntimeException {
    /** Confluent error code for an unknown subject. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code for an unknown version. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code for an unknown schema (by id or by lookup). */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code for a subject without a compatibility level of its own. */
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Confluent error code (and HTTP status) for a schema the subject's compatibility level refuses. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code for a schema that does not parse. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent error code for an unknown compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, -1, -1, cause);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the registry said the schema or subject does not exist (as opposed to being unreachable). */
    public boolean isNotFound() {
        return errorCode == SCHEMA_NOT_FOUND || errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND;
    }
}
