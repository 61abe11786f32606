package io.riptide.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded runtime on its own, for poking at it with other tools: prints the endpoints and waits for
 * Ctrl-C. With {@code --check} it starts, runs one SQL query, prints the start time and stops (a smoke test for a
 * new machine or user account).
 */
public final class EmbeddedRuntimeMain {
    private EmbeddedRuntimeMain() {
    }

    public static void main(String[] args) throws InterruptedException, SQLException {
        boolean check = args.length > 0 && args[0].equals("--check");
        EmbeddedRuntime runtime = EmbeddedRuntime.start();
        System.out.println("kafka.bootstrap.servers=" + runtime.bootstrapServers());
        System.out.println("schema.registry.url=" + runtime.schemaRegistryUrl());
        System.out.println("jdbc.url=" + runtime.jdbcUrl() + " user=" + runtime.jdbcUser());
        System.out.println("started in " + runtime.startMillis() + " ms");
        if (check) {
            try (runtime; Connection c = runtime.dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT version()")) {
                rs.next();
                System.out.println("check ok: " + rs.getString(1));
            }
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
    }
}
