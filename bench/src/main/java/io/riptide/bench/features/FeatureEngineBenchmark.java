package io.riptide.bench.features;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.features.InstrumentFeatureEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Cost of one update of the feature engine: a closed bar through every bar feature (TA-Lib indicators, channels,
 * volatility, z-scores, patterns, regime) plus the feature vector, and one 20-level book update. Real BTCUSDT bars.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FeatureEngineBenchmark {
    private BenchBars bars;
    private InstrumentFeatureEngine barEngine;
    private InstrumentFeatureEngine bookEngine;
    private double[] out;
    private int i;
    private long t;
    private final double[][] bidPx = new double[256][20];
    private final double[][] bidQty = new double[256][20];
    private final double[][] askPx = new double[256][20];
    private final double[][] askQty = new double[256][20];
    private int b;

    @Setup
    public void setUp() {
        bars = BenchBars.load();
        FeatureSet set = FeatureSets.barIndicators();
        barEngine = new InstrumentFeatureEngine(set);
        out = new double[set.size()];
        // start warm, as a long-running stream is
        for (int k = 0; k < 1_000; k++) barUpdate();
        bookEngine = new InstrumentFeatureEngine(FeatureSets.all());
        for (int s = 0; s < 256; s++) {
            double mid = bars.close[s];
            for (int l = 0; l < 20; l++) {
                bidPx[s][l] = mid - 0.005 - 0.01 * l * (1 + s % 3);
                askPx[s][l] = mid + 0.005 + 0.01 * l * (1 + s % 5);
                bidQty[s][l] = 0.1 + ((s * 31 + l * 7) % 50) / 10.0;
                askQty[s][l] = 0.1 + ((s * 17 + l * 13) % 60) / 10.0;
            }
        }
        // warm every part of the book engine: 1,000 bars, trades, books and a liquidation every 5 bars
        long tw = 0;
        for (int k = 0; k < 1_000; k++, tw += 60_000L) {
            for (int j = 0; j < 20; j++) bookEngine.onTrade(tw + j * 3_000L, bars.close[k], 0.05, j % 3 != 0);
            bookEngine.onBook(tw, bidPx[k & 255], bidQty[k & 255], 20, askPx[k & 255], askQty[k & 255], 20);
            if (k % 5 == 0) bookEngine.onLiquidation(tw, 1, bars.close[k], 0.2, Double.NaN);
            bookEngine.onBar(tw, bars.open[k], bars.high[k], bars.low[k], bars.close[k], bars.volume[k], Double.NaN, -1, Double.NaN);
        }
        t = Math.max(t, tw);
    }

    /** Snapshot of a warm engine with the full liquidation set (what a changelogged state store would write). */
    @Benchmark
    public byte[] snapshotWarmEngine() {
        return bookEngine.snapshot();
    }

    /** One closed bar through the whole bar-feature set, then the feature vector. */
    @Benchmark
    public double barUpdate() {
        int k = i;
        barEngine.onBar(t, bars.open[k], bars.high[k], bars.low[k], bars.close[k], bars.volume[k], Double.NaN, -1, Double.NaN);
        barEngine.writeFeatures(t + 60_000L, out);
        t += 60_000L;
        i = k + 1 == bars.size() ? 0 : k + 1;
        return out[0];
    }

    /** One 20-level book update (spread, microprice, imbalances, depth, slope, walls, pressure, OFI). */
    @Benchmark
    public long bookUpdate20() {
        int s = b;
        bookEngine.onBook(t, bidPx[s], bidQty[s], 20, askPx[s], askQty[s], 20);
        t += 100L;
        b = (s + 1) & 255;
        return t;
    }
}
