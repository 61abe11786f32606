package io.riptide.topology.internal;

import io.riptide.schemas.avro.ModelVersion;
import io.riptide.topology.LiveModels;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global model-versions store and the live models in step: every record on {@code models.versions}
 * (and every record restored at start-up) is verified and swapped in without a restart.
 */
public final class ModelVersionLoader implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelVersionLoader.class);

    private final LiveModels liveModels;
    private final Deserializer<ModelVersion> deserializer;
    private KeyValueStore<String, byte[]> store;

    public ModelVersionLoader(LiveModels liveModels, Deserializer<ModelVersion> deserializer) {
        this.liveModels = liveModels;
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(NodeNames.MODEL_VERSIONS_STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> install(entry.key, entry.value));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        store.put(record.key(), record.value());
        install(record.key(), record.value());
    }

    private void install(String key, byte[] bytes) {
        ModelVersion version;
        try {
            version = deserializer.deserialize(io.riptide.schemas.topics.Topics.MODEL_VERSIONS.name(), bytes);
        } catch (RuntimeException e) {
            LOG.error("undecodable record under key {} on models.versions ignored: {}", key, e.getMessage());
            return;
        }
        liveModels.install(version);
    }
}
