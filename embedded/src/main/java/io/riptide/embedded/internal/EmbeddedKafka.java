package io.riptide.embedded.internal;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Path;
import java.util.Map;

/** A one-node KRaft cluster (combined broker and controller) in this JVM, set up for exactly-once with one broker. */
public final class EmbeddedKafka implements KafkaServer {
    /** Room for a 16 MiB model artifact plus record and batch overhead. */
    public static final int MESSAGE_MAX_BYTES = 16 * 1024 * 1024 + 1024 * 1024;

    static final Map<String, String> BROKER_CONFIG = Map.ofEntries(
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES)),
            Map.entry("replica.fetch.max.bytes", Integer.toString(MESSAGE_MAX_BYTES)),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("log.cleaner.backoff.ms", "1000"));

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats and starts the cluster under {@code baseDirectory} (null: a temporary directory, deleted on close). */
    public static EmbeddedKafka start(Path baseDirectory) throws Exception {
        return start(baseDirectory, SecurityProtocol.PLAINTEXT);
    }

    /**
     * A broker whose listeners take SASL/PLAIN and which authorises with KRaft's StandardAuthorizer: no ACL, no
     * access. The test kit knows two users, {@code plain-admin} (a super user, password {@code plain-admin-secret})
     * and {@code plain-user1} ({@code plain-user1-secret}); it writes their JAAS file and points
     * {@code java.security.auth.login.config} at it, for the whole JVM.
     */
    public static EmbeddedKafka startWithSasl(Path baseDirectory) throws Exception {
        return start(baseDirectory, SecurityProtocol.SASL_PLAINTEXT);
    }

    private static EmbeddedKafka start(Path baseDirectory, SecurityProtocol protocol) throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(protocol)
                .setControllerSecurityProtocol(protocol);
        if (baseDirectory != null) {
            nodes.setBaseDirectory(baseDirectory);
        }
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
        BROKER_CONFIG.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
