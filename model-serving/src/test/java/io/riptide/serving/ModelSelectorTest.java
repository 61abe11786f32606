package io.riptide.serving;

import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSelectorTest {

    private static final List<String> NAMES = SyntheticData.names(5);

    /** A model that always answers p, to see which one served. */
    private static Model constant(double p) {
        return new Model() {
            public double predict(double[] f) {
                return p;
            }

            public void predictBatch(double[] rows, int n, double[] out) {
                java.util.Arrays.fill(out, 0, n, p);
            }

            public int numFeatures() {
                return 5;
            }

            public String format() {
                return "constant";
            }

            public void close() {
            }
        };
    }

    @Test
    void fallsBackFromInstrumentToRegimeToGlobalToRules() {
        try (ModelSelector s = new ModelSelector(NAMES, RiskLevels.defaults())) {
            double[] row = new double[5];
            Prediction p = s.predict("liquidation-15m", "BINANCE:BTCUSDT", "trending", row);
            assertTrue(p.ruleBased());
            assertEquals(ModelSelector.RULE_BASED_KEY, p.modelKey());

            s.install("liquidation-15m", constant(0.1), "v1");
            p = s.predict("liquidation-15m", "BINANCE:BTCUSDT", "trending", row);
            assertEquals(ModelSelector.LEVEL_GLOBAL, p.fallbackLevel());
            assertEquals(0.1, p.probability());
            assertEquals(RiskLevel.LOW, p.risk());

            s.install("liquidation-15m@trending", constant(0.6), "v2");
            p = s.predict("liquidation-15m", "BINANCE:BTCUSDT", "trending", row);
            assertEquals("liquidation-15m@trending", p.modelKey());
            assertEquals(ModelSelector.LEVEL_REGIME, p.fallbackLevel());
            assertEquals(RiskLevel.HIGH, p.risk());

            s.install("liquidation-15m@BINANCE:BTCUSDT", constant(0.9), "v3");
            p = s.predict("liquidation-15m", "BINANCE:BTCUSDT", "trending", row);
            assertEquals("v3", p.modelVersion());
            assertFalse(p.fellBack());
            assertEquals(RiskLevel.CRITICAL, p.risk());

            // another instrument in another regime still falls back to the global model
            assertEquals("v1", s.predict("liquidation-15m", "BINANCE:ETHUSDT", "ranging", row).modelVersion());
            // another task has no model at all
            assertTrue(s.predict("liquidation-60m", "BINANCE:BTCUSDT", "trending", row).ruleBased());
        }
    }

    @Test
    void rejectedArtifactLeavesTheCurrentModelServing() {
        var artifact = new LightGbmTrainer().train(SyntheticData.dataset(1_000, 5, 3), null,
                TrainingParams.defaults().withNumRounds(10)).artifact();
        try (ModelSelector s = new ModelSelector(NAMES, RiskLevels.defaults())) {
            assertEquals(Optional.empty(), s.tryInstall("liquidation-5m", artifact, artifact.sha256(), "fs1", "fs1", "v1",
                    null));
            Optional<String> reason = s.tryInstall("liquidation-5m", artifact, artifact.sha256(), "fs0", "fs1", "v2",
                    null);
            assertTrue(reason.orElseThrow().contains("feature-set hash mismatch"), reason.toString());
            assertEquals("v1", s.predict("liquidation-5m", "X", null, new double[5]).modelVersion());
        }
        try (ModelSelector nat = new ModelSelector(NAMES, RiskLevels.defaults(), true);
             ModelSelector java = new ModelSelector(NAMES, RiskLevels.defaults())) {
            assertEquals(Optional.empty(), nat.tryInstall("k", artifact, artifact.sha256(), "h", "h", "v", null));
            assertEquals(Optional.empty(), java.tryInstall("k", artifact, artifact.sha256(), "h", "h", "v", null));
            assertTrue(nat.select("k", null, null).served().model() instanceof io.riptide.serving.internal.NativeLightGbmModel);
            double[] row = {0.1, Double.NaN, 0, -2, 3};
            assertEquals(nat.predict("k", null, null, row).probability(), java.predict("k", null, null, row).probability(),
                    1e-12);
        }
    }
}
