package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.avro.OpsResponseStatus;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.avro.TrainingJobEvent;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.serving.ModelArtifact;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.ModelRegistryStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static io.riptide.trigger.TriggerTestSupport.NAMES;
import static io.riptide.trigger.TriggerTestSupport.await;
import static io.riptide.trigger.TriggerTestSupport.examples;
import static io.riptide.trigger.TriggerTestSupport.sendOpsRequest;
import static io.riptide.trigger.TriggerTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retrain trigger against a real broker and a real PostgreSQL. */
class TriggerServiceIT {
    private static final String KEY = "liquidation-15m";
    private static final String SECRET = "trigger-it-signing-secret";
    private static final String OPS_TOKEN = "trigger-it-ops-token";
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
    void examplesAreStoredIdempotently() {
        ExampleStore store = new ExampleStore(runtime.dataSource());
        List<LabeledExample> batch = examples("idempotent-", 50, 1_000_000_000L);
        assertEquals(50, store.insert(batch));
        assertEquals(0, store.insert(batch), "a replayed batch adds nothing");
    }

    @Test
    void theDatabaseAllowsOneActiveJobPerKeyAndTheServingHistoryIsAppendOnly() throws SQLException {
        JobStore jobs = new JobStore(runtime.dataSource());
        assertTrue(jobs.enqueue("dedupe-5m", "drift", "first", "test", false, 0, 0L).isPresent());
        assertTrue(jobs.enqueue("dedupe-5m", "schedule", "second", "test", false, 0, 0L).isEmpty());
        try (Connection c = runtime.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ml_model_serving_history (model_key, role, version, action, actor, reason) "
                    + "VALUES ('audit-5m', 'PRODUCTION', 1, 'PROMOTE', 'test', 'test')");
            SQLException e = assertThrows(SQLException.class,
                    () -> s.execute("UPDATE ml_model_serving_history SET version = 2 WHERE model_key = 'audit-5m'"));
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }

