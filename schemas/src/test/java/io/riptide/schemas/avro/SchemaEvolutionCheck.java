package io.riptide.schemas.avro;

import io.riptide.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks the schemas of the working tree against released ones. A schema folder is read as the avro-maven-plugin
 * reads {@code src/main/avro} (see schemas/pom.xml): the {@code common/} folder is imported first, then the top-level
 * {@code .avsc} files, all with one parser so they can refer to each other. Each top-level schema must be
 * {@link CompatibilityLevel#BACKWARD} compatible with the newest release folder that has a schema of the same full
 * name; a schema no release has is new and passes. Changes to {@code common/} types are checked through the
 * top-level schemas that use them.
 */
final class SchemaEvolutionCheck {
    static final String COMMON = "common";

    private SchemaEvolutionCheck() {
    }

    /** The top-level schemas of a schema folder, by full name, in file order. */
    static Map<String, Schema> load(Path folder) {
        SchemaParser parser = new SchemaParser();
        try {
            Path common = folder.resolve(COMMON);
            if (Files.isDirectory(common)) {
                for (Path file : avscFiles(common)) {
                    parser.parse(file);
                }
            }
            List<SchemaParser.ParseResult> topLevel = new ArrayList<>();
            for (Path file : avscFiles(folder)) {
                topLevel.add(parser.parse(file));
            }
            Map<String, Schema> result = new LinkedHashMap<>();
            for (SchemaParser.ParseResult parsed : topLevel) {
                Schema schema = parser.resolve(parsed);
                result.put(schema.getFullName(), schema);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas in " + folder, e);
        }
    }

    private static List<Path> avscFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".avsc"))
                    .sorted().toList();
        }
    }

    /** The release folders under {@code releasesRoot}, newest first ({@code 0.10.0} is newer than {@code 0.9.0}). */
    static List<Path> releases(Path releasesRoot) {
        try (Stream<Path> folders = Files.list(releasesRoot)) {
            return folders.filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString(), SchemaEvolutionCheck::compareVersions)
                            .reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the releases in " + releasesRoot, e);
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** One line per incompatibility of a {@code current} schema with its newest release; empty when there is none. */
    static List<String> incompatibilities(Map<String, Schema> current, Path releasesRoot) {
        Map<Path, Map<String, Schema>> released = new LinkedHashMap<>();
        for (Path release : releases(releasesRoot)) {
            released.put(release, load(release));
        }
        List<String> problems = new ArrayList<>();
        current.forEach((name, schema) -> released.entrySet().stream()
                .filter(r -> r.getValue().containsKey(name))
                .findFirst()
                .ifPresent(r -> CompatibilityLevel.BACKWARD.incompatibilities(schema, r.getValue().get(name))
                        .forEach(p -> problems.add(name + " is not BACKWARD compatible with release "
                                + r.getKey().getFileName() + ": " + p))));
        return problems;
    }
}
