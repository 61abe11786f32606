package io.riptide.embedded.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** PostgreSQL 14 from the zonky binaries, started by zonky itself; only possible when not running as root. */
public final class ZonkyPostgres implements PostgresServer {
    private final EmbeddedPostgres postgres;

    private ZonkyPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    private static final int START_ATTEMPTS = 3;

    /** Zonky picks a free port and then binds it; another process can take it in between, so a failure is retried. */
    public static ZonkyPostgres start(Path dataDirectory) {
        UncheckedIOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(dataDirectory);
            } catch (UncheckedIOException e) {
                last = e;
                LoggerFactory.getLogger(ZonkyPostgres.class).warn("PostgreSQL start attempt {}/{} failed: {}",
                        attempt, START_ATTEMPTS, e.getMessage());
            }
        }
        throw last;
    }

    private static ZonkyPostgres startOnce(Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory);
            }
            PostgresTuning.SERVER_CONFIG.forEach(builder::setServerConfig);
            return new ZonkyPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL (zonky): " + e.getMessage(), e);
        }
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String description() {
        return "zonky PostgreSQL 14";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
