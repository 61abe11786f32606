package io.riptide.topology;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.topology.internal.BoundedRocksDbMemory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import static io.riptide.topology.internal.NodeNames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the stream keeps its task state ({@code stream.state.stores}) and how a restarted instance rejoins. */
class StreamStateStoresTest {
    private static final List<String> TASK_STORES = List.of(MARKET_STORE, LABEL_STORE, PREDICTOR_STORE,
            OUTCOME_STORE, MODEL_MONITOR_STORE);
    private static final KafkaSettings KAFKA = new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of());

    @TempDir
    Path stateDir;

    private static StreamConfig.State state(Map<String, String> env) {
        return StreamConfig.State.from(Settings.load(null, env, Map.of()));
    }

    @Test
    void rocksDbWithABoundedBudgetIsTheDefaultAndEveryKeyIsValidated() {
        StreamConfig.State defaults = state(Map.of());
        assertTrue(defaults.persistent());
        assertEquals(64L << 20, defaults.rocksDbMemoryBytes());
        assertEquals(0, defaults.standbyReplicas());
        assertEquals(Optional.empty(), defaults.groupInstanceId());

        StreamConfig.State set = state(Map.of("RIPTIDE_STREAM_STATE_STORES", "in-memory",
                "RIPTIDE_STREAM_NUM_STANDBY_REPLICAS", "1", "RIPTIDE_STREAM_GROUP_INSTANCE_ID", "riptide-stream-2"));
        assertFalse(set.persistent());
        assertEquals(1, set.standbyReplicas());
        assertEquals(Optional.of("riptide-stream-2"), set.groupInstanceId());

        assertEquals("invalid value 'disk' for stream.state.stores (from env RIPTIDE_STREAM_STATE_STORES): expected "
                + "one of rocksdb, in-memory", assertThrows(ConfigException.class,
                () -> state(Map.of("RIPTIDE_STREAM_STATE_STORES", "disk"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> state(Map.of("RIPTIDE_STREAM_ROCKSDB_MEMORY_BYTES",
                "1000"))).getMessage().startsWith("invalid value 1000 for stream.rocksdb.memory.bytes"));
    }

    @Test
    void theStreamsPropertiesCarryTheBudgetStandbysAndStaticMembership() {
        StreamConfig config = StreamConfig.defaults(KAFKA, "state-test", stateDir);
        KafkaClientFactory clients = new KafkaClientFactory(KAFKA, new InMemorySchemaRegistry());
        Properties dynamic = StreamService.streamsProperties(config, clients);
        assertEquals(BoundedRocksDbMemory.class, dynamic.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(64L << 20), dynamic.get(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG));
        assertEquals(0, dynamic.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        String instanceKey = StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertFalse(dynamic.containsKey(instanceKey));

        StreamConfig.State staticMember = state(Map.of("RIPTIDE_STREAM_GROUP_INSTANCE_ID", "riptide-stream-0"));
        Properties props = StreamService.streamsProperties(config.withState(staticMember), clients);
        assertEquals("riptide-stream-0", props.get(instanceKey));
    }

    @Test
    void everyTaskStoreIsRocksDbUnderTheStateDirectoryOrInMemoryAsConfigured() throws Exception {
        assertEquals(new Stores(List.of(true, true, true, true, true), true), stores(true));
        assertEquals(new Stores(List.of(false, false, false, false, false), false), stores(false));
    }

    /** Each task store's {@code persistent()}, and whether the market store has a RocksDB directory. */
    private record Stores(List<Boolean> persistent, boolean marketStoreOnDisk) {
    }

    private Stores stores(boolean persistent) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        FeatureSet featureSet = FeatureSets.liquidation();
        Path dir = Files.createTempDirectory(stateDir, persistent ? "rocksdb" : "memory");
        StreamConfig config = StreamConfig.defaults(KAFKA, "state-test", dir)
                .withState(state(Map.of()).withPersistent(persistent));
        LiveModels liveModels = new LiveModels(featureSet.hash(), featureSet.names(), false);
        Properties props = StreamService.streamsProperties(config, new KafkaClientFactory(KAFKA, registry));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamTopology.build(config, featureSet, liveModels,
                registry), props);
             Stream<Path> files = Files.walk(dir)) {
            boolean onDisk = files.anyMatch(p -> p.getFileName().toString().equals(MARKET_STORE)
                    && Files.isDirectory(p));
            return new Stores(TASK_STORES.stream().map(name -> driver.getAllStateStores().get(name).persistent())
                    .toList(), onDisk);
        } finally {
            liveModels.close();
        }
    }
}
