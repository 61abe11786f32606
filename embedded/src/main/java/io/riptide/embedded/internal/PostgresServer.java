package io.riptide.embedded.internal;

/** A running PostgreSQL server reachable on 127.0.0.1 with user {@code postgres} and trust authentication. */
public interface PostgresServer extends AutoCloseable {

    int port();

    /** How the server was started, for the start-up log line. */
    String description();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    void close();
}
