package io.riptide.embedded.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

    public static ZonkyPostgres start(Path dataDirectory) {
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
