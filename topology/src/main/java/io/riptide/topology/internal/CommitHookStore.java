package io.riptide.topology.internal;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Map;

/**
 * A key-value store that runs its owner's hook just before each commit writes the store's cache to the changelog,
 * so the owner can keep state in memory between commits and make it durable once per commit, in the same
 * transaction as the input offsets it covers. Without the hook a processor can only make state durable by writing
 * it on every record.
 *
 * <p>Kafka Streams 4.3 flushes every cached store ({@code CachedStateStore#flushCache}) while preparing a commit,
 * before it flushes the producer and commits the transaction (also when a task is suspended or closed cleanly);
 * {@code StateStore#commit} comes only after the transaction, too late for changelog writes. So the hook hangs off
 * {@code flushCache}, which is Kafka Streams' internal API: {@code StreamRestartIT} (a real broker, a stream stopped
 * mid-bar and restarted on an empty state directory) fails if an upgrade changes that order.
 *
 * <p>This store is deliberately not a {@link KeyValueStore} itself, so {@code ProcessorContext#getStateStore} hands
 * the processor this object and not a read-write decorator; the processor reads and writes through {@link #inner()}.
 */
public final class CommitHookStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {
    private Runnable beforeCommit;

    private CommitHookStore(KeyValueStore<String, byte[]> inner) {
        super(inner);
    }

    /** The store the owner reads and writes (metered, cached, changelogged). */
    public KeyValueStore<String, byte[]> inner() {
        return wrapped();
    }

    /** Sets the hook; the processor sets it in its {@code init}, after the store's own (re)initialisation. */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        beforeCommit = null; // a revived task gets a fresh processor, which sets its own hook
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        if (beforeCommit != null) {
            beforeCommit.run();
        }
        super.flushCache();
    }

    @Override
    public void close() {
        beforeCommit = null;
        super.close();
    }

    /** Builds a {@link CommitHookStore} around what {@code inner} builds; caching and logging are {@code inner}'s. */
    public static StoreBuilder<CommitHookStore> builder(StoreBuilder<KeyValueStore<String, byte[]>> inner) {
        return new Builder(inner);
    }

    private record Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner) implements StoreBuilder<CommitHookStore> {
        @Override
        public StoreBuilder<CommitHookStore> withCachingEnabled() {
            return new Builder(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<CommitHookStore> withCachingDisabled() {
            return new Builder(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<CommitHookStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<CommitHookStore> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled());
        }

        @Override
        public CommitHookStore build() {
            return new CommitHookStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
