package io.riptide.topology;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.serving.BoundedGunzip;
import io.riptide.serving.CalibratedModel;
import io.riptide.serving.Calibrator;
import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelLoader;
import io.riptide.serving.ModelRejectedException;
import io.riptide.serving.ModelSelector;
import io.riptide.serving.RiskLevels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models this instance serves, swapped in place as versions arrive on {@code models.versions}. Written by the
 * global-store thread, read by stream threads.
 *
 * <p>Production versions live in a {@link ModelSelector}, whose fallback chain
 * {@code key@instrument -> key@regime -> key -> rule-based fallback} picks what serves; this class adds what the
 * stream needs around it: the published metadata of each model (version, role, reference distributions), shadow
 * versions, the calibrator published with a version, and retiring replaced models only after in-flight
 * predictions are done with them.
 */
public final class LiveModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveModels.class);
    /** Retired models stay open this many swaps, so a prediction still holding one never sees it closed. */
    private static final int RETIRED_KEPT_OPEN = 4;

    private final String servingFeatureSetHash;
    private final int numFeatures;
    private final boolean nativePath;
    private final ModelSelector selector;
    private final ServingModel fallback;
    /** The published metadata of every model the selector may return, by model instance. */
    private final Map<Model, ServingModel> byModel = new ConcurrentHashMap<>();
    private final Map<String, ServingModel> production = new ConcurrentHashMap<>();
    private final Map<String, ServingModel> shadow = new ConcurrentHashMap<>();
    /** When each key's shadow was last withdrawn (publication time): an older shadow record is a replay. */
    private final Map<String, Long> shadowWithdrawnAtMs = new ConcurrentHashMap<>();
    private final Deque<ServingModel> retired = new ArrayDeque<>();
    private final ServingStats stats = new ServingStats();
    private final AtomicLong installs = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private volatile String lastRejection = "";

    /** Serves on the pure-Java evaluators. */
    public LiveModels(String servingFeatureSetHash, List<String> featureNames) {
        this(servingFeatureSetHash, featureNames, false);
    }

    /** {@code nativePath} serves through the LightGBM / XGBoost native libraries instead (operators' switch). */
    public LiveModels(String servingFeatureSetHash, List<String> featureNames, boolean nativePath) {
        this.servingFeatureSetHash = servingFeatureSetHash;
        this.numFeatures = featureNames.size();
        this.nativePath = nativePath;
        this.selector = new ModelSelector(featureNames, RiskLevels.defaults(), nativePath);
        this.fallback = new ServingModel(ModelSelector.RULE_BASED_KEY, ModelRole.PRODUCTION,
                ServingModel.FALLBACK_VERSION, selector.ruleBased(), servingFeatureSetHash, 0L, List.of());
    }

    /**
     * The model to serve for a base key such as {@code liquidation-15m}, and how far down the fallback chain it
     * was found. Never null: ends at the rule-based model.
     */
    public ServingModel select(String baseKey, String instrument, String regime) {
        ModelSelector.Selection selection = selector.select(baseKey, instrument, regime);
        if (selection.level() == ModelSelector.LEVEL_RULE_BASED) {
            return fallback(baseKey);
        }
        ServingModel chosen = byModel.get(selection.served().model());
        // null only if the model was retired and closed between select and lookup; the rule is always safe
        return chosen != null ? chosen : fallback(baseKey);
    }

    /** The rule-based model, serving a key that has no production version (or whose model failed). */
    public ServingModel fallback(String baseKey) {
        return new ServingModel(baseKey, ModelRole.PRODUCTION, ServingModel.FALLBACK_VERSION, fallback.model(),
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
     * Verifies and loads a published version, with its calibrator, and makes it serve its key. A rejected artifact
     * leaves the current model serving; the reason is logged and counted.
     *
     * @return true when the version now serves
     */
    public boolean install(ModelVersion version) {
        boolean isShadow = version.getRole() == ModelRole.SHADOW;
        if (version.getRole() == ModelRole.CANARY) {
            reject(version.getModelKey() + "@" + version.getVersion(), "CANARY is a role of predictions, not of a "
                    + "published version: a canary is the key's shadow serving stream.canary.share of instruments");
            return false;
        }
        if (version.getWithdrawn()) {
            return withdraw(version);
        }
        ServingModel current = (isShadow ? shadow : production).get(version.getModelKey());
        if (current != null && current.version() == version.getVersion()
                && current.publishedAtMs() == version.getPublishedAtMs()) {
            return true; // the same record seen again (restore, replay)
        }
        try {
            Model model = load(version);
            ServingModel serving = new ServingModel(version.getModelKey(), version.getRole(), version.getVersion(),
                    model, version.getFeatureSetHash(), version.getPublishedAtMs(),
                    List.copyOf(version.getReferenceDistributions()));
            ServingModel previous;
            if (isShadow) {
                previous = shadow.put(version.getModelKey(), serving);
            } else {
                byModel.put(model, serving);
                selector.install(version.getModelKey(), model, Integer.toString(version.getVersion()));
                previous = production.put(version.getModelKey(), serving);
            }
            retire(previous);
            installs.incrementAndGet();
            LOG.info("serving {} ({}, calibration {}) from now on, replacing {}", serving.servedBy(),
                    version.getRole(), calibrationMethod(model), previous == null ? "the fallback" : previous.servedBy());
            return true;
        } catch (ModelRejectedException e) {
            reject(version.getModelKey() + "@" + version.getVersion(), e.getMessage());
            return false;
        } catch (OutOfMemoryError e) {
            throw e; // artifacts are inflated no further than their declared, capped size: this is the JVM's memory
        } catch (Throwable e) {
            // a loader bug or an artifact no check foresaw must not reach the global thread, which can't be replaced
            LOG.error("loading {}@{} failed", version.getModelKey(), version.getVersion(), e);
            reject(version.getModelKey() + "@" + version.getVersion(), "loading failed: " + e);
            return false;
        }
    }

    /**
     * Ends a key's shadow: the stream stops scoring it. A withdrawal names the version it ends, so one that names
     * another version (the shadow was replaced since) changes nothing.
     */
    private boolean withdraw(ModelVersion version) {
        String what = version.getModelKey() + "@" + version.getVersion();
        if (version.getRole() != ModelRole.SHADOW) {
            reject(what, "only a shadow can be withdrawn; production is replaced, never withdrawn");
            return false;
        }
        shadowWithdrawnAtMs.merge(version.getModelKey(), version.getPublishedAtMs(), Math::max);
        ServingModel current = shadow.get(version.getModelKey());
        if (current != null && current.version() == version.getVersion()
                && shadow.remove(version.getModelKey(), current)) {
            retire(current);
            LOG.info("shadow {} withdrawn: {}", current.servedBy(), version.getReason());
        }
        return true;
    }

    /** When a key's shadow was last withdrawn (publication time), if it ever was. */
    public Optional<Long> shadowWithdrawnAtMs(String modelKey) {
        return Optional.ofNullable(shadowWithdrawnAtMs.get(modelKey));
    }

    /** Counts a published version refused before or while loading, and logs why; the current model keeps serving. */
    public void reject(String what, String reason) {
        rejections.incrementAndGet();
        lastRejection = what + ": " + reason;
        LOG.warn("rejected model {}; the current model keeps serving", lastRejection);
    }

    private Model load(ModelVersion version) throws ModelRejectedException {
        Calibrator calibrator = calibratorOf(version);
        Model model = ModelLoader.load(new ModelArtifact(version.getFormat(), artifactBytes(version)),
                version.getSha256(), version.getFeatureSetHash(), servingFeatureSetHash, numFeatures, nativePath);
        return calibrator.method().equals("none") ? model : new CalibratedModel(model, calibrator);
    }

    /** The calibrator published with the version; none when the record has none (versions before calibration). */
    static Calibrator calibratorOf(ModelVersion version) throws ModelRejectedException {
        String text = version.getCalibration();
        if (text == null || text.isBlank()) {
            return Calibrator.identity();
        }
        try {
            return Calibrator.fromBytes(text.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ModelRejectedException("calibration does not parse: " + e.getMessage(), e);
        }
    }

    private static String calibrationMethod(Model model) {
        return model instanceof CalibratedModel calibrated ? calibrated.calibrator().method() : "none";
    }

    /**
     * The artifact, inflated no further than the size the version declares (and never past the loader's hard cap):
     * a compressed record cannot make the stream allocate more than a real model would.
     */
    private static byte[] artifactBytes(ModelVersion version) throws ModelRejectedException {
        if (version.getArtifactGzip() == null) {
            throw new ModelRejectedException("artifact is not inline (pointer " + version.getArtifactPointer()
                    + "); raise trigger.artifact.inline.max.bytes so the stream can load it");
        }
        byte[] gzip = new byte[version.getArtifactGzip().remaining()];
        version.getArtifactGzip().duplicate().get(gzip);
        return BoundedGunzip.gunzip(gzip, version.getArtifactBytes());
    }

    private synchronized void retire(ServingModel previous) {
        if (previous == null) {
            return;
        }
        retired.addLast(previous);
        while (retired.size() > RETIRED_KEPT_OPEN) {
            ServingModel old = retired.removeFirst();
            byModel.remove(old.model());
            old.model().close();
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

    /** How predictions were made, across this instance's stream tasks. */
    public ServingStats stats() {
        return stats;
    }

    /** Whether models are evaluated by the native libraries rather than the pure-Java evaluators. */
    public boolean nativePath() {
        return nativePath;
    }

    @Override
    public synchronized void close() {
        selector.close(); // closes the production models it serves
        shadow.values().forEach(m -> m.model().close());
        retired.forEach(m -> m.model().close());
        production.clear();
        shadow.clear();
        retired.clear();
        byModel.clear();
        fallback.model().close();
    }
}
