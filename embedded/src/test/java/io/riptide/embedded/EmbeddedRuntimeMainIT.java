package io.riptide.embedded;

import io.riptide.embedded.internal.FileTrees;
import io.riptide.embedded.internal.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code EmbeddedRuntimeMain --check} in a fresh JVM as an unprivileged user: the way a developer on a laptop
 * runs it. When the build runs as root (CI, containers), the child runs as {@code nobody}, so the plain zonky
 * PostgreSQL path is proven here too, next to the root path the other ITs take; otherwise it runs as ourselves.
 */
class EmbeddedRuntimeMainIT {

    @Test
    void checkRunSucceedsAsAnUnprivilegedUser() throws Exception {
        boolean root = LocalPostgres.runningAsRoot();
        Path sandbox = Files.createTempDirectory("riptide-main-it-");
        try {
            List<String> command = new ArrayList<>();
            String classPath;
            if (root) {
                Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxr-xr-x"));
                classPath = worldReadableClassPath(sandbox.resolve("cp"));
                Path home = Files.createDirectories(sandbox.resolve("home"));
                String uid = exec("id", "-u", "nobody");
                String gid = exec("id", "-g", "nobody");
                exec("chown", uid + ":" + gid, home.toString());
                command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                        "env", "HOME=" + home));
            } else {
                classPath = testClassPath().stream().map(Path::toString)
                        .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
            }
            Path tmp = Files.createDirectories(sandbox.resolve("tmp"));
            if (root) {
                exec("chown", exec("id", "-u", "nobody") + ":" + exec("id", "-g", "nobody"), tmp.toString());
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", classPath,
                    EmbeddedRuntimeMain.class.getName(), "--check"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "child JVM did not finish");
            String tail = output.length() > 4000 ? output.substring(output.length() - 4000) : output;
            assertEquals(0, process.exitValue(), tail);
            assertTrue(output.contains("check ok: PostgreSQL 14"), tail);
            assertTrue(output.contains("zonky PostgreSQL 14"), "expected the plain zonky path: " + tail);
            output.lines().filter(l -> l.contains("Embedded runtime up") || l.startsWith("started in"))
                    .forEach(l -> System.out.println("child JVM" + (root ? " as nobody" : "") + ": " + l));
        } finally {
            FileTrees.deleteRecursively(sandbox);
        }
    }

    private static List<Path> testClassPath() {
        String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(raw.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of)
                .filter(Files::exists).toList();
    }

    /** Hard links (or copies) of every class path entry under {@code into}, readable by any user. */
    private static String worldReadableClassPath(Path into) throws IOException, InterruptedException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Path entry : testClassPath()) {
            Path target = into.resolve((n++) + "-" + entry.getFileName());
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path copy = target.resolve(entry.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        } else {
                            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.createDirectories(into);
                try {
                    Files.createLink(target, entry);
                } catch (FileSystemException | UnsupportedOperationException e) {
                    Files.copy(entry, target);
                }
            }
            entries.add(target.toString());
        }
        exec("chmod", "-R", "a+rX", into.toString());
        return String.join(File.pathSeparator, entries);
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
