package io.riptide.feed;

import org.junit.jupiter.api.Assumptions;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Locates the project's shared real-data folder and this module's test resources. */
public final class SharedData {
    private SharedData() {
    }

    /**
     * The folder {@code ../shared/data/<name>} relative to the repository root; Maven runs tests from the module
     * folder, so both {@code ../../shared/data} and {@code ../shared/data} are tried. Skips the test with a message
     * when it is absent (a fresh clone has no shared data).
     */
    public static Path require(String name) {
        for (String base : List.of("../../shared/data", "../shared/data")) {
            Path p = Path.of(base, name);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        Assumptions.abort("shared data folder ../shared/data/" + name + " is absent; skipping the full-data test");
        throw new AssertionError("unreachable");
    }

    public static Path resource(String name) {
        URL url = SharedData.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
