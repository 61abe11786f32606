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
 * PostgreSQL for a JVM running as root, which PostgreSQL refuses: the zonky binaries are extracted to a
 * world-readable cache and {@code initdb}/{@code postgres} run as an unprivileged OS user through {@code setpriv}
 * (or {@code runuser}). The user is {@code nobody}; if that does not exist, a system user {@code riptide-pg} is
 * created (logged). The data directory is a fresh temporary directory owned by that user.
 */
public final class UnprivilegedPostgres implements PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(UnprivilegedPostgres.class);
    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MS = 60_000;

    private final Path installation;
    private final Path home;
    private final OsUser user;
    private final Process process;
    private final int port;

    private UnprivilegedPostgres(Path installation, Path home, OsUser user, Process process, int port) {
        this.installation = installation;
        this.home = home;
        this.user = user;
        this.process = process;
        this.port = port;
    }

    /** True when this JVM runs as root (uid 0), where PostgreSQL must be started as another user. */
    public static boolean runningAsRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor() == 0 && out.equals("0");
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public static UnprivilegedPostgres start() {
        Path installation = PostgresBinaries.install();
        OsUser user = OsUser.unprivileged();
        Path home = null;
        try {
            home = Files.createTempDirectory("riptide-pg-");
            UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(home, lookup.lookupPrincipalByName(user.name()));
            PostgresBinaries.setMode(home, "rwx------");
            Path data = home.resolve("data");
            user.run(List.of(installation.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), home.resolve("initdb.log"), 120);
            IOException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                Process process = user.start(serverCommand(installation, home, data, port), home.resolve("postgres.log"));
                try {
                    awaitReady(process, port, home.resolve("postgres.log"));
                    return new UnprivilegedPostgres(installation, home, user, process, port);
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

    private static List<String> serverCommand(Path installation, Path home, Path data, int port) {
        List<String> command = new ArrayList<>(List.of(installation.resolve("bin/postgres").toString(),
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
        return "PostgreSQL 14 as OS user " + user.name() + " (JVM runs as root)";
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                // fast shutdown: roll back open transactions and disconnect clients instead of waiting for them
                user.run(List.of(installation.resolve("bin/pg_ctl").toString(), "-D", home.resolve("data").toString(),
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
