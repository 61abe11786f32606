package io.riptide.topology;

import io.riptide.features.FeatureSet;
import io.riptide.features.MarketSource;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.serde.AvroWireDeserializer;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.internal.CommitHookStore;
import io.riptide.topology.internal.DecodingProcessor;
import io.riptide.topology.internal.LabelProcessor;
import io.riptide.topology.internal.MarketEventProcessor;
import io.riptide.topology.internal.ModelMonitor;
import io.riptide.topology.internal.ModelVersionLoader;
import io.riptide.topology.internal.OutcomeJoiner;
import io.riptide.topology.internal.PatternSignaller;
import io.riptide.topology.internal.PredictionProcessor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.util.function.Function;

import static io.riptide.topology.internal.NodeNames.*;

/**
 * Wires the stream application. Market topics are read as raw bytes and decoded by our own processors, so a record
 * that cannot be decoded is dead-lettered with its original bytes instead of stopping the stream. Then, per
 * instrument: the market processor merges the inputs by event time and builds bars and features; the labeller
 * labels every bar at every horizon once its window has passed (training examples, online learners); the predictor
 * scores bars in micro-batches (predictions, alerts, shadow predictions); the outcome joiner joins what was served
 * with what happened (outcomes); the pattern signaller emits pattern signals and judges them on their triple barrier
 * (pattern outcomes, pattern training examples). Monitors see every prediction and outcome of a model, in event-time order. See
 * docs/TOPOLOGY.md for the {@code describe()} output.
 */
public final class StreamTopology {
    private StreamTopology() {
    }

    /** The application's own monitoring-samples topic (internal; named after the application id). */
    public static Topic<MonitoringSample> monitoringSamples(StreamConfig config) {
        return Topics.monitoringSamples(config.kafka().topics().prefix() + config.applicationId(),
                config.monitoring().partitions());
    }

