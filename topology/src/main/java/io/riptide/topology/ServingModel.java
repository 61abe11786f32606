package io.riptide.topology;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.serving.Model;
import io.riptide.serving.ModelKey;
import io.riptide.serving.ModelSelector;

import java.util.List;

/**
 * A model as it serves one key: version 0 is the rule-based fallback.
 *
 * @param publishedAtMs when the version was published (wall clock), for swap-lag measurement
 */
public record ServingModel(String modelKey, ModelRole role, int version, Model model, String featureSetHash,
                           long publishedAtMs, List<ReferenceDistribution> references) {

    public static final int FALLBACK_VERSION = 0;

    public boolean isFallback() {
        return version == FALLBACK_VERSION;
    }

    /**
     * How far down the chain {@code key@instrument -> key@regime -> key -> rule} this model serves, as
     * {@link ModelSelector}'s levels (0 to 3): its key's scope ({@link ModelKey#fallbackLevel}), 3 for the fallback.
     */
    public int fallbackLevel() {
        if (isFallback()) {
            return ModelSelector.LEVEL_RULE_BASED;
        }
        return ModelKey.parse(modelKey).fallbackLevel();
    }

    /** {@code liquidation-15m@3} or {@code liquidation-15m@fallback}, as recorded in every prediction. */
    public String servedBy() {
        return modelKey + "@" + (isFallback() ? "fallback" : Integer.toString(version));
    }
}
