package io.riptide.serving;

import java.util.Objects;

/**
 * Groups rows (from any instrument) into batches for one model and flushes at {@code maxBatch} rows or when
 * the oldest row is {@code maxAgeNanos} old, so the latency a row gains from batching is bounded by
 * {@code maxAgeNanos} plus the interval between {@link #flushIfDue} calls (a Kafka Streams wall-clock
 * punctuator) plus one batch prediction.
 *
 * <p>Single-threaded by design (one per stream task): rows are copied into preallocated buffers, so offering
 * and flushing allocate nothing.
 *
 * @param <K> the key returned with each result (an instrument, a record reference)
 */
public final class MicroBatcher<K> {

    /** Receives each result, in offer order. */
    @FunctionalInterface
    public interface Sink<K> {
        void accept(K key, double probability, long enqueuedNanos);
    }

    private final Model model;
    private final int maxBatch;
    private final long maxAgeNanos;
    private final Sink<K> sink;
    private final int cols;
    private final double[] rows;
    private final double[] out;
    private final Object[] keys;
    private final long[] enqueued;
    private int size;
    private long flushes;
    private long maxAddedLatencyNanos;

    public MicroBatcher(Model model, int maxBatch, long maxAgeNanos, Sink<K> sink) {
        this.model = Objects.requireNonNull(model, "model");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxAgeNanos < 0) {
            throw new IllegalArgumentException("maxAgeNanos must be >= 0, got " + maxAgeNanos);
        }
        this.maxBatch = maxBatch;
        this.maxAgeNanos = maxAgeNanos;
        this.cols = model.numFeatures();
        this.rows = new double[maxBatch * cols];
        this.out = new double[maxBatch];
        this.keys = new Object[maxBatch];
        this.enqueued = new long[maxBatch];
    }

    /** Adds a row (copied); flushes when the batch is full or the oldest row is due. */
    public void offer(K key, double[] features, long nowNanos) {
        if (features.length != cols) {
            throw new IllegalArgumentException("row has " + features.length + " features, model expects " + cols);
        }
        System.arraycopy(features, 0, rows, size * cols, cols);
        keys[size] = key;
        enqueued[size] = nowNanos;
        size++;
        if (size == maxBatch || nowNanos - enqueued[0] >= maxAgeNanos) {
            flush(nowNanos);
        }
    }

    /** Flushes when the oldest waiting row has waited {@code maxAgeNanos}; returns whether it flushed. */
    public boolean flushIfDue(long nowNanos) {
        if (size > 0 && nowNanos - enqueued[0] >= maxAgeNanos) {
            flush(nowNanos);
            return true;
        }
        return false;
    }

    /** Predicts every waiting row and hands the results to the sink. */
    @SuppressWarnings("unchecked")
    public void flush(long nowNanos) {
        if (size == 0) {
            return;
        }
        int n = size;
        size = 0;
        model.predictBatch(rows, n, out);
        maxAddedLatencyNanos = Math.max(maxAddedLatencyNanos, nowNanos - enqueued[0]);
        flushes++;
        for (int i = 0; i < n; i++) {
            K key = (K) keys[i];
            keys[i] = null;
            sink.accept(key, out[i], enqueued[i]);
        }
    }

    public int waiting() {
        return size;
    }

    public long flushes() {
        return flushes;
    }

    /** The longest a row has waited for its batch so far. */
    public long maxAddedLatencyNanos() {
        return maxAddedLatencyNanos;
    }
}
