package io.riptide.trigger;

import com.zaxxer.hikari.HikariDataSource;
import io.riptide.schemas.config.Settings;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.LeaseLostException;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.TrainingJob;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A training job in a JVM of its own, started by {@link JobProcess}: {@code JobMain <job id> <lease owner>
 * <attempt> <market time ms>}, the service's settings on stdin up to {@value JobProcess#END_OF_SETTINGS}. It runs
 * the job as the service would (PostgreSQL only) and reports on stdout. When stdin closes, the service is gone,
 * and so is this process.
 */
public final class JobMain {
    private JobMain() {
    }

    public static void main(String[] args) throws IOException {
        // reports only on the real stdout: a library that prints must not corrupt them
        PrintStream reports = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        long jobId = Long.parseLong(args[0]);
        String owner = args[1];
        int attempts = Integer.parseInt(args[2]);
        Clock marketClock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(args[3])), ZoneOffset.UTC);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), readSettings(stdin)));
        Thread watchdog = new Thread(() -> {
            try {
                while (stdin.read() != -1) {
                    // nothing more is sent; the read returns at the end of the stream
                }
            } catch (IOException e) {
                // the pipe broke: the service is gone just the same
            }
            Runtime.getRuntime().halt(JobProcess.EXIT_ORPHANED);
        }, "riptide-job-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setURL(config.database().jdbcUrl());
        unpooled.setUser(config.database().user());
        unpooled.setPassword(config.database().password());
        try (HikariDataSource db = TriggerService.pooled(unpooled, "riptide-job-" + jobId + "-db", 2)) {
            JobStore jobs = new JobStore(db);
            Optional<TrainingJob> job = jobs.leased(jobId, owner, attempts);
            if (job.isEmpty()) {
                System.exit(JobProcess.EXIT_LEASE_LOST);
            }
            TrainingJobRunner runner = new TrainingJobRunner(config, new ExampleStore(db), jobs,
                    new ModelRegistryStore(db), JobProcess.reporter(reports), marketClock);
            runner.run(job.get());
        } catch (LeaseLostException e) {
            System.err.println(e.getMessage());
            System.exit(JobProcess.EXIT_LEASE_LOST);
        }
        System.exit(0);
    }

    private static Map<String, String> readSettings(BufferedReader stdin) throws IOException {
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = stdin.readLine()) != null && !line.equals(JobProcess.END_OF_SETTINGS)) {
            text.append(line).append('\n');
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text.toString()));
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
        return settings;
    }
}
