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
}
