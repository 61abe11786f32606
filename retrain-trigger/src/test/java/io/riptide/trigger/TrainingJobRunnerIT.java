package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import io.riptide.trigger.store.TrainingJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trigger killed in the middle of a job, on real PostgreSQL and Kafka: the restart requeues the job, and the
 * runner carries out what the killed run had already decided instead of training a second version from one job.
 * Each case leaves the database as a SIGKILL between two of the job's writes would.
 */
class TrainingJobRunnerIT {
    private static final TopicNamespace TOPICS = TopicNamespace.of("resume.");
    private static EmbeddedRuntime runtime;
    private static KafkaClientFactory clients;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(List.copyOf(TOPICS.all())));
        clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of(), TOPICS));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** A fresh database, a runner over it, and a job of {@code key} that a killed trigger left RUNNING. */
    private record Case(DataSource db, ModelRegistryStore registry, JobStore jobs, TrainingJobRunner runner,
                        ModelPublisher publisher, TrainingJob job) implements AutoCloseable {
        @Override
        public void close() {
            publisher.close();
        }
    }

    private static Case interruptedJob(String name, String key) {
        DataSource db = runtime.createDatabaseNamed("resume_" + name);
        Migrations.migrate(db);
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), Map.of("db.url", runtime.jdbcUrl(),
                "kafka.bootstrap.servers", runtime.bootstrapServers(), "schema.registry.url",
                runtime.schemaRegistryUrl(), ModelSigning.SECRET_KEY, "resume-it-signing-secret-0123456789")));
        ModelRegistryStore registry = new ModelRegistryStore(db);
        JobStore jobs = new JobStore(db);
        ModelPublisher publisher = new ModelPublisher(clients.producer("resume-it-" + name, "resume-it-" + name),
                1 << 20, TOPICS, config.signing());
        PromotionOutbox outbox = new PromotionOutbox(registry, publisher::publish);
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        TrainingJobRunner runner = new TrainingJobRunner(config, new ExampleStore(db), jobs, registry,
                JobReporter.publishing(publisher, outbox), clock);
        jobs.enqueue(key, "drift", "resume test", "it", false, 5, 0).orElseThrow();
        jobs.claimNext("killed-trigger", 60_000).orElseThrow();
        assertEquals(1, jobs.requeueOwnedBy("killed-trigger"), "the restart requeues the job it was running");
        TrainingJob job = jobs.claimNext("killed-trigger", 60_000).orElseThrow();
        return new Case(db, registry, jobs, runner, publisher, job);
    }

    private static void trained(Case c, int version, String status) throws Exception {
        byte[] artifact = ("tree v" + version).getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact));
        c.registry().insert(new StoredModel(0, c.job().modelKey(), version, "lightgbm", sha, "liquidation", "hash",
                List.of("x"), artifact, Map.of("auc", 0.7), List.of(), 100, 0, 1, status, 0, "{}"), c.job().id());
    }

    private static void decided(Case c, int version, String decision) {
        c.registry().recordEvaluation(new ModelRegistryStore.Evaluation(c.job().id(), c.job().modelKey(), version, 0,
                0, 1, 100, Map.of("auc", 0.7), Map.of("auc", 0.6), decision, "it",
                ModelRegistryStore.Evaluation.OFFLINE));
    }

    private static long count(Case c, String sql) throws Exception {
        try (Connection conn = c.db().getConnection(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void killedAfterThePromotionTheJobEndsWithoutASecondVersion() throws Exception {
        try (Case c = interruptedJob("promoted", "liquidation-15m")) {
            trained(c, 1, "CANDIDATE");
            decided(c, 1, "PROMOTE");
            c.registry().makeProduction(c.job().modelKey(), 1, "PROMOTE", "it", "it", "promoted by the killed run");
            assertEquals(JobStatus.SUCCEEDED, c.runner().run(c.job()));
            assertEquals(1, count(c, "SELECT count(*) FROM ml_models"), "no second version from the same job");
            assertEquals(1, count(c, "SELECT count(*) FROM ml_model_serving_history"), "promoted once");
            assertEquals(1, count(c, "SELECT count(*) FROM ml_training_jobs WHERE status = 'SUCCEEDED' "
                    + "AND candidate_version = 1"));
            assertEquals(0, c.registry().pendingPublications().size(), "its publication went out");
        }
    }

    @Test
    void killedBetweenTheDecisionAndThePromotionThePromotionIsCompleted() throws Exception {
        try (Case c = interruptedJob("decided", "liquidation-30m")) {
            trained(c, 1, "CANDIDATE");
            decided(c, 1, "PROMOTE");
            assertEquals(JobStatus.SUCCEEDED, c.runner().run(c.job()));
            assertEquals(1, c.registry().production("liquidation-30m").orElseThrow().version());
            assertEquals(1, count(c, "SELECT count(*) FROM ml_models"));
            assertEquals(0, c.registry().pendingPublications().size());
        }
    }

    @Test
    void killedAfterARejectionTheJobEndsRejected() throws Exception {
        try (Case c = interruptedJob("rejected", "liquidation-60m")) {
            trained(c, 1, "REJECTED");
            decided(c, 1, "REJECT");
            assertEquals(JobStatus.REJECTED, c.runner().run(c.job()));
            assertEquals(1, count(c, "SELECT count(*) FROM ml_models"));
            assertEquals(0, count(c, "SELECT count(*) FROM ml_model_serving_history"));
        }
    }

    @Test
    void killedBeforeTheDecisionTheModelIsDiscardedAndTheJobRunsAgain() throws Exception {
        try (Case c = interruptedJob("undecided", "liquidation-5m")) {
            trained(c, 1, "CANDIDATE");
            // no examples are stored, so the job that runs again ends for lack of data, with no model
            assertEquals(JobStatus.REJECTED, c.runner().run(c.job()));
            assertEquals(0, count(c, "SELECT count(*) FROM ml_models"), "the undecided model was discarded");
        }
    }
}
