package io.riptide.trigger.gate;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateRulesTest {
    private static final List<String> KEYS = List.of("liquidation-15m", "pattern-30m@trending");

    private static GateRules.PerKey rules(Map<String, String> settings, Map<String, String> environment) {
        return GateRules.from(Settings.load(null, environment, settings), KEYS);
    }

    @Test
    void withNothingSetEveryKeyHasTheDefaults() {
        GateRules.PerKey r = rules(Map.of(), Map.of());
        assertEquals(GateRules.DEFAULTS, r.of("liquidation-15m"));
        assertEquals(GateRules.DEFAULTS, r.of("a-key-no-setting-names"));
    }

    @Test
    void aKeysOwnSettingsOverrideTheGlobalOnesWhichOverrideTheDefaults() {
        GateRules.PerKey r = rules(Map.of(
                "trigger.gate.auc.min", "0.6",
                "trigger.gate.log-loss.max.degradation.relative", "0.1",
                "trigger.gate.holdout.min.per.class", "30",
                "trigger.gate.pattern-30m@trending.auc.min", "0.52",
                "trigger.gate.pattern-30m@trending.auc.max.degradation", "off",
                "trigger.gate.pattern-30m@trending.auc.chance.max", "1"), Map.of());
        GateRules liquidation = r.of("liquidation-15m");
        assertEquals(0.6, liquidation.limits().get(GateMetric.AUC));
        assertEquals(0.02, liquidation.maxDegradation().get(GateMetric.AUC));
        assertEquals(0.1, liquidation.maxRelativeDegradation().get(GateMetric.LOG_LOSS));
        assertEquals(30, liquidation.minHoldoutPerClass());
        GateRules pattern = r.of("pattern-30m@trending");
        assertEquals(0.52, pattern.limits().get(GateMetric.AUC));
        assertTrue(pattern.maxDegradation().isEmpty());
        assertEquals(0.1, pattern.maxRelativeDegradation().get(GateMetric.LOG_LOSS));
        assertEquals(30, pattern.minHoldoutPerClass());
        assertEquals(1.0, pattern.maxChance());
    }

    @Test
    void environmentVariablesSetTheSameSettings() {
        GateRules.PerKey r = rules(Map.of(), Map.of("RIPTIDE_TRIGGER_GATE_LOG_LOSS_MAX", "0.7",
                "RIPTIDE_TRIGGER_GATE_LIQUIDATION_15M_HOLDOUT_MIN_ROWS", "500"));
        assertEquals(0.7, r.global().limits().get(GateMetric.LOG_LOSS));
        assertEquals(500, r.of("liquidation-15m").minHoldoutRows());
        assertEquals(0, r.of("pattern-30m@trending").minHoldoutRows());
    }

    @Test
    void anUnknownOrRenamedSettingIsAnErrorThatNamesIt() {
        ConfigException typo = assertThrows(ConfigException.class,
                () -> rules(Map.of("trigger.gate.auc.minimum", "0.6"), Map.of()));
        assertTrue(typo.getMessage().startsWith("unknown setting trigger.gate.auc.minimum: expected"),
                typo.getMessage());
        // a ceiling on a metric where higher is better is not a setting
        assertThrows(ConfigException.class, () -> rules(Map.of("trigger.gate.auc.max", "0.9"), Map.of()));
        assertThrows(ConfigException.class, () -> rules(Map.of("trigger.gate.liquidation-99m.auc.min", "0.6"),
                Map.of()));
        ConfigException renamed = assertThrows(ConfigException.class,
                () -> rules(Map.of("trigger.gate.min.auc", "0.6"), Map.of()));
        assertEquals("trigger.gate.min.auc was renamed: set trigger.gate.auc.min", renamed.getMessage());
        ConfigException range = assertThrows(ConfigException.class,
                () -> rules(Map.of("trigger.gate.auc.min", "1.5"), Map.of()));
        assertTrue(range.getMessage().contains("trigger.gate.auc.min"), range.getMessage());
    }
}