    public static Topology build(StreamConfig config, FeatureSet featureSet, LiveModels liveModels,
                                 SchemaRegistryClient registry) {
        SerdeFactory serdes = new SerdeFactory(registry);
        TopicNamespace topics = config.kafka().topics();
        Topology topology = new Topology();

        decoder(topology, registry, topics, TRADES_SOURCE, TRADES_DECODER, Topics.TRADES, MarketSource.TRADES,
                Trade.class, Trade::getInstrument);
        decoder(topology, registry, topics, BOOKS_SOURCE, BOOKS_DECODER, Topics.BOOKS, MarketSource.BOOKS,
                BookSnapshot.class, BookSnapshot::getInstrument);
        decoder(topology, registry, topics, LIQUIDATIONS_SOURCE, LIQUIDATIONS_DECODER, Topics.LIQUIDATIONS,
                MarketSource.LIQUIDATIONS, Liquidation.class, Liquidation::getInstrument);
        decoder(topology, registry, topics, KLINES_SOURCE, KLINES_DECODER, Topics.KLINES, MarketSource.KLINES,
                Bar.class, Bar::getInstrument);

        topology.addProcessor(MARKET_PROCESSOR, () -> new MarketEventProcessor(config, featureSet),
                TRADES_DECODER, BOOKS_DECODER, LIQUIDATIONS_DECODER, KLINES_DECODER);
        topology.addProcessor(LABELLER, () -> new LabelProcessor(config, featureSet), MARKET_PROCESSOR);
        topology.addProcessor(PREDICTOR, () -> new PredictionProcessor(config, featureSet, liveModels), LABELLER);
        topology.addProcessor(OUTCOME_JOINER, OutcomeJoiner::new, LABELLER, PREDICTOR);
        topology.addProcessor(PATTERN_SIGNALLER, () -> new PatternSignaller(config, featureSet, liveModels),
                MARKET_PROCESSOR);
        durableAtCommit(topology, config, MARKET_STORE, MARKET_PROCESSOR);
        store(topology, config, LABEL_STORE, LABELLER);
        store(topology, config, PREDICTOR_STORE, PREDICTOR);
        store(topology, config, OUTCOME_STORE, OUTCOME_JOINER);
        store(topology, config, PATTERN_STORE, PATTERN_SIGNALLER);

        sink(topology, serdes, topics, BARS_SINK, Topics.BARS_1M, MARKET_PROCESSOR);
        sink(topology, serdes, topics, FEATURES_SINK, Topics.FEATURES, MARKET_PROCESSOR);
        sink(topology, serdes, topics, TRAINING_EXAMPLES_SINK, Topics.TRAINING_EXAMPLES, LABELLER,
                PATTERN_SIGNALLER);
        sink(topology, serdes, topics, PREDICTIONS_SINK, Topics.PREDICTIONS_LIQUIDATION, PREDICTOR);
        sink(topology, serdes, topics, SHADOW_PREDICTIONS_SINK, Topics.PREDICTIONS_SHADOW, PREDICTOR);
        sink(topology, serdes, topics, ALERTS_SINK, Topics.ALERTS, PREDICTOR);
        sink(topology, serdes, topics, PATTERN_SIGNALS_SINK, Topics.PREDICTIONS_PATTERN, PATTERN_SIGNALLER);
        sink(topology, serdes, topics, PATTERN_OUTCOMES_SINK, Topics.PATTERN_OUTCOMES, PATTERN_SIGNALLER);
        sink(topology, serdes, topics, OUTCOMES_SINK, Topics.OUTCOMES, OUTCOME_JOINER);
        Topic<MonitoringSample> samples = monitoringSamples(config);
        topology.addSink(MONITORING_SAMPLES_SINK, samples.name(), Serdes.String().serializer(),
                serdes.valueSerde(samples).serializer(), PREDICTOR, OUTCOME_JOINER);
        sink(topology, serdes, topics, DEADLETTER_SINK, Topics.DEADLETTER,
                TRADES_DECODER, BOOKS_DECODER, LIQUIDATIONS_DECODER, KLINES_DECODER, MARKET_PROCESSOR);

        topology.addSource(MONITORING_SAMPLES_SOURCE, new StringDeserializer(),
                serdes.valueSerde(samples).deserializer(), samples.name());
        topology.addProcessor(MODEL_MONITOR, () -> new ModelMonitor(config, liveModels, featureSet.names()),
                MONITORING_SAMPLES_SOURCE);
        durableAtCommit(topology, config, MODEL_MONITOR_STORE, MODEL_MONITOR);
        sink(topology, serdes, topics, DRIFT_SINK, Topics.DRIFT, MODEL_MONITOR);
        sink(topology, serdes, topics, PERFORMANCE_SINK, Topics.PERFORMANCE, MODEL_MONITOR);

        // persistent: it holds the last good version of each key, which a rejected record does not replace
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODEL_VERSIONS_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                MODEL_VERSIONS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                topics.name(Topics.MODEL_VERSIONS), MODEL_VERSION_LOADER,
                () -> new ModelVersionLoader(liveModels, new AvroWireDeserializer<>(registry, ModelVersion.class),
                        config.signing()));
        return topology;
    }

    private static <T extends SpecificRecord> void decoder(Topology topology, SchemaRegistryClient registry,
                                                            TopicNamespace topics, String sourceName,
                                                            String decoderName, Topic<T> topic, MarketSource source,
                                                            Class<T> type, Function<T, CharSequence> instrumentOf) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        topology.addSource(sourceName, bytes, bytes, topics.name(topic));
        topology.addProcessor(decoderName, () -> new DecodingProcessor<>(decoderName, source,
                new AvroWireDeserializer<>(registry, type), t -> instrumentOf.apply(t).toString(), MARKET_PROCESSOR),
                sourceName);
    }

    private static void store(Topology topology, StreamConfig config, String name, String processor) {
        topology.addStateStore(Stores.keyValueStoreBuilder(supplier(config, name), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled(), processor);
    }

    /** A store its processor keeps in memory and writes once per commit ({@link CommitHookStore}). */
    private static void durableAtCommit(Topology topology, StreamConfig config, String name, String processor) {
        topology.addStateStore(CommitHookStore.builder(Stores.keyValueStoreBuilder(supplier(config, name),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled()), processor);
    }

    /** RocksDB under the state directory, or memory ({@code stream.state.stores}). */
    private static KeyValueBytesStoreSupplier supplier(StreamConfig config, String name) {
        return config.state().persistent() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    private static <V extends SpecificRecord> void sink(Topology topology, SerdeFactory serdes, TopicNamespace topics,
                                                        String name, Topic<V> topic, String... parents) {
        topology.addSink(name, topics.name(topic), Serdes.String().serializer(), serdes.valueSerde(topic).serializer(),
                parents);
    }
}
