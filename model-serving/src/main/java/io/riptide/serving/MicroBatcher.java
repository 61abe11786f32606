package io.riptide.serving;

import java.util.Objects;

/**
 * Groups rows (from any instrument) into batches and flushes at {@code maxBatch} rows or when the oldest row is
 * {@code maxAgeNanos} old, so the latency a row gains from batching is bounded by {@code maxAgeNanos} plus the
 * interval between {@link #flushIfDue} calls (a Kafka Streams wall-clock punctuator) plus one batch prediction.
 *
 * <p>A batch goes either to one fixed model and a per-row {@link Sink}, or to a {@link BatchHandler} that scores
 * it however it likes (the stream picks a model per row and horizon at flush time, so a hot swap applies to the
 * rows still waiting).
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

    /** Scores a flushed batch; the batch is only valid during the call. */
    @FunctionalInterface
    public interface BatchHandler<K> {
        void accept(Batch<K> batch);
    }

    /** The rows of one flush, in offer order. */
    public static final class Batch<K> {
        private final int cols;
        private final double[] rows;
        private final Object[] keys;
        private final long[] enqueued;
        private int size;

        private Batch(int cols, int maxBatch) {
            this.cols = cols;
            this.rows = new double[maxBatch * cols];
            this.keys = new Object[maxBatch];
            this.enqueued = new long[maxBatch];
        }

        public int size() {
            return size;
        }

        public int cols() {
            return cols;
        }

        @SuppressWarnings("unchecked")
        public K key(int i) {
            return (K) keys[Objects.checkIndex(i, size)];
        }

        /** The rows, row-major: row i is {@code [i * cols, (i + 1) * cols)}; do not keep a reference. */
        public double[] rowsRowMajor() {
            return rows;
        }

        public long enqueuedNanos(int i) {
            return enqueued[Objects.checkIndex(i, size)];
        }
    }

    private final int maxBatch;
    private final long maxAgeNanos;
    private final BatchHandler<K> handler;
    private final Batch<K> batch;
    private long flushes;
    private long rowsFlushed;
    private long maxAddedLatencyNanos;

    /** Batches for one fixed model; each result goes to {@code sink}. */
    public MicroBatcher(Model model, int maxBatch, long maxAgeNanos, Sink<K> sink) {
        this(model.numFeatures(), maxBatch, maxAgeNanos, predictingInto(model, maxBatch, sink));
    }

    /** Batches rows of {@code cols} values; each flushed batch goes to {@code handler}. */
    public MicroBatcher(int cols, int maxBatch, long maxAgeNanos, BatchHandler<K> handler) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxAgeNanos < 0) {
            throw new IllegalArgumentException("maxAgeNanos must be >= 0, got " + maxAgeNanos);
        }
        if (cols < 1) {
            throw new IllegalArgumentException("rows need >= 1 column, got " + cols);
        }
        this.handler = Objects.requireNonNull(handler, "handler");
        this.maxBatch = maxBatch;
        this.maxAgeNanos = maxAgeNanos;
        this.batch = new Batch<>(cols, maxBatch);
    }

    private static <K> BatchHandler<K> predictingInto(Model model, int maxBatch, Sink<K> sink) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sink, "sink");
        double[] out = new double[Math.max(1, maxBatch)];
        return b -> {
            model.predictBatch(b.rowsRowMajor(), b.size(), out);
            for (int i = 0; i < b.size(); i++) {
                sink.accept(b.key(i), out[i], b.enqueuedNanos(i));
            }
        };
    }

    /** Adds a row (copied); flushes when the batch is full or the oldest row is due. */
    public void offer(K key, double[] features, long nowNanos) {
        add(key, features, nowNanos);
        if (batch.size == maxBatch || nowNanos - batch.enqueued[0] >= maxAgeNanos) {
            flush(nowNanos);
        }
    }

    /**
     * Adds a row without flushing, even when the batch is full or due; the next {@link #offer} or
     * {@link #flushIfDue} flushes it. For putting rows back after a restart, where scoring must wait.
     */
    public void offerWithoutFlush(K key, double[] features, long nowNanos) {
        if (batch.size == maxBatch) {
            throw new IllegalStateException("batch is full (" + maxBatch + " rows); flush before adding more");
        }
        add(key, features, nowNanos);
    }

    private void add(K key, double[] features, long nowNanos) {
        if (features.length != batch.cols) {
            throw new IllegalArgumentException("row has " + features.length + " features, expected " + batch.cols);
        }
        int size = batch.size;
        System.arraycopy(features, 0, batch.rows, size * batch.cols, batch.cols);
        batch.keys[size] = key;
        batch.enqueued[size] = nowNanos;
        batch.size = size + 1;
    }

    /** Flushes when the oldest waiting row has waited {@code maxAgeNanos}; returns whether it flushed. */
    public boolean flushIfDue(long nowNanos) {
        if (batch.size > 0 && nowNanos - batch.enqueued[0] >= maxAgeNanos) {
            flush(nowNanos);
            return true;
        }
        return false;
    }

    /** Hands every waiting row to the handler (or model and sink). */
    public void flush(long nowNanos) {
        if (batch.size == 0) {
            return;
        }
        maxAddedLatencyNanos = Math.max(maxAddedLatencyNanos, nowNanos - batch.enqueued[0]);
        flushes++;
        rowsFlushed += batch.size;
        try {
            handler.accept(batch);
        } finally {
            java.util.Arrays.fill(batch.keys, 0, batch.size, null);
            batch.size = 0;
        }
    }

    /** Visits the keys of the rows waiting for the next flush, in offer order. */
    @SuppressWarnings("unchecked")
    public void forEachWaiting(java.util.function.Consumer<? super K> action) {
        for (int i = 0; i < batch.size; i++) {
            action.accept((K) batch.keys[i]);
        }
    }

    public int waiting() {
        return batch.size;
    }

    public long flushes() {
        return flushes;
    }

    public long rowsFlushed() {
        return rowsFlushed;
    }

    /** The longest a row has waited for its batch so far. */
    public long maxAddedLatencyNanos() {
        return maxAddedLatencyNanos;
    }
}
