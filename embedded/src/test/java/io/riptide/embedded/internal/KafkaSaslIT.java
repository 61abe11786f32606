package io.riptide.embedded.internal;

import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.test.JaasUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Riptide's Kafka clients against a broker that authenticates (SASL/PLAIN) and authorises (KRaft's StandardAuthorizer):
 * the {@code kafka.client.*} pass-through is all a deployment needs, and the ACLs of docs/SECURITY.md keep a feed's
 * principal off {@code models.versions}. The test kit knows two users, {@code plain-admin} (a super user) and
 * {@code plain-user1}, which plays {@code riptide-feed} here.
 */
class KafkaSaslIT {
    private static EmbeddedKafka cluster;
    /** One registry for every principal's clients, as a deployment shares its schema registry. */
    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();

    @BeforeAll
    static void startSaslBroker() throws Exception {
        cluster = EmbeddedKafka.startWithSasl(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Riptide's clients as {@code user}: only {@code kafka.client.*} settings, as riptide.properties would give. */
    private static KafkaClientFactory clientsAs(String user, String password) {
        return new KafkaClientFactory(new KafkaSettings(cluster.bootstrapServers(), "http://unused", (short) 1, Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";")), REGISTRY);
    }

    private static Trade trade(String id) {
        return Trade.newBuilder().setInstrument("BINANCE:BTCUSDT").setExchangeTimeMs(1_700_000_000_000L)
                .setPrice(100).setQty(1).setAggressorSide(Side.BUY).setTradeId(id).build();
    }

    /** ACLs reach the broker's authoriser through the metadata log, a moment after createAcls returns. */
    private static void sendOnceTheGrantHasReachedTheBroker(KafkaProducer<String, SpecificRecord> producer, Trade trade)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                producer.send(new ProducerRecord<>(Topics.TRADES.name(), trade.getInstrument(), trade))
                        .get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicAuthorizationException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void theFeedPrincipalWritesMarketTopicsButNotModelVersionsAndABadPasswordIsNotShown() throws Exception {
        KafkaClientFactory admin = clientsAs(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        admin.ensureTopics();
        String feed = "User:" + JaasUtils.KAFKA_PLAIN_USER1;
        try (Admin a = admin.admin("acl-setup")) {
            a.createAcls(List.of(
                    new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.TRADES.name(), PatternType.LITERAL),
                            new AccessControlEntry(feed, "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
                    new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.TRADES.name(), PatternType.LITERAL),
                            new AccessControlEntry(feed, "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)),
                    new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                            new AccessControlEntry(feed, "*", AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }

        KafkaClientFactory feedClients = clientsAs(JaasUtils.KAFKA_PLAIN_USER1, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
        assertFalse(feedClients.settings().toString().contains(JaasUtils.KAFKA_PLAIN_USER1_PASSWORD),
                "the JAAS password is redacted: " + feedClients.settings());
        try (KafkaProducer<String, SpecificRecord> producer = feedClients.producer("riptide-feed", null)) {
            sendOnceTheGrantHasReachedTheBroker(producer, trade("1"));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.MODEL_VERSIONS.name(), "liquidation-15m", trade("2")))
                    .get(60, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused.toString());
        }

        try (KafkaConsumer<String, Trade> consumer = admin.consumer("sasl-it", Topics.TRADES)) {
            consumer.subscribe(List.of(Topics.TRADES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int read = 0;
            while (read == 0 && System.nanoTime() < deadline) {
                ConsumerRecords<String, Trade> records = consumer.poll(Duration.ofMillis(500));
                for (var r : records) {
                    assertEquals("1", r.value().getTradeId());
                    read++;
                }
            }
            assertEquals(1, read, "the feed's one trade, read back through SASL by the admin principal");
        }

        String wrong = "not-the-password-" + System.nanoTime();
        try (KafkaProducer<String, SpecificRecord> producer = clientsAs(JaasUtils.KAFKA_PLAIN_USER1, wrong)
                .producer("riptide-feed-bad-password", null)) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.TRADES.name(), "BINANCE:BTCUSDT", trade("3")))
                    .get(60, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, failed.getCause(), failed.toString());
            assertFalse(failed.getCause().getMessage().contains(wrong), "the password is not in the error: "
                    + failed.getCause().getMessage());
        }
    }
}
