package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.TrainingJobEvent;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static io.riptide.trigger.TriggerTestSupport.await;
import static io.riptide.trigger.TriggerTestSupport.examples;
import static io.riptide.trigger.TriggerTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs in JVMs of their own: one killed mid-job fails that job only, on a real broker and database. */
class JobProcessIT {
    private static final String KEY = "liquidation-15m";
    private static EmbeddedRuntime runtime;
    private static KafkaClientFactory clients;

    @BeforeAll
    static void start() {
        runtime = TriggerTestSupport.startRuntime();
        clients = TriggerTestSupport.clients(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void aJobWhoseProcessIsKilledEndsFailedPublishesNothingAndTheServiceGoesOn() throws Exception {
        Map<String, String> settings = settings(runtime, "job-process-it-signing-secret", KEY);
        settings.put("trigger.jobs.process", "true");
        settings.put("trigger.jobs.heap.mb", "512");
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), settings));
        AtomicLong killed = new AtomicLong();
        Thread killer = new Thread(() -> {
            while (killed.get() == 0 && !Thread.currentThread().isInterrupted()) {
                Optional<ProcessHandle> job = ProcessHandle.current().descendants().filter(JobProcessIT::isJob)
                        .findFirst();
                if (job.isPresent() && job.get().destroyForcibly()) {
                    killed.set(job.get().pid());
                }
                Thread.onSpinWait();
            }
        }, "job-process-it-killer");
        try (TriggerService trigger = new TriggerService(config, clients, runtime.dataSource());
             KafkaProducer<String, SpecificRecord> producer = clients.producer("job-process-it", null);
             KafkaConsumer<String, ModelVersion> versions = clients.consumer("job-process-it-versions",
                     Topics.MODEL_VERSIONS);
             KafkaConsumer<String, TrainingJobEvent> jobEvents = clients.consumer("job-process-it-jobs",
                     Topics.TRAINING_JOBS)) {
            versions.subscribe(List.of(Topics.MODEL_VERSIONS.name()));
            jobEvents.subscribe(List.of(Topics.TRAINING_JOBS.name()));
            killer.start();
            trigger.start();
            for (LabeledExample e : examples("job-process-", 900, 2_000_000_000L)) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getInstrument(), e));
            }
            producer.flush();

            TrainingJobEvent failed = await(jobEvents, e -> e.getStatus() == JobStatus.FAILED, Duration.ofSeconds(90));
            assertTrue(killed.get() > 0);
            assertEquals("failed: the job's process was killed (SIGKILL)", failed.getMessage());
            assertEquals(0, count("SELECT count(*) FROM ml_models WHERE job_id = ?", failed.getJobId()),
                    "the killed job recorded no model");

            // the service goes on: the key has no model, so the bootstrap queues the next job, which runs to its end
            ModelVersion v1 = await(versions, v -> v.getModelKey().equals(KEY), Duration.ofSeconds(120));
            assertEquals(1, v1.getVersion(), "the first version published is the next job's");
            assertEquals(1, count("SELECT count(*) FROM ml_models WHERE version = 1 AND job_id > ?",
                    failed.getJobId()));
            TrainingJobEvent done = await(jobEvents, e -> e.getStatus() == JobStatus.SUCCEEDED,
                    Duration.ofSeconds(30));
            assertTrue(done.getMessage().startsWith("v1 promoted: passed all gates"), done.getMessage());
            assertTrue(done.getMetrics().get("auc") > 0.75, done.getMetrics().toString());
            assertEquals(1, count("SELECT count(*) FROM ml_training_jobs WHERE status = 'FAILED' AND attempts = 1 "
                    + "AND id = ?", failed.getJobId()));
            assertTrue(trigger.failure().isEmpty());
            assertTrue(trigger.loopsAlive().values().stream().allMatch(alive -> alive), trigger.loopsAlive().toString());
        } finally {
            killer.interrupt();
        }
    }

    /** From /proc: ProcessHandle.Info leaves out a command line as long as a test class path. */
    private static boolean isJob(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                    .contains(JobMain.class.getName());
        } catch (IOException | UncheckedIOException e) {
            return false; // gone already
        }
    }

    private static long count(String sql, long id) throws Exception {
        try (Connection c = runtime.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
