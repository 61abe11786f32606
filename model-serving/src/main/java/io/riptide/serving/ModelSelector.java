package io.riptide.serving;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the most specific model for a key, with a fallback chain that never runs dry:
 * {@code task-horizon@instrument} -> {@code task-horizon@regime} -> {@code task-horizon} -> the rule-based model.
 *
 * <p>Models are swapped in atomically (readers never see a half-installed model). {@link #tryInstall} loads an
 * artifact safely: a rejected artifact leaves the current model serving and returns the reason. Thread-safe.
 */
public final class ModelSelector implements AutoCloseable {

    public static final String RULE_BASED_KEY = "rule-based";
    public static final int LEVEL_INSTRUMENT = 0;
    public static final int LEVEL_REGIME = 1;
    public static final int LEVEL_GLOBAL = 2;
    public static final int LEVEL_RULE_BASED = 3;

    /** A model serving a key, with the version that names it. */
    public record Served(Model model, String version) {
        public Served {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(version, "version");
        }
    }

    /** What {@link #select} resolved: the model, the key it is installed under and the fallback level. */
    public record Selection(Served served, String key, int level) {
    }

    private final Map<String, Served> models = new ConcurrentHashMap<>();
    /** Base keys as asked for, parsed once. */
    private final Map<String, ModelKey> bases = new ConcurrentHashMap<>();
    private final Served fallback;
    private final RiskLevels riskLevels;
    private final boolean nativePath;

    /** Loads artifacts on the default (pure-Java) path. */
    public ModelSelector(List<String> featureNames, RiskLevels riskLevels) {
        this(featureNames, riskLevels, false);
    }

    /** {@code nativePath} switches {@link #tryInstall} to the native libraries (operators' switch). */
    public ModelSelector(List<String> featureNames, RiskLevels riskLevels, boolean nativePath) {
        this.fallback = new Served(new RuleBasedLiquidationModel(featureNames), RULE_BASED_KEY);
        this.riskLevels = Objects.requireNonNull(riskLevels, "riskLevels");
        this.nativePath = nativePath;
    }

    /** The rule-based model at the end of every chain. */
    public Model ruleBased() {
        return fallback.model();
    }

    /** The key of a base key scoped to an instrument or a regime ({@link ModelKey#scopedTo}). */
    private String key(String taskHorizon, String scope) {
        return bases.computeIfAbsent(taskHorizon, ModelKey::parse).scopedTo(scope).key();
    }

    /** Installs a model under a key and returns the one it replaces (to be closed by the caller), if any. */
    public Optional<Served> install(String key, Model model, String version) {
        requireKey(key);
        return Optional.ofNullable(models.put(key, new Served(model, version)));
    }

    /**
     * Loads an artifact with {@link ModelLoader#load} and installs it; on rejection the current model keeps
     * serving and the reason is returned. A replaced model is closed.
     */
    public Optional<String> tryInstall(String key, ModelArtifact artifact, String expectedSha256,
                                       String artifactFeatureSetHash, String servingFeatureSetHash, String version,
                                       Calibrator calibrator) {
        requireKey(key);
        Model model;
        try {
            model = ModelLoader.load(artifact, expectedSha256, artifactFeatureSetHash, servingFeatureSetHash,
                    fallback.model().numFeatures(), nativePath);
        } catch (ModelRejectedException e) {
            return Optional.of(e.getMessage());
        }
        Model serving = calibrator == null || calibrator.method().equals("none") ? model
                : new CalibratedModel(model, calibrator);
        install(key, serving, version).ifPresent(old -> old.model().close());
        return Optional.empty();
    }

    /** Removes a key's model (the chain then falls back past it) and returns it for closing. */
    public Optional<Served> remove(String key) {
        return Optional.ofNullable(models.remove(key));
    }

    public Selection select(String taskHorizon, String instrument, String regime) {
        Objects.requireNonNull(taskHorizon, "taskHorizon");
        if (instrument != null) {
            Served s = models.get(key(taskHorizon, instrument));
            if (s != null) {
                return new Selection(s, key(taskHorizon, instrument), LEVEL_INSTRUMENT);
            }
        }
        if (regime != null) {
            Served s = models.get(key(taskHorizon, regime));
            if (s != null) {
                return new Selection(s, key(taskHorizon, regime), LEVEL_REGIME);
            }
        }
        Served s = models.get(taskHorizon);
        if (s != null) {
            return new Selection(s, taskHorizon, LEVEL_GLOBAL);
        }
        return new Selection(fallback, RULE_BASED_KEY, LEVEL_RULE_BASED);
    }

    /** Selects and scores one row. */
    public Prediction predict(String taskHorizon, String instrument, String regime, double[] features) {
        Selection s = select(taskHorizon, instrument, regime);
        double p = s.served().model().predict(features);
        return new Prediction(p, RiskLevels.confidence(p), riskLevels.levelOf(p), s.key(), s.served().version(),
                s.level());
    }

    private static void requireKey(String key) {
        if (key == null || key.isBlank() || key.equals(RULE_BASED_KEY)) {
            throw new IllegalArgumentException("invalid model key '" + key + "'");
        }
    }

    @Override
    public void close() {
        models.values().forEach(s -> s.model().close());
        models.clear();
    }
}
