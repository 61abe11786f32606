package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promotion survives a failure between its steps, on real PostgreSQL and Kafka: the registry commits, the publish
 * fails (a crash or an outage between the two), and the next reconcile completes it; a publish that went out before
 * the crash kept it from being marked is re-sent, never lost; pending promotions go out in the order they were made.
 */
class PromotionOutboxIT {
    private static final String KEY = "liquidation-15m";
    private static EmbeddedRuntime runtime;
    private static KafkaClientFactory clients;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults()
                .withTopics(List.copyOf(TopicNamespace.of("outbox.").all())));
        clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of(), TopicNamespace.of("outbox.")));
        Migrations.migrate(runtime.dataSource());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static int addVersion(ModelRegistryStore registry, JobStore jobs, int version) throws Exception {
        long job = jobs.enqueue(KEY, "MANUAL", "outbox test", "it", false, 0, 0).orElseThrow();
        assertTrue(jobs.finish(jobs.claimNext("outbox-it", 60_000).orElseThrow(), "SUCCEEDED", "", version, 0, true));
        byte[] artifact = ("tree v" + version).getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact));
        registry.insert(new StoredModel(0, KEY, version, "lightgbm", sha, "liquidation", "hash", List.of("x"),
                artifact, Map.of("auc", 0.7), List.of(), 100, 0, 1, "CANDIDATE", 0, "{}"), job);
        return version;
    }

    @Test
    void aPromotionCommittedButNotPublishedIsPublishedByTheNextReconcileInOrder() throws Exception {
        ModelRegistryStore registry = new ModelRegistryStore(runtime.dataSource());
        JobStore jobs = new JobStore(runtime.dataSource());
        try (ModelPublisher publisher = new ModelPublisher(clients.producer("outbox-it", "outbox-it-publisher"),
                1 << 20, TopicNamespace.of("outbox."), ModelSigning.withSecret("outbox-it-signing-secret-0123"));
             KafkaConsumer<String, ModelVersion> versions = clients.consumer("outbox-it-read", Topics.MODEL_VERSIONS)) {
            versions.subscribe(List.of(TopicNamespace.of("outbox.").name(Topics.MODEL_VERSIONS)));
            PromotionOutbox down = new PromotionOutbox(registry, (model, role, reason) -> {
                throw new IllegalStateException("the broker is unreachable");
            });

            // step 1 commits, step 2 fails: the registry says v1 serves, the stream has not been told
            registry.makeProduction(KEY, addVersion(registry, jobs, 1), "PROMOTE", "it", "first", "promoted v1");
            assertEquals(0, down.publishPending());
            assertEquals(1, down.failures());
            assertEquals(1, registry.production(KEY).orElseThrow().version());
            assertEquals(1, registry.pendingPublications().size());
            // a second promotion while publishing is down queues behind the first
            registry.makeProduction(KEY, addVersion(registry, jobs, 2), "PROMOTE", "it", "second", "promoted v2");
            assertEquals(0, down.publishPending());
            assertEquals(List.of(1, 2), registry.pendingPublications().stream()
                    .map(ModelRegistryStore.PendingPublication::version).toList());

            // the restarted trigger's reconcile: both go out, oldest first, and nothing is left pending
            PromotionOutbox up = new PromotionOutbox(registry, publisher::publish);
            assertEquals(2, up.publishPending());
            assertEquals(List.of(), registry.pendingPublications());
            assertEquals(0, up.publishPending(), "a published row is not sent again");

            // the publish went out but the process died before marking it: it is re-sent, not lost
            AtomicInteger sent = new AtomicInteger();
            registry.makeProduction(KEY, 1, "ROLLBACK", "it", "back to v1", "rollback to v1");
            PromotionOutbox diesAfterSend = new PromotionOutbox(registry, (model, role, reason) -> {
                publisher.publish(model, role, reason);
                sent.incrementAndGet();
                throw new IllegalStateException("killed before the mark");
            });
            assertEquals(0, diesAfterSend.publishPending());
            assertEquals(1, sent.get());
            assertEquals(1, up.publishPending());

            List<ModelVersion> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < 4 && System.nanoTime() < deadline) {
                versions.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            }
            assertEquals(List.of(1, 2, 1, 1), read.stream().map(ModelVersion::getVersion).toList(),
                    "v1, v2, then the rollback to v1 sent twice (once before the crash, once by the reconcile)");
            assertTrue(read.stream().allMatch(v -> v.getRole() == ModelRole.PRODUCTION
                    && v.getModelKey().equals(KEY)));
            assertEquals("rollback to v1", read.get(3).getReason().toString());
            assertEquals(1, registry.production(KEY).orElseThrow().version(), "the registry agrees with the topic");
        }
    }
}
