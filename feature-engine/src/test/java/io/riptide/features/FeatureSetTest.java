package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureSetTest {
    @Test
    void theModelSetIsScaleFreeAndKeepsWhatTheFallbackModelReadsByName() {
        FeatureSet model = FeatureSets.liquidation();
        for (String name : List.of("rv_close_30", "liq_notional_5m", "liq_notional_15m", "liq_count_15m",
                "liq_cascade_intensity", "spread_bps", "rsi_14", "bb_pctb_20_2")) {
            assertTrue(model.indexOf(name) >= 0, name);
        }
        for (String level : FeatureSets.PRICE_LEVEL_FEATURES) {
            assertEquals(-1, model.indexOf(level), level + " is a price level, not a model feature");
            assertTrue(FeatureSets.all().indexOf(level) >= 0, level + " is still computed");
        }
        assertEquals(FeatureSets.all().size() - FeatureSets.PRICE_LEVEL_FEATURES.size(), model.size());
    }

    @Test
    void theFullSetHasEveryFamily() {
        FeatureSet set = FeatureSets.all();
        for (String name : List.of("rv_close_30", "liq_notional_5m", "liq_notional_15m", "liq_count_15m", "liq_cascade_intensity",
                "rsi_14", "spread_bps", "microprice", "ofi_10s", "flow_toxicity_50", "kyle_lambda_200", "regime_code")) {
            assertTrue(set.indexOf(name) >= 0, name);
        }
        assertEquals(-1, set.indexOf("no_such_feature"));
        assertEquals(set.size(), set.names().size());
        assertEquals(25, set.names().stream().filter(n -> n.startsWith("liq_")).count());
    }

    @Test
    void hashIsStableAndDependsOnIdVersionAndOrder() {
        FeatureSet a = FeatureSet.of("x", 1, List.of("sma_20", "rsi_14"));
        assertEquals(a.hash(), FeatureSet.of("x", 1, List.of("sma_20", "rsi_14")).hash());
        assertNotEquals(a.hash(), FeatureSet.of("x", 1, List.of("rsi_14", "sma_20")).hash());
        assertNotEquals(a.hash(), FeatureSet.of("x", 2, List.of("sma_20", "rsi_14")).hash());
        assertNotEquals(a.hash(), FeatureSet.of("y", 1, List.of("sma_20", "rsi_14")).hash());
        assertEquals(64, a.hash().length());
        // pinned (= sha256sum of "x\n1\nsma_20\nrsi_14\n"): a change here means every recorded model no longer matches; bump the set's version instead
        assertEquals("1747acb76a12ef77da5bf651ef323b897501aa6556698ff7333743fccb53a58c", a.hash(), "hash of x@1[sma_20, rsi_14]: " + a.hash());
    }

    @Test
    void unknownOrDuplicateNamesAreRejected() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> FeatureSet.of("x", 1, List.of("sma_21")));
        assertTrue(ex.getMessage().contains("sma_21"));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.of("x", 1, List.of("sma_20", "sma_20")));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.of("x", 0, List.of("sma_20")));
    }

    @Test
    void subsetEngineWritesOnlyItsFeaturesInItsOrder() {
        FeatureSet sub = FeatureSet.of("sub", 1, List.of("rsi_14", "sma_20"));
        FeatureSet full = FeatureSets.barIndicators();
        Klines k = Klines.slice();
        double[][] a = k.engineFeatures(sub);
        double[][] b = k.engineFeatures(full);
        int last = k.size() - 1;
        assertEquals(b[last][full.indexOf("rsi_14")], a[last][0]);
        assertEquals(b[last][full.indexOf("sma_20")], a[last][1]);
    }
}
