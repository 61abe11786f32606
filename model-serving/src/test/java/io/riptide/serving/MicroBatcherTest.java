package io.riptide.serving;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MicroBatcherTest {

    private final RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(
            List.of("liq_notional_5m", "spread_bps"));

    @Test
    void flushesAtBatchSizeWithResultsInOfferOrder() {
        List<String> keys = new ArrayList<>();
        List<Double> probs = new ArrayList<>();
        MicroBatcher<String> b = new MicroBatcher<>(model, 3, 1_000_000, (k, p, t) -> {
            keys.add(k);
            probs.add(p);
        });
        b.offer("BTC", new double[] {1e6, 2}, 0);
        b.offer("ETH", new double[] {0, 1}, 10);
        assertEquals(0, keys.size());
        assertEquals(2, b.waiting());
        b.offer("SOL", new double[] {5e5, 3}, 20);
        assertEquals(List.of("BTC", "ETH", "SOL"), keys);
        assertEquals(model.predict(new double[] {1e6, 2}), probs.get(0), 0.0);
        assertEquals(model.predict(new double[] {0, 1}), probs.get(1), 0.0);
        assertEquals(1, b.flushes());
    }

    @Test
    void flushesWhenTheOldestRowReachesMaxAgeSoAddedLatencyIsBounded() {
        List<Long> latency = new ArrayList<>();
        long maxAge = 2_000_000;  // 2 ms
        long[] now = {0};
        MicroBatcher<Integer> b = new MicroBatcher<>(model, 1000, maxAge, (k, p, t) -> latency.add(now[0] - t));
        for (int i = 0; i < 50; i++) {
            now[0] = i * 300_000L;  // a row every 0.3 ms
            b.offer(i, new double[] {i, 1}, now[0]);
            b.flushIfDue(now[0]);
        }
        now[0] += maxAge;
        b.flushIfDue(now[0]);
        assertEquals(50, latency.size());
        long pollInterval = 300_000;
        assertTrue(b.maxAddedLatencyNanos() <= maxAge + pollInterval, "added latency " + b.maxAddedLatencyNanos());
        assertTrue(b.flushes() > 5, "batches " + b.flushes());
        assertTrue(latency.stream().allMatch(l -> l <= maxAge + pollInterval), latency.toString());
    }

    @Test
    void flushIfDueDoesNothingBeforeTheAge() {
        int[] seen = {0};
        MicroBatcher<String> b = new MicroBatcher<>(model, 10, 100, (k, p, t) -> seen[0]++);
        b.offer("a", new double[] {1, 1}, 0);
        assertTrue(!b.flushIfDue(50));
        assertTrue(b.flushIfDue(100));
        assertEquals(1, seen[0]);
        assertThrows(IllegalArgumentException.class, () -> b.offer("x", new double[3], 0));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher<String>(model, 0, 1, (k, p, t) -> { }));
    }

    @Test
    void aHandlerSeesEachFlushedBatchWholeAndRowsPutBackWaitForTheNextFlush() {
        List<String> batches = new ArrayList<>();
        MicroBatcher<String> b = new MicroBatcher<>(2, 3, 100, batch -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                double[] rows = batch.rowsRowMajor();
                s.append(batch.key(i)).append('=').append(rows[i * 2]).append('/').append(rows[i * 2 + 1])
                        .append('@').append(batch.enqueuedNanos(i)).append(' ');
            }
            batches.add(s.toString().strip());
        });
        b.offerWithoutFlush("r1", new double[] {1, 2}, 0);
        b.offerWithoutFlush("r2", new double[] {3, 4}, 0);
        assertEquals(List.of(), batches, "put back without scoring, even though already due");
        b.offer("new", new double[] {5, 6}, 10);
        assertEquals(List.of("r1=1.0/2.0@0 r2=3.0/4.0@0 new=5.0/6.0@10"), batches);
        assertEquals(3, b.rowsFlushed());
        b.offerWithoutFlush("a", new double[] {7, 8}, 20);
        b.offerWithoutFlush("b", new double[] {7, 8}, 20);
        b.offerWithoutFlush("c", new double[] {7, 8}, 20);
        assertThrows(IllegalStateException.class, () -> b.offerWithoutFlush("d", new double[] {7, 8}, 20));
        List<String> waiting = new ArrayList<>();
        b.forEachWaiting(waiting::add);
        assertEquals(List.of("a", "b", "c"), waiting);
        assertTrue(b.flushIfDue(120));
        assertEquals(2, batches.size());
        assertEquals(0, b.waiting());
        assertEquals(100, b.maxAddedLatencyNanos());
    }
}
