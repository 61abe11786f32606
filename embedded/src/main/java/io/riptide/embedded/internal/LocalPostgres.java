package io.riptide.embedded.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL started by us from a binaries directory ({@code initdb} into a fresh temporary data directory, then
 * {@code postgres} as a child process). Used where zonky cannot do it:
 * <ul>
 *   <li>the JVM runs as root, which PostgreSQL refuses: the processes run as an unprivileged OS user through
 *       {@code setpriv} (or {@code runuser}); the user is {@code nobody}, or a system user {@code riptide-pg}
 *       created on the spot (logged) if there is no {@code nobody}; the data directory is owned by that user;</li>
 *   <li>the binaries come from elsewhere than zonky's jar (an explicit directory, or the machine's installation on a
 *       platform zonky ships no binaries for).</li>
 * </ul>
 */
public final class LocalPostgres implements PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MS = 60_000;

    private final Path bin;
    private final Path home;
    private final OsUser user;
    private final Process process;
    private final int port;

    private LocalPostgres(Path bin, Path home, OsUser user, Process process, int port) {
        this.bin = bin;
        this.home = home;
        this.user = user;
        this.process = process;
        this.port = port;
    }

    /** True when this JVM runs as root (uid 0), where PostgreSQL must be started as another user. */
    public static boolean runningAsRoot() {
        return OsUser.runningAsRoot();
    }

    /**
     * Starts PostgreSQL from {@code bin} (the directory holding {@code initdb} and {@code postgres}), as an
     * unprivileged OS user when this JVM is root, else as ourselves.
     */
    public static LocalPostgres start(Path bin) {
        OsUser user = OsUser.runningAsRoot() ? OsUser.unprivileged() : OsUser.current();
        Path home = null;
        try {
            home = Files.createTempDirectory("riptide-pg-");
            if (!user.isCurrent()) {
                UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(home, lookup.lookupPrincipalByName(user.name()));
            }
            PostgresBinaries.setMode(home, "rwx------");
            Path data = home.resolve("data");
            user.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), home.resolve("initdb.log"), 120);
            IOException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                Process process = user.start(serverCommand(bin, home, data, port), home.resolve("postgres.log"));
                try {
                    awaitReady(process, port, home.resolve("postgres.log"));
                    return new LocalPostgres(bin, home, user, process, port);
                } catch (IOException e) {
                    // most likely the port was taken between choosing and binding it: try another
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    lastFailure = e;
                    LOG.warn("PostgreSQL did not start on port {} (attempt {}/{}): {}", port, attempt, START_ATTEMPTS,
                            e.getMessage());
                }
            }
            throw lastFailure;
        } catch (IOException e) {
            deleteQuietly(home);
            throw new UncheckedIOException("cannot start PostgreSQL as OS user " + user.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(home);
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    private static List<String> serverCommand(Path bin, Path home, Path data, int port) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(),
                "-D", data.toString(), "-p", Integer.toString(port), "-k", home.toString()));
        PostgresTuning.SERVER_CONFIG.forEach((key, value) -> {
            command.add("-c");
            command.add(key + "=" + value);
        });
        return command;
    }

    private static void awaitReady(Process process, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        SQLException last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("postgres exited with code " + process.exitValue() + ": " + tail(log));
            }
            try (Connection ignored = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new IOException("postgres did not accept connections on port " + port + " within "
                + READY_TIMEOUT_MS / 1000 + " s (" + (last == null ? "" : last.getMessage()) + "): " + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String description() {
        return "PostgreSQL from " + bin + (user.isCurrent() ? "" : " as OS user " + user.name() + " (JVM runs as root)");
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                // fast shutdown: roll back open transactions and disconnect clients instead of waiting for them
                user.run(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(),
                        "-m", "fast", "-w", "-t", "30", "stop"), home.resolve("pg_ctl.log"), 60);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed, killing postgres: {}", e.getMessage());
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            deleteQuietly(home);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            FileTrees.deleteRecursively(path);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", path, e.getMessage());
        }
    }
}
