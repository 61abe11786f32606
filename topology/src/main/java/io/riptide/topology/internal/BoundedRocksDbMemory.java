package io.riptide.topology.internal;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the off-heap memory of every RocksDB store of a process to one budget. Left alone, Kafka Streams gives each
 * store its own 50 MB block cache and up to three 16 MB memtables, so memory grows with the number of tasks and
 * stores. Here all stores share one LRU block cache the size of the budget ({@code stream.rocksdb.memory.bytes}),
 * index and filter blocks included, and their memtables are charged to that same cache through one {@link WriteBufferManager} (half the
 * budget at most), as Kafka Streams' memory-management guide recommends.
 *
 * <p>Kafka Streams creates a setter per store by class name, so the shared objects live in a static map keyed by
 * budget; they are never closed, because a store closing does not end the others' use of them.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Streams property carrying the budget in bytes ({@code stream.rocksdb.memory.bytes}). */
    public static final String MEMORY_BYTES_CONFIG = "riptide.rocksdb.memory.bytes";
    private static final double INDEX_AND_FILTER_SHARE = 0.1;
    private static final long MAX_MEMTABLE_BYTES = 16L << 20;
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object budgetValue = configs.get(MEMORY_BYTES_CONFIG);
        if (budgetValue == null) {
            throw new IllegalStateException(MEMORY_BYTES_CONFIG + " is missing from the streams properties");
        }
        long budget = Long.parseLong(budgetValue.toString());
        Shared shared = SHARED.computeIfAbsent(budget, BoundedRocksDbMemory::create);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setWriteBufferSize(Math.min(MAX_MEMTABLE_BYTES, budget / 8));
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the process: see the class comment
    }

    private static Shared create(long budget) {
        RocksDB.loadLibrary();
        Cache cache = new LRUCache(budget, -1, false, INDEX_AND_FILTER_SHARE);
        return new Shared(cache, new WriteBufferManager(budget / 2, cache));
    }
}
