package io.riptide.trigger.lifecycle;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsAlertKind;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.TriggerService;
import io.riptide.trigger.TriggerTestSupport;
import io.riptide.trigger.store.ModelRegistryStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.riptide.trigger.TriggerTestSupport.await;
import static io.riptide.trigger.TriggerTestSupport.awaitCount;
import static io.riptide.trigger.TriggerTestSupport.examples;
import static io.riptide.trigger.TriggerTestSupport.sendOpsRequest;
import static io.riptide.trigger.TriggerTestSupport.sendReport;
import static io.riptide.trigger.TriggerTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A production version whose live AUC falls is rolled back by the trigger itself, on a real broker and database. */
class AutomaticRollbackIT {
    private static final String KEY = "liquidation-15m";
    private static final String OPS_TOKEN = "rollback-it-ops-token";
    private static final long T0 = 2_000_000_000L;
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
    void aPromotedVersionWhoseLiveAucFallsFarBelowItsHoldoutGoesBackAndOnlyOnce() throws Exception {
        Map<String, String> settings = settings(runtime, "rollback-it-signing-secret", KEY);
        settings.put("trigger.performance.auc.floor", "0"); // no retrain on the bad reports: only the rollback acts
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), settings));
        ModelRegistryStore registry = new ModelRegistryStore(runtime.dataSource());
        try (TriggerService trigger = new TriggerService(config, clients, runtime.dataSource());
             KafkaProducer<String, SpecificRecord> producer = clients.producer("rollback-it", null);
             KafkaConsumer<String, ModelVersion> versions = clients.consumer("rollback-it-versions",
                     Topics.MODEL_VERSIONS);
             KafkaConsumer<String, OpsAlert> alerts = clients.consumer("rollback-it-alerts", Topics.OPS_ALERTS)) {
            TriggerTestSupport.authorizeOps(trigger, OPS_TOKEN);
            versions.subscribe(List.of(Topics.MODEL_VERSIONS.name()));
            alerts.subscribe(List.of(Topics.OPS_ALERTS.name()));
            trigger.start();
            for (LabeledExample e : examples("rollback-", 900, T0)) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getInstrument(), e));
            }
            producer.flush();
            await(versions, v -> v.getVersion() == 1, Duration.ofSeconds(90));
            // v1 serves well on 960 live outcomes
            for (int i = 0; i < 4; i++) {
                sendReport(producer, KEY, "v1-" + i, 1, T0 + i * 60_000L, 0.80);
            }
            TriggerTestSupport.awaitNoActiveJob(runtime.dataSource(), Duration.ofSeconds(60));
            sendOpsRequest(producer, OPS_TOKEN, KEY, OpsAction.RETRAIN, null, true);
            ModelVersion v2 = await(versions, v -> v.getVersion() == 2, Duration.ofSeconds(90));
            double validated = v2.getMetrics().get("auc");
            assertTrue(validated > 0.75, "hold-out AUC of v2 " + validated);

            // v2 then ranks far worse live: 240 outcomes decide nothing, 480 do
            sendReport(producer, KEY, "v2-0", 2, T0 + 3_600_000L, 0.55);
            awaitRecorded("v2-0");
            assertEquals(2, registry.production(KEY).orElseThrow().version(), "too few outcomes to judge v2");
            sendReport(producer, KEY, "v2-1", 2, T0 + 3_660_000L, 0.55);
            ModelVersion restored = await(versions, v -> v.getVersion() == 1, Duration.ofSeconds(30));
            assertTrue(restored.getReason().startsWith("automatic rollback from v2: live AUC 0.550 of v2 over 480 "
                    + "outcomes is more than 0.10 below the hold-out AUC"), restored.getReason());
            OpsAlert alert = await(alerts, a -> a.getKind() == OpsAlertKind.AUTOMATIC_ROLLBACK, Duration.ofSeconds(30));
            assertEquals(KEY, alert.getSubject());
            assertEquals("2", alert.getDetails().get("fromVersion"));
            assertEquals(1, registry.production(KEY).orElseThrow().version());
            assertEquals(List.of("ROLLBACK", "retrain-trigger"), latestServingChange());
            assertEquals(java.util.Optional.of(2), registry.previousServingVersion(KEY),
                    "the history says v2 served before v1");

            // a version a rollback restored is not rolled back again, however badly it does
            sendReport(producer, KEY, "v1-bad-0", 1, T0 + 3_720_000L, 0.30);
            sendReport(producer, KEY, "v1-bad-1", 1, T0 + 3_780_000L, 0.30);
            awaitRecorded("v1-bad-1");
            sendReport(producer, KEY, "after", 1, T0 + 3_840_000L, 0.30); // judged after v1-bad-1, in the same loop
            awaitRecorded("after");
            assertEquals(1, registry.production(KEY).orElseThrow().version());
            assertEquals(List.of("ROLLBACK", "retrain-trigger"), latestServingChange());
            assertTrue(trigger.failure().isEmpty());
        }
    }

    private static void awaitRecorded(String reportId) throws Exception {
        awaitCount(runtime.dataSource(), "SELECT count(*) FROM ml_performance_tracking WHERE report_id = '"
                + reportId + "'", 1);
        Thread.sleep(500); // recorded, then judged in the same callback: give the judging time
    }

    private static List<String> latestServingChange() throws Exception {
        try (Connection c = runtime.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT action, actor FROM ml_model_serving_history WHERE model_key = ? AND action <> 'ARCHIVE' "
                        + "ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return List.of(rs.getString(1), rs.getString(2));
            }
        }
    }
}
