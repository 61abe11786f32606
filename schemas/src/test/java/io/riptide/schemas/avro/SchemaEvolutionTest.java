package io.riptide.schemas.avro;

import io.riptide.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build-time guard: every schema in src/main/avro must stay BACKWARD compatible with its last release under
 * src/test/resources/released-schemas (docs/SCHEMAS.md, "Schema evolution", says how to cut a release).
 */
class SchemaEvolutionTest {
    private static final Path SOURCES = Path.of("src/main/avro");
    private static final Path RELEASES = Path.of("src/test/resources/released-schemas");

    @Test
    void everySchemaIsBackwardCompatibleWithItsLastRelease() {
        List<String> problems = SchemaEvolutionCheck.incompatibilities(SchemaEvolutionCheck.load(SOURCES), RELEASES);
        assertTrue(problems.isEmpty(), "incompatible schema changes (a consumer with the new schema could not read "
                + "data written with the released one):\n" + String.join("\n", problems));
    }

    @Test
    void theCheckSeesTheSchemasTheBuildCompiles() {
        Map<String, Schema> current = SchemaEvolutionCheck.load(SOURCES);
        // what the generated classes were compiled from, so the guard cannot pass by reading nothing; compared in
        // parsing canonical form because the plugin adds avro.java.string properties
        for (var topic : Topics.ALL) {
            Schema compiled = SpecificData.get().getSchema(topic.valueClass());
            Schema read = current.get(compiled.getFullName());
            assertTrue(read != null, compiled.getFullName() + " is not among " + current.keySet());
            assertEquals(SchemaNormalization.toParsingForm(compiled), SchemaNormalization.toParsingForm(read));
        }
        assertTrue(SchemaEvolutionCheck.releases(RELEASES).stream()
                .anyMatch(r -> r.getFileName().toString().equals("0.1.0")), "the 0.1.0 baseline is there");
        // a schema no release has is new and passes (docs/SCHEMAS.md); a released one must not disappear, since
        // data written with it may still be read
        Set<String> released = SchemaEvolutionCheck.load(RELEASES.resolve("0.1.0")).keySet();
        assertTrue(current.keySet().containsAll(released), "a released schema was removed: " + released);
    }
}
