package io.riptide.topology;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the stream has restored from its changelogs since it started: records, the changelog partitions restoring now,
 * and how long restoring took. A restart that resumes from local RocksDB state restores only the changelog tail past
 * its checkpoint; one without local state (in-memory stores, a wiped state directory, an unclean stop under
 * exactly-once) replays each store's changelog. Logged per store partition, exported on {@code /metrics}, and part
 * of readiness: an instance that is restoring processes nothing.
 */
public final class RestoreProgress implements StateRestoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);
    private static final long LOG_EVERY_RECORDS = 500_000;

    private record Restore(String store, long startNanos, long toRestore, AtomicLong restored) {
    }

    private final Map<TopicPartition, Restore> active = new ConcurrentHashMap<>();
    private final AtomicLong restoredRecords = new AtomicLong();
    private final AtomicLong restoringNanos = new AtomicLong();
    private volatile long busySinceNanos;

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        synchronized (this) {
            if (active.isEmpty()) {
                busySinceNanos = System.nanoTime();
            }
            active.put(partition, new Restore(storeName, System.nanoTime(), endingOffset - startingOffset,
                    new AtomicLong()));
        }
        LOG.info("restoring {} from {} (offsets {} to {})", storeName, partition, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        restoredRecords.addAndGet(numRestored);
        Restore restore = active.get(partition);
        if (restore != null) {
            long before = restore.restored().getAndAdd(numRestored);
            if ((before + numRestored) / LOG_EVERY_RECORDS > before / LOG_EVERY_RECORDS) {
                LOG.info("restoring {} from {}: {} of about {} records", storeName, partition,
                        before + numRestored, restore.toRestore());
            }
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        finish(partition, storeName, totalRestored, "restored");
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        finish(partition, storeName, totalRestored, "suspended restoring");
    }

    private void finish(TopicPartition partition, String storeName, long totalRestored, String what) {
        Restore restore;
        synchronized (this) {
            restore = active.remove(partition);
            if (restore != null && active.isEmpty()) {
                restoringNanos.addAndGet(System.nanoTime() - busySinceNanos);
            }
        }
        long millis = restore == null ? 0 : (System.nanoTime() - restore.startNanos()) / 1_000_000;
        LOG.info("{} {} from {}: {} records in {} ms", what, storeName, partition, totalRestored, millis);
    }

    /** Changelog records restored since start (every store, the global one included). */
    public long restoredRecords() {
        return restoredRecords.get();
    }

    /** Changelog partitions being restored now. */
    public int restoring() {
        return active.size();
    }

    /** Wall time during which at least one partition was restoring, since start (finished restores only). */
    public double restoringSeconds() {
        return restoringNanos.get() / 1e9;
    }
}
