package io.riptide.topology.internal;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Optional;

/**
 * Keeps the global model-versions store and the live models in step: every record on {@code models.versions}
 * (and every record restored at start-up) is verified and swapped in without a restart. Only a version that was
 * installed is stored: an undecodable record, one whose record key does not name its model key and role, one whose
 * signature does not verify ({@link ModelSigning}: only the trigger may change what serves), or one the live models
 * reject leaves the last good version in the (persistent) store, so it is what serves again after
 * a restart, even once compaction has dropped it from the topic.
 */
public final class ModelVersionLoader implements Processor<String, byte[], Void, Void> {
    private final LiveModels liveModels;
    private final Deserializer<ModelVersion> deserializer;
    private final ModelSigning signing;
    private KeyValueStore<String, byte[]> store;

    public ModelVersionLoader(LiveModels liveModels, Deserializer<ModelVersion> deserializer, ModelSigning signing) {
        this.liveModels = liveModels;
        this.deserializer = deserializer;
        this.signing = signing;
    }

    /**
     * Versions in the local store were verified before they were written, and only this processor writes it: they
     * are installed again without their signature checked, so a stream restarted with a new signing secret keeps
     * serving until the trigger republishes under it (docs/SECURITY.md, "Rotating the secret").
     */
    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(NodeNames.MODEL_VERSIONS_STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> install(entry.key, entry.value, false));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        if (install(record.key(), record.value(), true)) {
            store.put(record.key(), record.value());
        }
    }

    private boolean install(String key, byte[] bytes, boolean fromTopic) {
        ModelVersion version;
        try {
            version = deserializer.deserialize(Topics.MODEL_VERSIONS.name(), bytes);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            liveModels.reject("record under key " + key, "undecodable: " + e.getMessage());
            return false;
        }
        String expected = Topics.modelVersionKey(version.getModelKey(), version.getRole());
        if (!expected.equals(key)) {
            liveModels.reject(version.getModelKey() + "@" + version.getVersion(), "record key '" + key
                    + "' does not name its model key and role ('" + expected + "')");
            return false;
        }
        if (fromTopic) {
            String refusal = signing.refusal(version);
            if (refusal == null) {
                refusal = replayed(version);
            }
            if (refusal != null) {
                liveModels.reject(version.getModelKey() + "@" + version.getVersion(), refusal);
                return false;
            }
        }
        return liveModels.install(version);
    }

    /**
     * A signed record stays valid forever, so whoever can produce to the topic could re-send an old one to bring back
     * a version the trigger has since replaced. Every publication (a rollback's included) is stamped when it is
     * made, and the stamp is signed: one older than what serves its key and role is a replay.
     */
    private String replayed(ModelVersion version) {
        Optional<ServingModel> serving = version.getRole() == ModelRole.SHADOW
                ? liveModels.shadow(version.getModelKey()) : liveModels.production(version.getModelKey());
        if (serving.isPresent() && version.getPublishedAtMs() < serving.get().publishedAtMs()) {
            return "published at " + version.getPublishedAtMs() + ", before the serving " + serving.get().servedBy()
                    + " (published at " + serving.get().publishedAtMs() + "): an old record sent again";
        }
        if (version.getRole() == ModelRole.SHADOW) {
            // a withdrawn shadow leaves nothing serving to compare with: an older shadow record would bring it back
            long withdrawnAt = liveModels.shadowWithdrawnAtMs(version.getModelKey()).orElse(Long.MIN_VALUE);
            if (version.getPublishedAtMs() < withdrawnAt) {
                return "published at " + version.getPublishedAtMs() + ", before the key's shadow was withdrawn (at "
                        + withdrawnAt + "): an old record sent again";
            }
        }
        return null;
    }
}
