package io.riptide.trigger.lifecycle;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsAlertKind;
import io.riptide.schemas.avro.Outcome;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.riptide.trigger.TriggerTestSupport.await;
import static io.riptide.trigger.TriggerTestSupport.awaitCount;
import static io.riptide.trigger.TriggerTestSupport.count;
import static io.riptide.trigger.TriggerTestSupport.examples;
import static io.riptide.trigger.TriggerTestSupport.sendOpsRequest;
import static io.riptide.trigger.TriggerTestSupport.sendReport;
import static io.riptide.trigger.TriggerTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shadow lifecycle on a real broker and database: a retrained candidate serves as shadow first; paired live
 * outcomes on which it ranks better promote it, and a later candidate that ranks worse is retired, each decision
 * recorded with its statistics and sent to the streams (production, withdrawal).
 */
class ShadowLifecycleIT {
    private static final String KEY = "liquidation-15m";
    private static final String OPS_TOKEN = "shadow-it-ops-token";
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
    void aBetterShadowIsPromotedOnLiveOutcomesAndAWorseOneIsRetired() throws Exception {
        Map<String, String> settings = settings(runtime, "shadow-it-signing-secret", KEY);
        settings.put("trigger.lifecycle", "shadow");
        settings.put("trigger.performance.auc.floor", "0.9"); // every report is poor: only a production one retrains
        settings.put("trigger.promotion.min.outcomes", "200");
        settings.put("trigger.promotion.max.probation.ms", Long.toString(30L * 86_400_000L));
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), settings));
        DataSource db = runtime.dataSource();
        ModelRegistryStore registry = new ModelRegistryStore(db);
        try (TriggerService trigger = new TriggerService(config, clients, runtime.dataSource());
             KafkaProducer<String, SpecificRecord> producer = clients.producer("shadow-it", null);
             KafkaConsumer<String, ModelVersion> versions = clients.consumer("shadow-it-versions",
                     Topics.MODEL_VERSIONS);
             KafkaConsumer<String, OpsAlert> alerts = clients.consumer("shadow-it-alerts", Topics.OPS_ALERTS)) {
            TriggerTestSupport.authorizeOps(trigger, OPS_TOKEN);
            versions.subscribe(List.of(Topics.MODEL_VERSIONS.name()));
            alerts.subscribe(List.of(Topics.OPS_ALERTS.name()));
            trigger.start();
            for (LabeledExample e : examples("shadow-", 900, T0)) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getInstrument(), e));
            }
            producer.flush();
            // the key's first model serves at once (trigger.lifecycle.bootstrap=direct)
            ModelVersion v1 = await(versions, v -> v.getVersion() == 1, Duration.ofSeconds(90));
            assertEquals(ModelRole.PRODUCTION, v1.getRole());

            TriggerTestSupport.awaitNoActiveJob(runtime.dataSource(), Duration.ofSeconds(60));
            sendOpsRequest(producer, OPS_TOKEN, KEY, OpsAction.RETRAIN, null, true);
            ModelVersion v2 = await(versions, v -> v.getVersion() == 2, Duration.ofSeconds(90));
            assertEquals(ModelRole.SHADOW, v2.getRole(), "a retrained candidate serves as shadow first");
            assertFalse(v2.getWithdrawn());
            // high enough that its shadow reports (0.3) and a good production one (0.95) together would roll it back
            assertTrue(v2.getMetrics().get("auc") > 0.8, "hold-out AUC of v2 " + v2.getMetrics().get("auc"));
            assertEquals(1, registry.production(KEY).orElseThrow().version(), "v1 still serves");
            assertEquals(2, registry.shadowOf(KEY).orElseThrow().version());

            // a shadow's poor live report is not production's: it queues no retrain
            sendReport(producer, KEY, "shadow-report-1", 2, T0 + 86_400_000L, 0.3);
            sendReport(producer, KEY, "shadow-report-2", 2, T0 + 86_460_000L, 0.3);

            // 150 paired outcomes are too few to decide; 300 on which the shadow ranks far better promote it
            sendOutcomes(producer, "a", 150, 1, 2, false, T0 + 86_400_000L);
            awaitCount(db, "SELECT count(*) FROM ml_shadow_outcomes WHERE shadow_version = 2", 150);
            awaitCount(db, "SELECT count(*) FROM ml_performance_tracking WHERE report_id LIKE 'shadow-report-%'", 2);
            Thread.sleep(500);
            assertEquals(1, registry.production(KEY).orElseThrow().version(), "too few outcomes to promote");
            sendOutcomes(producer, "b", 150, 1, 2, false, T0 + 86_400_000L + 150 * 60_000L);
            ModelVersion promoted = await(versions, v -> v.getVersion() == 2 && v.getRole() == ModelRole.PRODUCTION,
                    Duration.ofSeconds(30));
            assertEquals("shadow v2 promoted on live outcomes", promoted.getReason());
            // the replaced v1 becomes the shadow: it guards v2, scored beside it on the same bars
            ModelVersion guard = await(versions, v -> v.getRole() == ModelRole.SHADOW && v.getVersion() == 1,
                    Duration.ofSeconds(30));
            assertFalse(guard.getWithdrawn());
            assertEquals("guard of v2", guard.getReason());
            assertEquals(2, registry.production(KEY).orElseThrow().version());
            assertEquals(1, registry.shadowOf(KEY).orElseThrow().version());
            List<String> live = liveDecision(2);
            assertEquals("PROMOTE", live.get(0));
            int decidedOn = Integer.parseInt(live.get(2));
            // decided in the first poll that brought the pairs to 200 or more (trigger.promotion.min.outcomes)
            assertTrue(decidedOn >= 200 && decidedOn <= 300, "decided on " + decidedOn + " outcomes");
            assertTrue(live.get(1).startsWith("shadow AUC 0.9") && live.get(1).contains("on " + decidedOn
                    + " outcomes") && live.get(1).contains("the shadow ranks better"), live.get(1));
            OpsAlert alert = await(alerts, a -> a.getKind() == OpsAlertKind.SHADOW_DECIDED, Duration.ofSeconds(30));
            assertEquals("PROMOTE", alert.getDetails().get("decision"));
            assertEquals(0, count(db, "SELECT count(*) FROM ml_training_jobs WHERE trigger = 'performance'"),
                    "the shadow's report queued no retrain");

            // the guard ranks worse than v2 on the outcomes both score: retired, and its shadow withdrawn
            sendOutcomes(producer, "guard", 300, 2, 1, true, T0 + 2 * 86_400_000L - 400 * 60_000L);
            ModelVersion withdrawn = await(versions, v -> v.getVersion() == 1 && v.getWithdrawn(),
                    Duration.ofSeconds(30));
            assertEquals(ModelRole.SHADOW, withdrawn.getRole());
            assertEquals(null, withdrawn.getArtifactGzip(), "a withdrawal carries no artifact");
            assertEquals("RETIRE", liveDecision(1).get(0));
            assertTrue(registry.shadowOf(KEY).isEmpty());

            // v2's first report in production: what it did as a shadow (480 outcomes far below its hold-out AUC)
            // is not held against it, so 240 outcomes in production are too few for the automatic rollback
            sendReport(producer, KEY, "production-report", 2, T0 + 3 * 86_400_000L, 0.95);
            awaitCount(db, "SELECT count(*) FROM ml_performance_tracking WHERE report_id = 'production-report'", 1);
            Thread.sleep(500);
            assertEquals(2, registry.production(KEY).orElseThrow().version(), "no rollback on the shadow's reports");

            // the next candidate ranks worse than v2 on the outcomes: retired, v2 keeps serving
            TriggerTestSupport.awaitNoActiveJob(runtime.dataSource(), Duration.ofSeconds(60));
            sendOpsRequest(producer, OPS_TOKEN, KEY, OpsAction.RETRAIN, null, true);
            ModelVersion v3 = await(versions, v -> v.getVersion() == 3, Duration.ofSeconds(90));
            assertEquals(ModelRole.SHADOW, v3.getRole());
            sendOutcomes(producer, "c", 300, 2, 3, true, T0 + 2 * 86_400_000L);
            ModelVersion retired = await(versions, v -> v.getVersion() == 3 && v.getWithdrawn(),
                    Duration.ofSeconds(30));
            assertTrue(retired.getReason().startsWith("retired: "), retired.getReason());
            assertEquals(2, registry.production(KEY).orElseThrow().version());
            assertEquals(1, count(db, "SELECT count(*) FROM ml_models WHERE version = 3 AND status = 'RETIRED'"));
            assertEquals("RETIRE", liveDecision(3).get(0));
            assertEquals(1, count(db, "SELECT count(*) FROM ml_model_serving_history WHERE version = 3 AND role = "
                    + "'SHADOW' AND action = 'RETIRE' AND actor = 'retrain-trigger'"));
            assertTrue(trigger.failure().isEmpty());
        }
    }

    /**
     * Paired outcomes: a quarter positive; the better model's probability follows the label, the other's is noise.
     *
     * @param productionBetter which of the two ranks well
     */
    private static void sendOutcomes(KafkaProducer<String, SpecificRecord> producer, String batch, int n,
                                     int productionVersion, int shadowVersion, boolean productionBetter,
                                     long startMs) {
        Random random = new Random(batch.hashCode());
        for (int i = 0; i < n; i++) {
            int label = i % 4 == 0 ? 1 : 0;
            double good = Math.min(1, 0.45 * label + 0.55 * random.nextDouble());
            double noise = random.nextDouble();
            long t = startMs + i * 60_000L;
            String instrument = "SIM:I" + (i % 3);
            producer.send(new ProducerRecord<>(Topics.OUTCOMES.name(), instrument, Outcome.newBuilder()
                    .setPredictionId(instrument + "|15m|" + t + "|" + batch).setInstrument(instrument)
                    .setPredictionTimeMs(t).setHorizonMinutes(15).setResolvedAtMs(t + 900_000L).setLabel(label)
                    .setRealizedValue(label * 1e6).setModelKey(KEY).setModelVersion(productionVersion)
                    .setProbability(productionBetter ? good : noise)
                    .setModelProbability(productionBetter ? good : noise)
                    .setShadowModelVersion(shadowVersion).setShadowProbability(productionBetter ? noise : good)
                    .build()));
        }
        producer.flush();
    }

    /** The LIVE decision on a shadow version: decision, reasons, number of outcomes. */
    private static List<String> liveDecision(int version) throws Exception {
        try (Connection c = runtime.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT decision, reasons, holdout_n FROM ml_eval_history WHERE model_key = ? "
                        + "AND candidate_version = ? AND stage = 'LIVE'")) {
            ps.setString(1, KEY);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a LIVE decision on v" + version);
                List<String> row = List.of(rs.getString(1), rs.getString(2), Integer.toString(rs.getInt(3)));
                assertFalse(rs.next(), "one decision per shadow");
                return row;
            }
        }
    }
}
