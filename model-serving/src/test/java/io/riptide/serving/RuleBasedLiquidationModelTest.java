package io.riptide.serving;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleBasedLiquidationModelTest {

    private static final List<String> NAMES = List.of("rv_close_30", "liq_notional_5m", "liq_notional_15m",
            "liq_count_15m", "liq_cascade_intensity", "spread_bps", "unrelated");

    @Test
    void quietMarketIsLowRiskAndCascadeIsHighRisk() {
        RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(NAMES);
        double quiet = model.predict(new double[] {0.001, 0, 0, 0, 0, 1, 99});
        double cascade = model.predict(new double[] {0.02, 2_000_000, 5_000_000, 300, 3, 10, 99});
        assertTrue(quiet < 0.05, "quiet " + quiet);
        assertTrue(cascade > 0.9, "cascade " + cascade);
    }

    @Test
    void missingFeaturesAndNaNContributeNothing() {
        RuleBasedLiquidationModel withNaN = new RuleBasedLiquidationModel(NAMES);
        double nan = Double.NaN;
        double p = withNaN.predict(new double[] {nan, nan, nan, nan, nan, nan, nan});
        double intercept = 1 / (1 + Math.exp(-RuleBasedLiquidationModel.INTERCEPT));
        assertEquals(intercept, p, 1e-15);
        RuleBasedLiquidationModel none = new RuleBasedLiquidationModel(List.of("a", "b"));
        assertEquals(intercept, none.predict(new double[] {5, 7}), 1e-15);
    }

    @Test
    void risesMonotonicallyWithLiquidationNotional() {
        RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(NAMES);
        double previous = 0;
        for (double notional = 0; notional <= 1e7; notional += 1e5) {
            double p = model.predict(new double[] {0.005, notional, 0, 0, 0, 2, 0});
            assertTrue(p > previous, "not increasing at " + notional);
            previous = p;
        }
    }

    @Test
    void extremeValuesStayWithinZeroAndOne() {
        RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(NAMES);
        double inf = Double.POSITIVE_INFINITY;
        double p = model.predict(new double[] {inf, inf, inf, inf, inf, inf, inf});
        assertTrue(p > 0.99 && p < 1.0, "p " + p);
        double q = model.predict(new double[] {-1e30, -1e30, -1e30, -1e30, -1e30, -1e30, -1e30});
        assertTrue(q > 0 && q < 0.05);
    }

    @Test
    void batchEqualsSingleRows() {
        RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(NAMES);
        double[] rows = {0.01, 1e5, 2e5, 5, 1, 3, 0, 0.002, 0, 0, 0, 0, 1, 0};
        double[] out = new double[2];
        model.predictBatch(rows, 2, out);
        assertEquals(model.predict(java.util.Arrays.copyOfRange(rows, 0, 7)), out[0]);
        assertEquals(model.predict(java.util.Arrays.copyOfRange(rows, 7, 14)), out[1]);
    }

    @Test
    void rejectsRowOfWrongLength() {
        RuleBasedLiquidationModel model = new RuleBasedLiquidationModel(NAMES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(new double[3]));
        assertTrue(e.getMessage().contains("expects 7"));
    }
}
