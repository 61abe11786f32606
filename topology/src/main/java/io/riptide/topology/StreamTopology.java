package io.riptide.topology;

import io.riptide.features.FeatureSet;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.registry.SchemaRegistryClient;
import io.riptide.schemas.serde.AvroWireDeserializer;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.internal.DecodingProcessor;
import io.riptide.topology.internal.InstrumentProcessor;
import io.riptide.topology.internal.ModelMonitor;
import io.riptide.topology.internal.ModelVersionLoader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import static io.riptide.topology.internal.NodeNames.*;

/**
 * Wires the stream application. Market topics are read as raw bytes and decoded by our own processors, so a record
 * that cannot be decoded is dead-lettered with its original bytes instead of stopping the stream. See
 * docs/TOPOLOGY.md for the {@code describe()} output.
 */
public final class StreamTopology {
    private StreamTopology() {
    }

    public static Topology build(StreamConfig config, FeatureSet featureSet, LiveModels liveModels,
                                 SchemaRegistryClient registry) {
        SerdeFactory serdes = new SerdeFactory(registry);
        Topology topology = new Topology();
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        StringDeserializer strings = new StringDeserializer();

        topology.addSource(TRADES_SOURCE, bytes, bytes, Topics.TRADES.name());
        topology.addSource(BOOKS_SOURCE, bytes, bytes, Topics.BOOKS.name());
        topology.addSource(LIQUIDATIONS_SOURCE, bytes, bytes, Topics.LIQUIDATIONS.name());
        topology.addProcessor(TRADES_DECODER, () -> new DecodingProcessor<>(TRADES_DECODER,
                new AvroWireDeserializer<>(registry, Trade.class), Trade::getInstrument, INSTRUMENT_PROCESSOR),
                TRADES_SOURCE);
        topology.addProcessor(BOOKS_DECODER, () -> new DecodingProcessor<>(BOOKS_DECODER,
                new AvroWireDeserializer<>(registry, BookSnapshot.class), BookSnapshot::getInstrument,
                INSTRUMENT_PROCESSOR), BOOKS_SOURCE);
        topology.addProcessor(LIQUIDATIONS_DECODER, () -> new DecodingProcessor<>(LIQUIDATIONS_DECODER,
                new AvroWireDeserializer<>(registry, Liquidation.class), Liquidation::getInstrument,
                INSTRUMENT_PROCESSOR), LIQUIDATIONS_SOURCE);

        topology.addProcessor(INSTRUMENT_PROCESSOR, () -> new InstrumentProcessor(config, featureSet, liveModels),
                TRADES_DECODER, BOOKS_DECODER, LIQUIDATIONS_DECODER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(INSTRUMENT_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), INSTRUMENT_PROCESSOR);

        sink(topology, serdes, BARS_SINK, Topics.BARS_1M, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, FEATURES_SINK, Topics.FEATURES, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, PREDICTIONS_SINK, Topics.PREDICTIONS_LIQUIDATION, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, SHADOW_PREDICTIONS_SINK, Topics.PREDICTIONS_SHADOW, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, ALERTS_SINK, Topics.ALERTS, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, OUTCOMES_SINK, Topics.OUTCOMES, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, TRAINING_EXAMPLES_SINK, Topics.TRAINING_EXAMPLES, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, MONITORING_SAMPLES_SINK, Topics.MONITORING_SAMPLES, INSTRUMENT_PROCESSOR);
        sink(topology, serdes, DEADLETTER_SINK, Topics.DEADLETTER,
                TRADES_DECODER, BOOKS_DECODER, LIQUIDATIONS_DECODER, INSTRUMENT_PROCESSOR);

        topology.addSource(MONITORING_SAMPLES_SOURCE, strings,
                serdes.valueSerde(Topics.MONITORING_SAMPLES).deserializer(), Topics.MONITORING_SAMPLES.name());
        topology.addProcessor(MODEL_MONITOR, () -> new ModelMonitor(config, liveModels, featureSet.names()),
                MONITORING_SAMPLES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_MONITOR_STORE),
                Serdes.String(), Serdes.ByteArray()), MODEL_MONITOR);
        sink(topology, serdes, DRIFT_SINK, Topics.DRIFT, MODEL_MONITOR);
        sink(topology, serdes, PERFORMANCE_SINK, Topics.PERFORMANCE, MODEL_MONITOR);

        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_VERSIONS_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                MODEL_VERSIONS_SOURCE, strings, bytes, Topics.MODEL_VERSIONS.name(), MODEL_VERSION_LOADER,
                () -> new ModelVersionLoader(liveModels, new AvroWireDeserializer<>(registry, ModelVersion.class)));
        return topology;
    }

    private static <V extends SpecificRecord> void sink(Topology topology, SerdeFactory serdes, String name,
                                                        Topic<V> topic, String... parents) {
        topology.addSink(name, topic.name(), Serdes.String().serializer(), serdes.valueSerde(topic).serializer(),
                parents);
    }
}