    @Test
    void bootstrapsAModelFromStreamedExamplesPublishesItAndRollsBack() throws Exception {
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), settings(runtime, SECRET, KEY)));

        try (TriggerService trigger = new TriggerService(config, clients, runtime.dataSource());
             KafkaProducer<String, SpecificRecord> producer = clients.producer("it-examples", null);
             KafkaConsumer<String, ModelVersion> versions = clients.consumer("it-versions", Topics.MODEL_VERSIONS);
             KafkaConsumer<String, TrainingJobEvent> jobEvents = clients.consumer("it-jobs", Topics.TRAINING_JOBS);
             KafkaConsumer<String, OpsResponse> replies = clients.consumer("it-replies", Topics.OPS_RESPONSES)) {
            replies.subscribe(List.of(Topics.OPS_RESPONSES.name()));
            TriggerTestSupport.authorizeOps(trigger, OPS_TOKEN);
            trigger.start();
            for (LabeledExample e : examples("e2e-", 900, 2_000_000_000L)) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getInstrument(), e));
            }
            producer.flush();

            versions.subscribe(List.of(Topics.MODEL_VERSIONS.name()));
            ModelVersion v1 = await(versions, v -> v.getModelKey().equals(KEY), Duration.ofSeconds(90));
            assertEquals(1, v1.getVersion());
            assertEquals("hash-1", v1.getFeatureSetHash());
            assertEquals(NAMES, v1.getFeatureNames());
            byte[] artifact = gunzip(v1.getArtifactGzip().array());
            assertEquals(v1.getSha256(), new ModelArtifact(v1.getFormat(), artifact).sha256(),
                    "the published artifact is the one whose sha256 is announced");
            assertTrue(v1.getMetrics().get("auc") > 0.75, "hold-out AUC " + v1.getMetrics().get("auc"));
            assertEquals(null, ModelSigning.withSecret(SECRET).refusal(v1), "signed with the configured secret");
            assertTrue(ModelSigning.withSecret("another-secret-of-16+").refusal(v1).startsWith("bad signature"));
            assertTrue(v1.getReferenceDistributions().stream().anyMatch(r -> r.getName().equals("score")));
            assertTrue(v1.getReferenceDistributions().stream().allMatch(r -> r.getBinEdges().size()
                    == Math.max(0, r.getBinFractions().size() - 1)), "inner edges, as the schema says");
            // the calibrator chosen at training time (Platt, or none where Platt did not hold up out of time)
            // travels with the version and is kept in the registry
            String stored = new ModelRegistryStore(runtime.dataSource()).production(KEY).orElseThrow().calibration();
            assertTrue(stored.equals("none") || stored.startsWith("platt "), stored);
            assertEquals(stored.equals("none") ? null : stored, v1.getCalibration());
            assertTrue(v1.getMetrics().containsKey("ece_uncalibrated"), v1.getMetrics().keySet().toString());
            assertEquals("PRODUCTION", new ModelRegistryStore(runtime.dataSource()).production(KEY).orElseThrow()
                    .status());

            jobEvents.subscribe(List.of(Topics.TRAINING_JOBS.name()));
            TrainingJobEvent done = await(jobEvents, e -> e.getStatus() == JobStatus.SUCCEEDED, Duration.ofSeconds(30));
            assertEquals("bootstrap", done.getTrigger());

            // ops over Kafka: a request that is not signed with a known token is refused and changes nothing
            String forged = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), KEY, RetrainRequest.newBuilder()
                    .setRequestId(forged).setModelKey(KEY).setAction(OpsAction.RETRAIN).setRequestedBy("it-ops")
                    .setReason("forged").setForce(true).setTimeMs(System.currentTimeMillis()).build()));
            producer.flush();
            OpsResponse forgedReply = await(replies, r -> r.getRequestId().equals(forged), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.REFUSED, forgedReply.getStatus());
            assertEquals("not authorised: bad signature", forgedReply.getMessage());

            // a forced retrain makes v2, then a rollback re-publishes v1; each is answered on ops.responses, and
            // audited under the principal whose token signed it, whatever requestedBy claims
            String retrain = send(producer, OpsAction.RETRAIN, null, true);
            OpsResponse accepted = await(replies, r -> r.getRequestId().equals(retrain), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.ACCEPTED, accepted.getStatus(), accepted.toString());
            assertTrue(accepted.getJobId() != null && !accepted.getTerminal(), accepted.toString());
            ModelVersion v2 = await(versions, v -> v.getVersion() == 2, Duration.ofSeconds(60));
            assertEquals(KEY, v2.getModelKey());
            OpsResponse outcome = await(replies, r -> r.getRequestId().equals(retrain), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.SUCCEEDED, outcome.getStatus(), outcome.toString());
            assertTrue(outcome.getTerminal());
            assertEquals(accepted.getJobId(), outcome.getJobId());
            assertEquals(2, outcome.getModelVersion());
            String rollback = send(producer, OpsAction.ROLLBACK, null, false);
            ModelVersion rolledBack = await(versions, v -> v.getVersion() == 1, Duration.ofSeconds(30));
            OpsResponse rolled = await(replies, r -> r.getRequestId().equals(rollback), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.SUCCEEDED, rolled.getStatus(), rolled.toString());
            assertEquals(1, rolled.getModelVersion());
            assertEquals("it-ops", rolled.getRequestedBy());
            // a redelivered request is answered from the log, not carried out again (no rollback to v2)
            resend(producer, rollback, OpsAction.ROLLBACK);
            OpsResponse again = await(replies, r -> r.getRequestId().equals(rollback), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.SUCCEEDED, again.getStatus());
            assertEquals(1, again.getModelVersion());
            // refusals name the reason: v1 already serves
            String refusedId = send(producer, OpsAction.PROMOTE, 1, false);
            OpsResponse refused = await(replies, r -> r.getRequestId().equals(refusedId), Duration.ofSeconds(30));
            assertEquals(OpsResponseStatus.REFUSED, refused.getStatus());
            assertTrue(refused.getMessage().contains("already serves"), refused.getMessage());
            assertTrue(rolledBack.getReason().startsWith("rollback by it-ops"), rolledBack.getReason());
            assertEquals(v1.getCalibration(), rolledBack.getCalibration(), "a rollback restores the calibrator too");
            assertEquals(1, new ModelRegistryStore(runtime.dataSource()).production(KEY).orElseThrow().version());
            assertTrue(trigger.failure().isEmpty());
        }
    }

    private static String send(KafkaProducer<String, SpecificRecord> producer, OpsAction action, Integer version,
                               boolean force) {
        return sendOpsRequest(producer, OPS_TOKEN, KEY, action, version, force);
    }

    private static void resend(KafkaProducer<String, SpecificRecord> producer, String id, OpsAction action) {
        producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), KEY, OpsRequestSigning.sign(
                RetrainRequest.newBuilder().setRequestId(id).setModelKey(KEY).setAction(action)
                        .setRequestedBy("it-ops").setReason("integration test, redelivered").setForce(false)
                        .setTimeMs(System.currentTimeMillis()).build(), OPS_TOKEN)));
        producer.flush();
    }

    private static byte[] gunzip(byte[] gzip) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
