package io.riptide.topology;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.serving.Model;

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

    /** {@code liquidation-15m@3} or {@code liquidation-15m@fallback}, as recorded in every prediction. */
    public String servedBy() {
        return modelKey + "@" + (isFallback() ? "fallback" : Integer.toString(version));
    }
}
