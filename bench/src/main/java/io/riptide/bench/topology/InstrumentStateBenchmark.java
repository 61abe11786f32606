package io.riptide.bench.topology;

import io.riptide.features.FeatureSets;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.topology.internal.BufferedEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What the stream pays per market event to keep its per-instrument state durable: snapshotting the whole feature
 * engine (the first design) against buffering the event as a compact record (the current design; the engine is
 * snapshotted once per bar instead). Both include applying the trade to the engine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InstrumentStateBenchmark {
    private InstrumentFeatureEngine engine;
    private long time = 1_767_225_600_000L;
    private double price = 61_556.0;

    @Setup
    public void warmEngine() {
        engine = new InstrumentFeatureEngine(FeatureSets.liquidation());
        double[] bidPx = new double[20], bidQty = new double[20], askPx = new double[20], askQty = new double[20];
        for (int i = 0; i < 20; i++) {
            bidPx[i] = price - 0.5 - i;
            askPx[i] = price + 0.5 + i;
            bidQty[i] = askQty[i] = 1 + i;
        }
        for (int minute = 0; minute < 120; minute++) {
            for (int s = 0; s < 60; s++) {
                nextTrade();
                if (s % 2 == 0) {
                    engine.onBook(time, bidPx, bidQty, 20, askPx, askQty, 20);
                }
            }
            engine.onBar(time - 60_000, price, price + 5, price - 5, price, 60, price, 60, 30);
        }
    }

    private void nextTrade() {
        time += 1_000;
        price += (time / 1000 % 7) - 3;
        engine.onTrade(time, price, 0.01 + (time / 1000 % 5) * 0.01, (time / 1000 & 1) == 0);
    }

    @Benchmark
    public byte[] perEventEngineSnapshot() {
        nextTrade();
        return engine.snapshot();
    }

    @Benchmark
    public byte[] perEventBufferedRecord() {
        nextTrade();
        return BufferedEvent.trade(time, price, 0.02, true);
    }
}
