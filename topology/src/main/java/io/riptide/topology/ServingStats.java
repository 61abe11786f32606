package io.riptide.topology;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/** Counters of how this instance made its predictions, for /metrics. Updated by every stream task. */
public final class ServingStats {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedBars = new AtomicLong();
    private final LongAccumulator maxAddedLatencyMs = new LongAccumulator(Math::max, 0);
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong onlineBlended = new AtomicLong();
    private final AtomicLong modelFailures = new AtomicLong();

    public void batchScored(int bars, long addedLatencyMs) {
        batches.incrementAndGet();
        batchedBars.addAndGet(bars);
        maxAddedLatencyMs.accumulate(addedLatencyMs);
    }

    public void predicted(boolean blendedWithOnline) {
        predictions.incrementAndGet();
        if (blendedWithOnline) {
            onlineBlended.incrementAndGet();
        }
    }

    /** A model threw or returned a non-finite probability; the rule-based fallback served instead. */
    public void modelFailed() {
        modelFailures.incrementAndGet();
    }

    public long batches() {
        return batches.get();
    }

    public long batchedBars() {
        return batchedBars.get();
    }

    /** The longest a closed bar has waited for its batch, in ms. */
    public long maxAddedLatencyMs() {
        return maxAddedLatencyMs.get();
    }

    public long predictions() {
        return predictions.get();
    }

    public long onlineBlended() {
        return onlineBlended.get();
    }

    public long modelFailures() {
        return modelFailures.get();
    }
}
