package io.riptide.schemas.config;

/** A configuration problem, with a message that names the offending key and where its value came from. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
