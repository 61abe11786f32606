package io.riptide.embedded;

import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicSpec;
import io.riptide.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRuntimeLifecycleIT {

    private static List<String> childProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("pid " + p.pid())).toList();
    }

    @Test
    void failedStartStopsWhatHadStartedAndNamesTheCause() {
        Topic<Trade> broken = new Topic<>(new TopicSpec("lifecycle-it.broken", 1,
                Map.of("cleanup.policy", "no-such-policy")), Trade.class);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedRuntime.start(new EmbeddedRuntime.Options(null, List.of(broken))));
        assertTrue(e.getMessage().contains("lifecycle-it.broken"), e.getMessage());
        assertEquals(List.of(), childProcesses(), "PostgreSQL must be stopped after a failed start");
    }

    @Test
    void startsAgainInTheSameWorkDirectoryEvenAfterAnUncleanStop(@TempDir Path work) throws Exception {
        // what a killed JVM leaves behind: a used Kafka directory
        Files.createDirectories(work.resolve("kafka/combined_0_0"));
        Files.writeString(work.resolve("kafka/combined_0_0/meta.properties"), "garbage");
        for (int run = 1; run <= 2; run++) {
            try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withWorkDirectory(work))) {
                try (Connection c = runtime.dataSource().getConnection();
                     ResultSet rs = c.createStatement()
                             .executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'x'")) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1), "database starts empty on run " + run);
                    c.createStatement().execute("CREATE TABLE x (id int)");
                }
                System.out.printf("run %d: EmbeddedRuntime started in %d ms%n", run, runtime.startMillis());
            }
        }
        assertEquals(List.of(), childProcesses());
    }

    @Test
    void topicsOptionControlsWhatIsCreated() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(
                EmbeddedRuntime.Options.defaults().withTopics(List.of(Topics.TRADES)));
             var admin = org.apache.kafka.clients.admin.Admin.create(
                     Map.of("bootstrap.servers", runtime.bootstrapServers()))) {
            assertEquals(java.util.Set.of(Topics.TRADES.name()), admin.listTopics().names().get());
        }
    }

    @Test
    void startsPostgresFromAnExplicitBinDirectory() throws Exception {
        // zonky's binaries extracted to a plain directory stand in for a machine's own installation
        Path bin = io.riptide.embedded.internal.PostgresBinaries.zonkyOrSystem();
        EmbeddedRuntime.Options options = EmbeddedRuntime.Options.defaults().withTopics(List.of(Topics.TRADES))
                .withPostgresBinDirectory(bin);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(options);
             Connection c = runtime.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), version()")) {
            assertTrue(rs.next());
            assertEquals(EmbeddedRuntime.DATABASE, rs.getString(1));
            assertTrue(rs.getString(2).startsWith("PostgreSQL 14"), rs.getString(2));
        }
        assertEquals(List.of(), childProcesses());
    }
}
