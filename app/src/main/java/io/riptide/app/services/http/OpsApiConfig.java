package io.riptide.app.services.http;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings of a service's HTTP server ({@code /health}, {@code /metrics}) and of the trigger's ops API on it.
 *
 * @param bindAddress where to listen: {@code http.bind.address}, by default 127.0.0.1, or 0.0.0.0 inside a
 *                    container (where a port is only reachable through the container's network anyway)
 * @param bindReason  why that address (for the start-up log line)
 * @param tokens      bearer tokens of the ops API ({@code ops.api.tokens.file} and {@code ops.api.tokens}), hashed
 */
public record OpsApiConfig(String bindAddress, String bindReason, OpsTokens tokens) {

    /** The trigger's: bind address and ops API tokens. */
    public static OpsApiConfig from(Settings s) {
        OpsApiConfig bind = bindOnly(s);
        return new OpsApiConfig(bind.bindAddress(), bind.bindReason(), tokens(s));
    }

    /** The stream's (no ops API there, so no tokens are read): the bind address alone. */
    public static OpsApiConfig bindOnly(Settings s) {
        String bind = s.string("http.bind.address", null);
        String reason;
        if (bind != null) {
            reason = "http.bind.address";
        } else if (inContainer()) {
            bind = "0.0.0.0";
            reason = "default inside a container";
        } else {
            bind = "127.0.0.1";
            reason = "default outside containers; set http.bind.address to listen elsewhere";
        }
        if (!bind.matches("[0-9A-Za-z.:\\-\\[\\]]+")) {
            throw new ConfigException("invalid value '" + bind + "' for http.bind.address: expected a host name or IP");
        }
        return new OpsApiConfig(bind, reason, OpsTokens.none());
    }

    private static OpsTokens tokens(Settings s) {
        OpsTokens tokens = OpsTokens.none();
        String file = s.string("ops.api.tokens.file", null);
        if (file != null) {
            Path path = Path.of(file);
            try {
                tokens = tokens.plus(OpsTokens.parse(Files.readString(path), "ops.api.tokens.file " + path));
            } catch (IOException e) {
                throw new ConfigException("cannot read ops.api.tokens.file " + path + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        String inline = s.string("ops.api.tokens", null);
        if (inline != null) {
            try {
                tokens = tokens.plus(OpsTokens.parse(inline, "ops.api.tokens"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return tokens;
    }

    public OpsApiConfig withTokens(OpsTokens more) {
        return new OpsApiConfig(bindAddress, bindReason, tokens.plus(more));
    }

    /** Docker and Podman leave a marker file; Kubernetes sets KUBERNETES_SERVICE_HOST. */
    static boolean inContainer() {
        return Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv"))
                || System.getenv("KUBERNETES_SERVICE_HOST") != null;
    }
}
