package io.riptide.topology;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelLoader;
import io.riptide.serving.ModelRejectedException;
import io.riptide.serving.RuleBasedLiquidationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The models this instance serves, swapped in place as versions arrive on {@code models.versions}. Written by the
 * global-store thread, read by stream threads. Selection walks the fallback chain
 * {@code key@instrument -> key@regime -> key -> rule-based fallback}.
 */
public final class LiveModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveModels.class);
    /** Retired models stay open this many swaps, so a prediction still holding one never sees it closed. */
    private static final int RETIRED_KEPT_OPEN = 4;

    private final String servingFeatureSetHash;
    private final int numFeatures;
    private final Model fallbackModel;
    private final Map<String, ServingModel> production = new ConcurrentHashMap<>();
    private final Map<String, ServingModel> shadow = new ConcurrentHashMap<>();
    private final Deque<Model> retired = new ArrayDeque<>();
    private final AtomicLong installs = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private volatile String lastRejection = "";

    public LiveModels(String servingFeatureSetHash, List<String> featureNames) {
        this.servingFeatureSetHash = servingFeatureSetHash;
        this.numFeatures = featureNames.size();
        this.fallbackModel = new RuleBasedLiquidationModel(featureNames);
    }

    /** The model to serve for a base key such as {@code liquidation-15m}. Never null: falls back to the rule. */
    public ServingModel select(String baseKey, String instrument, String regime) {
        ServingModel chosen = production.get(ModelKeys.scoped(baseKey, instrument));
        if (chosen == null) {
            chosen = production.get(ModelKeys.scoped(baseKey, regime));
        }
        if (chosen == null) {
            chosen = production.get(baseKey);
        }
        return chosen != null ? chosen : fallback(baseKey);
    }

    /** The rule-based model, serving a key that has no production version (or whose model failed). */
    public ServingModel fallback(String baseKey) {
        return new ServingModel(baseKey, ModelRole.PRODUCTION, ServingModel.FALLBACK_VERSION, fallbackModel,
                servingFeatureSetHash, 0L, List.of());
    }

    public Optional<ServingModel> shadow(String modelKey) {
        return Optional.ofNullable(shadow.get(modelKey));
    }

    public Optional<ServingModel> production(String modelKey) {
        return Optional.ofNullable(production.get(modelKey));
    }

    /** The serving model of a key and version, production or shadow, if this instance has it. */
    public Optional<ServingModel> find(String modelKey, int version) {
        ServingModel p = production.get(modelKey);
        if (p != null && p.version() == version) {
            return Optional.of(p);
        }
        ServingModel s = shadow.get(modelKey);
        return s != null && s.version() == version ? Optional.of(s) : Optional.empty();
    }

    /**
     * Verifies and loads a published version and makes it serve its key. A rejected artifact leaves the current model
     * serving; the reason is logged and counted.
     *
     * @return true when the version now serves
     */
    public boolean install(ModelVersion version) {
        Map<String, ServingModel> target = version.getRole() == ModelRole.SHADOW ? shadow : production;
        ServingModel current = target.get(version.getModelKey());
        if (current != null && current.version() == version.getVersion()
                && current.publishedAtMs() == version.getPublishedAtMs()) {
            return true; // the same record seen again (restore, replay)
        }
        try {
            Model model = ModelLoader.load(new ModelArtifact(version.getFormat(), artifactBytes(version)),
                    version.getSha256(), version.getFeatureSetHash(), servingFeatureSetHash, numFeatures);
            ServingModel serving = new ServingModel(version.getModelKey(), version.getRole(), version.getVersion(),
                    model, version.getFeatureSetHash(), version.getPublishedAtMs(),
                    List.copyOf(version.getReferenceDistributions()));
            ServingModel previous = target.put(version.getModelKey(), serving);
            retire(previous);
            installs.incrementAndGet();
            LOG.info("serving {} ({}) from now on, replacing {}", serving.servedBy(), version.getRole(),
                    previous == null ? "the fallback" : previous.servedBy());
            return true;
        } catch (ModelRejectedException | IOException e) {
            rejections.incrementAndGet();
            lastRejection = version.getModelKey() + "@" + version.getVersion() + ": " + e.getMessage();
            LOG.warn("rejected model {}; the current model keeps serving", lastRejection);
            return false;
        }
    }

    private static byte[] artifactBytes(ModelVersion version) throws IOException, ModelRejectedException {
        if (version.getArtifactGzip() == null) {
            throw new ModelRejectedException("artifact is not inline (pointer " + version.getArtifactPointer()
                    + "); raise trigger.artifact.inline.max.bytes so the stream can load it");
        }
        byte[] gzip = new byte[version.getArtifactGzip().remaining()];
        version.getArtifactGzip().duplicate().get(gzip);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private synchronized void retire(ServingModel previous) {
        if (previous == null) {
            return;
        }
        retired.addLast(previous.model());
        while (retired.size() > RETIRED_KEPT_OPEN) {
            retired.removeFirst().close();
        }
    }

    public long installs() {
        return installs.get();
    }

    public long rejections() {
        return rejections.get();
    }

    public String lastRejection() {
        return lastRejection;
    }

    @Override
    public synchronized void close() {
        production.values().forEach(m -> m.model().close());
        shadow.values().forEach(m -> m.model().close());
        retired.forEach(Model::close);
        production.clear();
        shadow.clear();
        retired.clear();
        fallbackModel.close();
    }
}
