package io.riptide.embedded;

import io.riptide.embedded.internal.Containers;
import io.riptide.embedded.internal.EmbeddedKafka;
import io.riptide.embedded.internal.FileTrees;
import io.riptide.embedded.internal.KafkaServer;
import io.riptide.embedded.internal.LocalPostgres;
import io.riptide.embedded.internal.PostgresBinaries;
import io.riptide.embedded.internal.PostgresServer;
import io.riptide.embedded.internal.ZonkyPostgres;
import io.riptide.schemas.registry.InProcessSchemaRegistry;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicBootstrap;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Everything Riptide needs to run on one machine with nothing installed: a single-node KRaft Kafka broker set up for
 * exactly-once, PostgreSQL 14 with a database {@value #DATABASE}, and a Confluent-compatible schema registry over
 * HTTP; then all {@link Topics#ALL} are created. Kafka and PostgreSQL start in parallel. {@link #close()} stops
 * everything in reverse order and also works on a half-started runtime; a JVM shutdown hook closes a runtime that
 * was never closed, so no PostgreSQL process outlives the JVM.
 *
 * <p>When the JVM runs as root (containers, CI), PostgreSQL is started as an unprivileged OS user, because it
 * refuses to run as root; see {@link LocalPostgres}.
 *
 * <p>With the system property {@code riptide.runtime=testcontainers} (the Maven profile {@code testcontainers}),
 * Kafka and PostgreSQL run in Docker containers instead ({@link Containers}); the registry stays in-process.
 */
public final class EmbeddedRuntime implements AutoCloseable {
    public static final String DATABASE = "riptide";
    private static final String USER = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);

    /**
     * @param workDirectory         where Kafka and (when zonky runs it) PostgreSQL keep their data, in subdirectories
     *                              {@code kafka} and {@code postgres} that are wiped at start (the runtime is always
     *                              fresh); null for a temporary directory deleted on close. PostgreSQL started by
     *                              us (as root, or from other binaries) always uses its own temporary directory.
     * @param topics                the topics to create, usually {@link Topics#ALL}
     * @param postgresBinDirectory  a directory with {@code initdb}, {@code postgres} and {@code pg_ctl} to use instead
     *                              of zonky's binaries; null for zonky's (or the machine's, where zonky has none).
     *                              {@link #defaults()} takes it from {@code RIPTIDE_POSTGRES_BIN}.
     */
    public record Options(Path workDirectory, Collection<Topic<?>> topics, Path postgresBinDirectory) {
        public Options {
            topics = List.copyOf(topics);
        }

        public Options(Path workDirectory, Collection<Topic<?>> topics) {
            this(workDirectory, topics, binDirectoryFromEnvironment());
        }

        public static Options defaults() {
            return new Options(null, Topics.ALL);
        }

        public Options withWorkDirectory(Path directory) {
            return new Options(directory, topics, postgresBinDirectory);
        }

        public Options withTopics(Collection<Topic<?>> newTopics) {
            return new Options(workDirectory, newTopics, postgresBinDirectory);
        }

        public Options withPostgresBinDirectory(Path directory) {
            return new Options(workDirectory, topics, directory);
        }

        private static Path binDirectoryFromEnvironment() {
            String value = System.getenv(PostgresBinaries.BIN_DIRECTORY_ENV);
            if (value == null || value.isBlank()) {
                return null;
            }
            Path dir = Path.of(value);
            if (!Files.isExecutable(dir.resolve("initdb")) || !Files.isExecutable(dir.resolve("postgres"))) {
                throw new IllegalArgumentException(PostgresBinaries.BIN_DIRECTORY_ENV + "=" + value
                        + " does not hold executable initdb and postgres");
            }
            return dir;
        }
    }

    private final Object lock = new Object();
    private Path temporaryDirectory;
    private KafkaServer kafka;
    private PostgresServer postgres;
    private InProcessSchemaRegistry schemaRegistry;
    private PGSimpleDataSource dataSource;
    private Thread shutdownHook;
    private boolean closed;
    private long startMillis;

    private EmbeddedRuntime() {
    }

    public static EmbeddedRuntime start() {
        return start(Options.defaults());
    }

    public static EmbeddedRuntime start(Options options) {
        EmbeddedRuntime runtime = new EmbeddedRuntime();
        try {
            runtime.startAll(options);
            return runtime;
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    private void startAll(Options options) {
        long t0 = System.nanoTime();
        shutdownHook = new Thread(this::closeFromHook, "riptide-embedded-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path work;
        try {
            if (options.workDirectory() == null) {
                temporaryDirectory = Files.createTempDirectory("riptide-embedded-");
                work = temporaryDirectory;
            } else {
                work = Files.createDirectories(options.workDirectory());
                // left over from a run that did not close: the broker refuses to format a used directory
                FileTrees.deleteRecursively(work.resolve("kafka"));
                FileTrees.deleteRecursively(work.resolve("postgres"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create embedded work directory: " + e.getMessage(), e);
        }

        ExecutorService starter = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "riptide-embedded-start");
            t.setDaemon(true);
            return t;
        });
        long[] kafkaMs = new long[1];
        long[] postgresMs = new long[1];
        try {
            boolean containers = Containers.enabled();
            CompletableFuture<KafkaServer> kafkaStart = CompletableFuture.supplyAsync(() -> {
                long s = System.nanoTime();
                try {
                    KafkaServer started = containers ? Containers.kafka() : EmbeddedKafka.start(work.resolve("kafka"));
                    kafkaMs[0] = millisSince(s);
                    return started;
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start " + (containers ? "the Kafka container" : "embedded Kafka")
                            + ": " + e.getMessage(), e);
                }
            }, starter);
            CompletableFuture<PostgresServer> postgresStart = CompletableFuture.supplyAsync(() -> {
                long s = System.nanoTime();
                PostgresServer started = containers ? Containers.postgres()
                        : startPostgres(options, work.resolve("postgres"));
                postgresMs[0] = millisSince(s);
                return started;
            }, starter);
            // keep whatever did start, so close() can stop it even if the other one failed
            RuntimeException failure = null;
            try {
                kafka = kafkaStart.join();
            } catch (CompletionException e) {
                failure = unwrap(e);
            }
            try {
                postgres = postgresStart.join();
            } catch (CompletionException e) {
                RuntimeException cause = unwrap(e);
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starter.shutdownNow();
        }

        long s = System.nanoTime();
        createDatabase();
        dataSource = newDataSource();
        long databaseMs = millisSince(s);

        s = System.nanoTime();
        schemaRegistry = InProcessSchemaRegistry.start();
        long registryMs = millisSince(s);

        s = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicBootstrap.ensureTopics(admin, options.topics(), (short) 1);
        }
        long topicsMs = millisSince(s);

        startMillis = millisSince(t0);
        LOG.info("Embedded runtime up in {} ms: {} ({} ms), {} {} ({} ms + {} ms create db), schema registry {} "
                        + "({} ms), {} topics ({} ms)",
                startMillis, kafka.description(), kafkaMs[0], postgres.description(), jdbcUrl(), postgresMs[0],
                databaseMs, schemaRegistry.url(), registryMs, options.topics().size(), topicsMs);
    }

    private static PostgresServer startPostgres(Options options, Path zonkyDataDirectory) {
        if (options.postgresBinDirectory() != null) {
            return LocalPostgres.start(options.postgresBinDirectory());
        }
        if (LocalPostgres.runningAsRoot()) {
            return LocalPostgres.start(PostgresBinaries.zonkyOrSystem());
        }
        if (PostgresBinaries.zonkyAvailable()) {
            return ZonkyPostgres.start(zonkyDataDirectory);
        }
        return LocalPostgres.start(PostgresBinaries.zonkyOrSystem());
    }

    private void createDatabase() {
        createDatabase(DATABASE);
    }

    private void createDatabase(String name) {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(postgres.jdbcUrl("postgres"));
        admin.setUser(USER);
        admin.setPassword(USER);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " at " + admin.getUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private PGSimpleDataSource newDataSource() {
        return newDataSource(DATABASE);
    }

    private PGSimpleDataSource newDataSource(String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(postgres.jdbcUrl(database));
        source.setUser(USER);
        source.setPassword(USER);
        return source;
    }

    /**
     * Creates another database on the same PostgreSQL server (several copies of the services side by side, as the
     * backtest's arms run) and returns a data source for it.
     *
     * @param name lower-case letters, digits and underscores
     */
    public DataSource createDatabaseNamed(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _, got " + name);
        }
        createDatabase(name);
        return newDataSource(name);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return schemaRegistry.url();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(DATABASE);
    }

    /** The JDBC URL of a database made by {@link #createDatabaseNamed}, for a service run as its own process. */
    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    public String jdbcUser() {
        return USER;
    }

    /** Authentication is {@code trust} on 127.0.0.1, so any password works; this one is what the data source sends. */
    public String jdbcPassword() {
        return USER;
    }

    /** A non-pooled data source for the {@value #DATABASE} database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** How long {@link #start()} took, in milliseconds. */
    public long startMillis() {
        return startMillis;
    }

    /** Stops registry, PostgreSQL and Kafka, in that order; safe to call twice and on a half-started runtime. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long t0 = System.nanoTime();
        List<Exception> failures = new ArrayList<>();
        if (schemaRegistry != null) {
            run(schemaRegistry::close, failures);
        }
        if (postgres != null) {
            run(postgres::close, failures);
        }
        if (kafka != null) {
            run(kafka::close, failures);
        }
        if (temporaryDirectory != null) {
            run(() -> FileTrees.deleteRecursively(temporaryDirectory), failures);
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook is running or has run
            }
        }
        if (failures.isEmpty()) {
            LOG.info("Embedded runtime stopped in {} ms", millisSince(t0));
        } else {
            IllegalStateException e = new IllegalStateException("embedded runtime did not stop cleanly: "
                    + failures.get(0).getMessage(), failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Embedded runtime shutdown hook: {}", e.getMessage());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(Step step, List<Exception> failures) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("Embedded runtime shutdown step failed: {}", e.toString());
            failures.add(e);
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
