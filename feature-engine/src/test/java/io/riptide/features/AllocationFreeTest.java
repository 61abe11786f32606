package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The update path and writeFeatures allocate nothing: measured with the JVM's per-thread allocation counter over
 * many real bars, trades, 20-level books and liquidations (in the interpreter as well as compiled, since the
 * counter sees every allocation the code makes, before any escape analysis could hide it).
 */
class AllocationFreeTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() { return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()); }

    @Test
    void updatesAndFeatureVectorsAllocateNothing() {
        Klines k = Klines.slice();
        FeatureSet set = FeatureSets.all();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(set);
        BarAggregator bars = new BarAggregator(60_000);
        double[] out = new double[set.size()];
        double[] bp = new double[20], bq = new double[20], ap = new double[20], aq = new double[20];
        run(e, bars, k, 0, 300, out, bp, bq, ap, aq); // warm-up: fill every window and ring first

        long baseline = allocated();
        baseline = allocated() - baseline; // what the counter itself costs
        long before = allocated();
        run(e, bars, k, 300, k.size(), out, bp, bq, ap, aq);
        long bytes = allocated() - before - baseline;
        int events = (k.size() - 300) * (4 + 4 + 1 + 1 + 1);
        // any per-call allocation would show as >= 16 bytes x 7,700 calls; allow a few hundred bytes the JVM itself
        // may charge to the thread once (JMX bookkeeping, deoptimisation), which does not grow with the call count
        assertTrue(bytes < 1024, bytes + " bytes allocated over " + events + " engine calls");
    }

    private static void run(InstrumentFeatureEngine e, BarAggregator bars, Klines k, int from, int to, double[] out,
                            double[] bp, double[] bq, double[] ap, double[] aq) {
        for (int i = from; i < to; i++) {
            long t = k.time[i];
            for (int j = 0; j < 4; j++) {
                double px = j == 0 ? k.open[i] : j == 1 ? k.high[i] : j == 2 ? k.low[i] : k.close[i];
                e.onTrade(t + j * 10_000L, px, 0.1 + j, (i + j) % 2 == 0);
                bars.onTrade(t + j * 10_000L, px, 0.1 + j, (i + j) % 2 == 0);
            }
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 20; l++) {
                    bp[l] = k.close[i] - 0.01 * (1 + l + j);
                    ap[l] = k.close[i] + 0.01 * (1 + l + j);
                    bq[l] = 1 + (i + l + j) % 9;
                    aq[l] = 1 + (i * 7 + l) % 11;
                }
                e.onBook(t + 5_000L + j * 10_000L, bp, bq, 20, ap, aq, 20);
            }
            if (i % 3 == 0) e.onLiquidation(t + 30_000L, i % 2 == 0 ? 1 : -1, k.close[i], 0.2, Double.NaN);
            e.onBar(t, k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
            e.writeFeatures(t + 60_000L, out);
        }
    }
}
