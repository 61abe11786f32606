package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.store.Migrations;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

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
    public static void awaitNoActiveJob(javax.sql.DataSource db, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery(
                         "SELECT count(*) FROM ml_training_jobs WHERE status IN ('QUEUED', 'RUNNING')")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
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
