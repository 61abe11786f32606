package io.riptide.trigger.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** Brings the PostgreSQL schema up to date (Flyway, migrations under db/migration). */
public final class Migrations {
    private Migrations() {
    }

    public static int migrate(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate()
                .migrationsExecuted;
    }
}
