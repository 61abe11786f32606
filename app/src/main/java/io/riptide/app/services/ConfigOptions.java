package io.riptide.app.services;

import io.riptide.schemas.config.Settings;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@code --config FILE} option every service command shares; RIPTIDE_* environment variables override it. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (keys as in docs/CONFIGURATION.md); RIPTIDE_* environment variables override it.")
    Path file;

    public Settings load() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return Settings.load(file, System.getenv(), Map.of());
    }
}
