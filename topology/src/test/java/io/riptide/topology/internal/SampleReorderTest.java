package io.riptide.topology.internal;

import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.SampleKind;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reorder buffer is durable once per commit: a sample released before the commit is never written, one still
 * waiting at the commit is, and a restart on what the commit left releases exactly the waiting ones, in order.
 */
class SampleReorderTest {
    @Test
    void onlySamplesStillWaitingAtTheCommitAreWrittenAndARestartReleasesThem() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("monitor"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        List<Long> released = new ArrayList<>();
        SampleReorder reorder = new SampleReorder(store, 60_000, 60_000);

        // A leads; B's watermark holds back everything at or after its 1,000
        reorder.offer(sample("A", 500, 5_000), 0, s -> released.add(s.getAtMs()));
        reorder.offer(sample("B", 700, 1_000), 0, s -> released.add(s.getAtMs()));
        reorder.offer(sample("A", 1_500, 5_000), 0, s -> released.add(s.getAtMs()));
        reorder.offer(sample("A", 2_500, 5_000), 0, s -> released.add(s.getAtMs()));
        assertEquals(List.of(500L, 700L), released, "released before the commit");
        assertEquals(0, stored(store), "nothing is written before the commit");

        reorder.commit();
        assertEquals(2, stored(store), "the two waiting samples are written at the commit");

        reorder.offer(sample("B", 2_000, 2_000), 0, s -> released.add(s.getAtMs()));
        assertEquals(List.of(500L, 700L, 1_500L), released);
        reorder.commit();
        assertEquals(2, stored(store), "1,500 was deleted, B's 2,000 waits and is written");

        List<Long> afterRestart = new ArrayList<>();
        SampleReorder restarted = new SampleReorder(store, 60_000, 60_000);
        restarted.offer(sample("A", 9_000, 9_000), 0, s -> afterRestart.add(s.getAtMs()));
        restarted.offer(sample("B", 9_500, 9_500), 0, s -> afterRestart.add(s.getAtMs()));
        assertEquals(List.of(2_000L, 2_500L), afterRestart, "the waiting samples, in order (9,000 waits for both)");
    }

    private static MonitoringSample sample(String instrument, long atMs, long watermarkMs) {
        return MonitoringSample.newBuilder().setKind(SampleKind.PREDICTION).setModelKey("liquidation-5m")
                .setModelVersion(1).setInstrument(instrument).setTimeMs(atMs).setProbability(0.5).setLabel(null)
                .setAtMs(atMs).setWatermarkMs(watermarkMs).setFeatures(List.of(1.0, 2.0)).build();
    }

    private static int stored(KeyValueStore<String, byte[]> store) {
        int n = 0;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("Z|", new StringSerializer())) {
            for (; it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
    }
}
