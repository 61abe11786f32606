package io.riptide.schemas.avro;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard must be able to fail: deliberately incompatible pairs, laid out like src/main/avro. */
class SchemaEvolutionCheckTest {
    @TempDir
    Path dir;

    private static final String VENUE = """
            {"type": "enum", "name": "Venue", "namespace": "t", "symbols": [%s]}""";
    private static final String QUOTE = """
            {"type": "record", "name": "Quote", "namespace": "t", "fields": [
              {"name": "price", "type": "double"}, {"name": "venue", "type": "Venue"}%s]}""";

    private Path folder(String path, String venueSymbols, String extraQuoteFields) throws IOException {
        Path folder = dir.resolve(path);
        Files.createDirectories(folder.resolve("common"));
        Files.writeString(folder.resolve("common/Venue.avsc"), VENUE.formatted(venueSymbols));
        Files.writeString(folder.resolve("Quote.avsc"), QUOTE.formatted(extraQuoteFields));
        return folder;
    }

    private List<String> check(Path current) {
        return SchemaEvolutionCheck.incompatibilities(SchemaEvolutionCheck.load(current), dir.resolve("released"));
    }

    @Test
    void aFieldAddedWithoutDefaultFailsNamingTheSchemaAndAvrosReason() throws IOException {
        folder("released/0.1.0", "\"A\", \"B\"", "");
        Path current = folder("current", "\"A\", \"B\"", ", {\"name\": \"size\", \"type\": \"double\"}");
        assertEquals(List.of("t.Quote is not BACKWARD compatible with release 0.1.0: READER_FIELD_MISSING_DEFAULT_VALUE"
                + " at /fields/2: size (new schema reading old data)"), check(current));
    }

    @Test
    void aSymbolRemovedFromACommonEnumFailsThroughTheRecordThatUsesIt() throws IOException {
        folder("released/0.1.0", "\"A\", \"B\"", "");
        Path current = folder("current", "\"A\"", "");
        List<String> problems = check(current);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("t.Quote is not BACKWARD compatible with release 0.1.0: "
                + "MISSING_ENUM_SYMBOLS at /fields/1/type/symbols: [B]"), problems.get(0));
    }

    @Test
    void compatibleChangesAndNewSchemasPass() throws IOException {
        folder("released/0.1.0", "\"A\"", "");
        Path current = folder("current", "\"A\", \"B\"", ", {\"name\": \"size\", \"type\": \"double\", \"default\": 0}");
        Files.writeString(current.resolve("Fresh.avsc"), """
                {"type": "record", "name": "Fresh", "namespace": "t", "fields": [{"name": "v", "type": "Venue"}]}""");
        assertEquals(List.of(), check(current));
    }

    @Test
    void theNewestReleaseWithTheSchemaIsTheReference() throws IOException {
        folder("released/0.9.0", "\"A\"", "");
        folder("released/0.10.0", "\"A\"", ", {\"name\": \"size\", \"type\": \"double\"}");
        // valid against 0.10.0 (size is still there), though 0.9.0 data has no size: only the last release counts
        Path current = folder("current", "\"A\"", ", {\"name\": \"size\", \"type\": \"double\"}");
        assertEquals(List.of(), check(current));
        Path removedDefault = folder("current2", "\"A\"", ", {\"name\": \"size\", \"type\": \"double\"},"
                + " {\"name\": \"venue2\", \"type\": \"Venue\"}");
        assertTrue(check(removedDefault).get(0).contains("release 0.10.0"), check(removedDefault).toString());
    }
}
