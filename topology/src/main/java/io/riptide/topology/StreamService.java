package io.riptide.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.riptide.features.FeatureSet;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.internal.BoundedRocksDbMemory;
import io.riptide.topology.internal.DeadLetterProcessingExceptionHandler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/** The stream application: one Kafka Streams instance running {@link StreamTopology} with exactly-once semantics. */
public final class StreamService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);

    private final StreamConfig config;
    private final KafkaClientFactory clients;
    private final LiveModels liveModels;
    private final Topology topology;
    /** The exit code of a stream JVM that ran out of memory (as -XX:+ExitOnOutOfMemoryError's would be non-zero). */
    public static final int OUT_OF_MEMORY_EXIT_CODE = 3;
    private final KafkaStreams streams;
    private final StreamMetrics streamMetrics;
    private final RestoreProgress restores = new RestoreProgress();
    private final java.util.concurrent.atomic.AtomicLong threadDeaths = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<Throwable> lastThreadDeath =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closing;
    private volatile boolean hasBeenRunning;

    public StreamService(StreamConfig config, FeatureSet featureSet, KafkaClientFactory clients) {
        this(config, featureSet, clients, Metrics.globalRegistry);
    }

    /** With the registry its meters go to ({@link StreamMetrics}). */
    public StreamService(StreamConfig config, FeatureSet featureSet, KafkaClientFactory clients, MeterRegistry meters) {
        this(config, featureSet, clients, meters, java.util.Map.of());
    }

    /**
     * With Kafka Streams properties laid over {@link #streamsProperties}: {@code riptide bench stream} runs the same
     * topology under at_least_once this way, to show what exactly-once costs. Services never do.
     */
    public StreamService(StreamConfig config, FeatureSet featureSet, KafkaClientFactory clients, MeterRegistry meters,
                         java.util.Map<String, ?> streamsOverrides) {
        this.config = config;
        this.clients = clients;
        this.liveModels = new LiveModels(featureSet.hash(), featureSet.names(), config.serving().nativePath());
        this.topology = StreamTopology.build(config, featureSet, liveModels, clients.registry());
        Properties props = streamsProperties(config, clients);
        props.putAll(streamsOverrides);
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            if (outOfMemory(e)) {
                // every decode is bounded, so this is the JVM's own memory: exit non-zero and let the supervisor
                // restart it; the open transaction is aborted, nothing committed is lost
                LOG.error("stream thread ran out of memory; exiting", e);
                Runtime.getRuntime().halt(OUT_OF_MEMORY_EXIT_CODE);
            }
            threadDeaths.incrementAndGet();
            lastThreadDeath.set(e);
            LOG.error("stream thread died; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setGlobalStateRestoreListener(restores);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                hasBeenRunning = true;
            }
        });
        this.streamMetrics = new StreamMetrics(streams, liveModels, config.horizonsMinutes(), restores);
        streamMetrics.bindTo(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("riptide.stream.thread.deaths", threadDeaths,
                        java.util.concurrent.atomic.AtomicLong::get)
                .description("Stream threads that died of an uncaught exception and were replaced").register(meters);
    }

    /** The Kafka Streams properties this service runs with (also what tests drive the topology with). */
    public static Properties streamsProperties(StreamConfig config, KafkaClientFactory clients) {
        Properties props = new Properties();
        props.putAll(clients.commonProperties(config.applicationId()));
        props.remove(org.apache.kafka.clients.CommonClientConfigs.CLIENT_ID_CONFIG);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // 0 (the default): a task waits only for partitions with data on the broker that it has not fetched, which
        // keeps the market topics roughly in step. Above 0 sparse liquidation partitions would make every task idle;
        // -1 lets one topic run ahead and the market processor buffer it (measured slower, docs/PERFORMANCE.md).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, config.maxTaskIdleMs());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class.getName());
        props.put(DeadLetterProcessingExceptionHandler.REGISTRY_URL_CONFIG, config.kafka().schemaRegistryUrl());
        props.put(DeadLetterProcessingExceptionHandler.TOPIC_CONFIG, config.kafka().topics().name(Topics.DEADLETTER));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(config.state().rocksDbMemoryBytes()));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.state().standbyReplicas());
        config.state().groupInstanceId().ifPresent(id ->
                props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        return props;
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public void start() {
        LOG.info("starting stream application {} (exactly_once_v2, horizons {} min)", config.applicationId(),
                config.horizonsMinutes());
        ensureInternalTopics();
        streams.start();
    }

    /**
     * Creates the application's monitoring-samples topic if it is missing. Like Kafka Streams' own internal topics
     * it belongs to the application id, so the application creates it (the same ACL covers both).
     */
    private void ensureInternalTopics() {
        try (org.apache.kafka.clients.admin.Admin admin = clients.admin(config.applicationId() + "-topics")) {
            io.riptide.schemas.topics.TopicBootstrap.ensureTopics(admin,
                    java.util.List.of(StreamTopology.monitoringSamples(config)), config.kafka().replicationFactor());
        }
    }

    /** Waits until the instance is RUNNING (all tasks assigned and restored). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream application not RUNNING after " + timeout
                        + " (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** Stream threads that died of an uncaught exception (each was replaced) since start. */
    public long threadDeaths() {
        return threadDeaths.get();
    }

    /** Kafka Streams in ERROR (or on its way there): its global thread died, or it was told to shut down. */
    @Override
    public Optional<String> deadComponent() {
        KafkaStreams.State state = streams.state();
        if (closing || (state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR)) {
            return Optional.empty();
        }
        Throwable cause = lastThreadDeath.get();
        return Optional.of("Kafka Streams is " + state + (cause == null ? "" : " after " + cause));
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether Kafka Streams has reached RUNNING since start: its first assignment was made and restored. */
    public boolean hasBeenRunning() {
        return hasBeenRunning;
    }

    /** What has been restored from the changelogs since start, and what is restoring now. */
    public RestoreProgress restores() {
        return restores;
    }

    /** Kafka Streams' metrics (threads, tasks, processors, stores, embedded clients). */
    public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics() {
        return streams.metrics();
    }

    public LiveModels liveModels() {
        return liveModels;
    }

    public Topology topology() {
        return topology;
    }

    @Override
    public void close() {
        closing = true;
        // a dynamic member leaves, so whoever takes its tasks (its own restart, too) need not wait out the session
        // timeout; a static member stays, so that its restart under the same id gets its tasks back at once
        streams.close(CloseOptions.groupMembershipOperation(config.state().groupInstanceId().isPresent()
                ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        streamMetrics.close();
        liveModels.close();
    }

    private static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
