package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.api.OpsRequestAuthority;
import io.riptide.trigger.store.Migrations;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** What the trigger's broker tests share: learnable examples, the service's settings, signed ops requests. */
public final class TriggerTestSupport {
    public static final List<String> NAMES = List.of("liq_notional_15m", "rv_close_30", "noise_a", "noise_b");

    private TriggerTestSupport() {
    }

    /** A started runtime with the trigger's schema migrated. */
    public static EmbeddedRuntime startRuntime() {
        EmbeddedRuntime runtime = EmbeddedRuntime.start();
        Migrations.migrate(runtime.dataSource());
        return runtime;
    }

    /** Clients of the runtime's broker and registry, default topic names. */
    public static KafkaClientFactory clients(EmbeddedRuntime runtime) {
        return new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of()));
    }

    /** Learnable examples: a label driven by the first feature, one row a minute, three instruments. */
    public static List<LabeledExample> examples(String idPrefix, int count, long startMs) {
        Random random = new Random(11);
        List<LabeledExample> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double signal = random.nextGaussian();
            List<Double> features = List.of(signal * 100_000, Math.abs(random.nextGaussian()), random.nextGaussian(),
                    random.nextGaussian());
            int label = signal + 0.5 * random.nextGaussian() > 0.6 ? 1 : 0;
            list.add(LabeledExample.newBuilder().setExampleId(idPrefix + i).setInstrument("SIM:I" + (i % 3))
                    .setTimeMs(startMs + (i / 3) * 60_000L).setHorizonMinutes(15).setTask("liquidation")
                    .setFeatureSetId("test").setFeatureSetHash("hash-1").setFeatureNames(NAMES)
                    .setFeatures(features).setLabel(label).setRealizedValue(label * 1e6).setRegime("sideways")
                    .build());
        }
        return list;
    }

    /**
     * The trigger's settings for one key on the runtime: no cooldown, no schedule, short polls, few rounds; an
     * accepted candidate serves at once (trigger.lifecycle=direct).
     */
    public static Map<String, String> settings(EmbeddedRuntime runtime, String signingSecret, String modelKey) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        overrides.put("schema.registry.url", runtime.schemaRegistryUrl());
        overrides.put("models.signing.secret", signingSecret);
        overrides.put("db.url", runtime.jdbcUrl());
        overrides.put("db.user", runtime.jdbcUser());
        overrides.put("db.password", runtime.jdbcPassword());
        overrides.put("trigger.model.keys", modelKey);
        overrides.put("trigger.min.examples", "300");
        overrides.put("trigger.cooldown.ms", "0");
        overrides.put("trigger.schedule.interval.ms", "0");
        overrides.put("trigger.poll.interval.ms", "100");
        overrides.put("trigger.num.rounds", "60");
        // these tests are about what a job and a promotion do; ShadowLifecycleIT runs the shadow path
        overrides.put("trigger.lifecycle", "direct");
        return overrides;
    }

    /** Lets the trigger take Kafka ops requests signed with {@code opsToken}, as principal {@code it-ops}. */
    public static void authorizeOps(TriggerService trigger, String opsToken) {
        byte[] tokenHash = OpsRequestSigning.tokenHash(opsToken);
        trigger.authorizeKafkaOpsRequests(r -> OpsRequestSigning.signedWith(r, tokenHash)
                ? OpsRequestAuthority.Verdict.allowed("it-ops") : OpsRequestAuthority.Verdict.refused("bad signature"));
    }

    /** Sends a live performance report of 240 outcomes (60 positive) with the given AUC, and flushes. */
    public static void sendReport(KafkaProducer<String, SpecificRecord> producer, String modelKey, String id,
                                  int version, long timeMs, double auc) {
        producer.send(new ProducerRecord<>(Topics.PERFORMANCE.name(), modelKey, PerformanceReport.newBuilder()
                .setReportId(id).setTimeMs(timeMs).setModelKey(modelKey).setModelVersion(version)
                .setWindowStartMs(timeMs - 60_000L).setWindowEndMs(timeMs).setN(240).setPositives(60).setAuc(auc)
                .setF1(0.5).setPrecision(0.5).setRecall(0.5).setBrier(0.2).setLogLoss(0.6).build()));
        producer.flush();
    }

    /** The single number a query answers (a count). */
    public static long count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until the query's count reaches {@code wanted}, or fails after 30 s. */
    public static void awaitCount(DataSource db, String sql, long wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(db, sql) < wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " stayed below " + wanted);
            }
            Thread.sleep(100);
        }
    }

    /** Sends an ops request for the key, signed with the token; returns its request id. */
    public static String sendOpsRequest(KafkaProducer<String, SpecificRecord> producer, String opsToken,
                                        String modelKey, OpsAction action, Integer version, boolean force) {
        String id = action + "-" + System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), modelKey, OpsRequestSigning.sign(
                RetrainRequest.newBuilder().setRequestId(id).setModelKey(modelKey).setAction(action)
                        .setRequestedBy("a-claimed-name").setReason("integration test").setForce(force)
                        .setTargetVersion(version).setTimeMs(System.currentTimeMillis()).build(), opsToken)));
        producer.flush();
        return id;
    }

    /**
     * Waits until the database has no queued or running job. A version is published before its job ends, so a
     * retrain requested on seeing it can find the job still running and be refused (a job per key at a time).
     */
    public static void awaitNoActiveJob(DataSource db, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(db, "SELECT count(*) FROM ml_training_jobs WHERE status IN ('QUEUED', 'RUNNING')") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a job was still queued or running after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** The first record the consumer reads that is wanted, or an AssertionError after the timeout. */
    public static <V> V await(KafkaConsumer<String, V> consumer, Predicate<V> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                if (wanted.test(record.value())) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no matching record within " + timeout);
    }
}
