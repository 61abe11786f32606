package io.riptide.embedded.internal;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Finds PostgreSQL binaries for {@link LocalPostgres}. First choice: the ones that ship in zonky's jar, extracted into
 * a shared, world-readable cache directory so that an unprivileged OS user can execute them (once per binaries
 * version; concurrent JVMs race safely: extract to a private directory, then an atomic rename). Where zonky ships
 * none for this platform: the machine's own installation.
 */
public final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String COMPLETE_MARKER = ".riptide-complete";

    private PostgresBinaries() {
    }

    /** Environment variable naming a directory with {@code initdb}, {@code postgres} and {@code pg_ctl}. */
    public static final String BIN_DIRECTORY_ENV = "RIPTIDE_POSTGRES_BIN";

    /** True when zonky's jar has binaries for this OS and CPU, i.e. plain zonky can run here. */
    public static boolean zonkyAvailable() {
        try (InputStream in = resource(zonkyOs())) {
            return in != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A {@code bin} directory: zonky's binaries if it has some for this platform, else the machine's. */
    public static Path zonkyOrSystem() {
        if (zonkyAvailable()) {
            return extractZonky().resolve("bin");
        }
        return system().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries for "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": zonky ships none and none"
                + " were found in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin or PATH; set " + BIN_DIRECTORY_ENV
                + " to a directory holding initdb, postgres and pg_ctl"));
    }

    /** The machine's PostgreSQL {@code bin} directory (newest version first), if there is one. */
    public static java.util.Optional<Path> system() {
        java.util.List<Path> candidates = new java.util.ArrayList<>();
        for (String root : new String[] {"/usr/lib/postgresql", "/usr/local/lib/postgresql"}) {
            candidates.addAll(versionDirectories(Path.of(root), "", "bin"));
        }
        candidates.addAll(versionDirectories(Path.of("/usr"), "pgsql-", "bin"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir));
            }
        }
        candidates.add(Path.of("/opt/homebrew/bin"));
        candidates.add(Path.of("/usr/local/bin"));
        return candidates.stream().filter(PostgresBinaries::isBinDirectory).findFirst();
    }

    static boolean isBinDirectory(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"))
                && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static java.util.List<Path> versionDirectories(Path root, String prefix, String bin) {
        if (!Files.isDirectory(root)) {
            return java.util.List.of();
        }
        try (var children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().substring(prefix.length()).matches("\\d+(\\.\\d+)?"))
                    .sorted(java.util.Comparator.comparingDouble((Path p) ->
                            Double.parseDouble(p.getFileName().toString().substring(prefix.length()))).reversed())
                    .map(p -> p.resolve(bin))
                    .toList();
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    /** Zonky's binaries extracted; the installation root (containing {@code bin/}, {@code lib/}, {@code share/}). */
    static Path extractZonky() {
        Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"), "riptide-postgres-binaries");
        try {
            Files.createDirectories(cacheRoot);
            setMode(cacheRoot, "rwxr-xr-x");
            Path download = Files.createTempFile(cacheRoot, "pg-", ".txz");
            String digest;
            try (InputStream in = resource(zonkyOs())) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                Files.copy(new DigestInputStream(in, sha), download, StandardCopyOption.REPLACE_EXISTING);
                digest = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            }
            Path target = cacheRoot.resolve("pg-" + digest);
            if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                Files.deleteIfExists(download);
                return target;
            }
            Path staging = Files.createTempDirectory(cacheRoot, "staging-");
            extract(download, staging);
            Files.deleteIfExists(download);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            setMode(staging, "rwxr-xr-x");
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Extracted PostgreSQL binaries to {}", target);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another JVM won the race (or left an incomplete copy behind, which we replace)
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
                    FileTrees.deleteRecursively(target);
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    FileTrees.deleteRecursively(staging);
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move extracted binaries into place: " + e.getMessage(), e);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract PostgreSQL binaries into " + cacheRoot + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String zonkyOs() {
        String os = System.getProperty("os.name");
        return os.startsWith("Mac") ? "Darwin" : os.startsWith("Windows") ? "Windows" : "Linux";
    }

    private static InputStream resource(String os) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String zonkyArch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, zonkyArch);
        if (in == null) {
            throw new IOException("no PostgreSQL binaries for " + os + "/" + zonkyArch + " on the class path");
        }
        return in;
    }

    private static void extract(Path archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    setMode(path, "rwxr-xr-x");
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    setMode(path, executable ? "rwxr-xr-x" : "rw-r--r--");
                }
            }
        }
    }

    static void setMode(Path path, String mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(PosixFilePermissions.fromString(mode));
        Files.setPosixFilePermissions(path, permissions);
    }
}
