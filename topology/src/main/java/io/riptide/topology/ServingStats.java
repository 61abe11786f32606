package io.riptide.topology;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Counters of how this instance made its predictions, updated by every stream task; bound to a Micrometer registry
 * ({@link #bindTo}) they are {@code /metrics}' {@code riptide_predictions_total}, ... and the histogram
 * {@code riptide_prediction_batch_wait_seconds}.
 */
public final class ServingStats implements MeterBinder {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedBars = new AtomicLong();
    private final LongAccumulator maxAddedLatencyMs = new LongAccumulator(Math::max, 0);
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong onlineBlended = new AtomicLong();
    private final AtomicLong modelFailures = new AtomicLong();
    private final List<Timer> batchWaits = new CopyOnWriteArrayList<>();

    public void batchScored(int bars, long addedLatencyMs) {
        batches.incrementAndGet();
        batchedBars.addAndGet(bars);
        maxAddedLatencyMs.accumulate(addedLatencyMs);
        for (Timer wait : batchWaits) {
            wait.record(addedLatencyMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "riptide.predictions", "predictions made", predictions);
        counter(registry, "riptide.predictions.online.blended", "predictions blended with the online learner",
                onlineBlended);
        counter(registry, "riptide.prediction.batches", "micro-batches scored", batches);
        counter(registry, "riptide.prediction.batched.bars", "closed bars scored in micro-batches", batchedBars);
        counter(registry, "riptide.model.failures",
                "model errors or non-finite probabilities (the rule-based fallback served)", modelFailures);
        batchWaits.add(Timer.builder("riptide.prediction.batch.wait")
                .description("how long the oldest closed bar of a micro-batch waited for it to be scored")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry));
    }

    private static void counter(MeterRegistry registry, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(registry);
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
