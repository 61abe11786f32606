package io.riptide.app.services.http;

import io.javalin.security.RouteRole;

import java.util.Locale;

/**
 * What a token may do on the ops API: {@code read} every GET, {@code operate} retrain, roll back and promote,
 * {@code force} a retrain that skips the quality gates (needs {@code operate} too).
 */
public enum OpsRole implements RouteRole {
    READ, OPERATE, FORCE;

    public static OpsRole parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "': expected read, operate or force");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
