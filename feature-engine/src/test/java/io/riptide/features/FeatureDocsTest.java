package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/FEATURES.md lists every feature the engine knows, each in its own table row. */
class FeatureDocsTest {
    @Test
    void everyFeatureIsDocumented() throws IOException {
        Path doc = Path.of("../docs/FEATURES.md");
        if (!Files.exists(doc)) doc = Path.of("docs/FEATURES.md");
        assertTrue(Files.exists(doc), "docs/FEATURES.md not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(doc);
        List<String> missing = FeatureSet.knownFeatures().stream().filter(n -> !text.contains("| `" + n + "` |")).toList();
        assertTrue(missing.isEmpty(), "features missing from docs/FEATURES.md: " + missing);
    }
}
