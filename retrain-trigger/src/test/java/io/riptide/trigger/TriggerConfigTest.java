package io.riptide.trigger;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.security.ModelSigning;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerConfigTest {

    private static TriggerConfig config(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("db.url", "jdbc:postgresql://localhost/riptide",
                "kafka.bootstrap.servers", "localhost:9092", "schema.registry.url", "http://localhost:8081",
                ModelSigning.SECRET_KEY, ModelSigning.newSecret()));
        s.putAll(extra);
        return TriggerConfig.from(Settings.load(null, Map.of(), s));
    }

    @Test
    void byDefaultEveryLiquidationHorizonAndThePatternKeyPerRegimeAreTrained() {
        assertEquals(List.of("liquidation-5m", "liquidation-15m", "liquidation-30m", "liquidation-60m", "pattern-30m",
                "pattern-30m@trending", "pattern-30m@sideways", "pattern-30m@volatile", "pattern-30m@consolidation"),
                config(Map.of()).modelKeys());
    }

    @Test
    void theDefaultKeysFollowTheStreamsHorizonsAndTimeBarriers() {
        assertEquals(List.of("liquidation-15m", "pattern-30m", "pattern-30m@trending", "pattern-30m@sideways",
                "pattern-30m@volatile", "pattern-30m@consolidation", "pattern-60m", "pattern-60m@trending",
                "pattern-60m@sideways", "pattern-60m@volatile", "pattern-60m@consolidation"),
                config(Map.of("stream.horizons.minutes", "15", "stream.pattern.breakout.bars", "60")).modelKeys());
        assertEquals(List.of("liquidation-15m"),
                config(Map.of("stream.horizons.minutes", "15", "stream.pattern.signals", "false")).modelKeys());
        assertEquals(List.of("pattern-30m@trending"), config(Map.of("trigger.model.keys", "pattern-30m@trending"))
                .modelKeys());
    }

    @Test
    void aTaskCanNeedFewerExamplesThanTheRest() {
        TriggerConfig config = config(Map.of("trigger.min.examples", "600", "trigger.min.examples.pattern", "200"));
        assertEquals(200, config.minExamples("pattern"));
        assertEquals(600, config.minExamples("liquidation"));
        assertEquals(400, config(Map.of()).minExamples("pattern"), "the global default");
    }

    @Test
    void theLifecycleAndJobSettingsHaveTheirDocumentedDefaultsAndCanBeSet() {
        TriggerConfig defaults = config(Map.of());
        assertEquals(new io.riptide.trigger.lifecycle.RollbackRule.Settings(true, 480, 0.10, Double.NaN),
                defaults.rollback());
        assertEquals(2, defaults.jobs().maxConcurrent());
        assertEquals(true, defaults.jobs().ownProcess());
        assertEquals(60_000, defaults.jobs().leaseMs());
        assertEquals(true, defaults.jobs().instanceId().startsWith("trigger-"));
        assertEquals(false, defaults.jobs().toString().contains(ModelSigning.SECRET_KEY), "no secrets in logs");
        assertEquals(io.riptide.trigger.gate.GateRules.DEFAULTS, defaults.gates().of("liquidation-15m"));
        TriggerConfig set = config(Map.of("trigger.rollback.below.previous.auc", "0.05",
                "trigger.rollback.automatic", "false", "trigger.jobs.max.concurrent", "3",
                "trigger.instance.id", "trigger-0", "trigger.jobs.process", "false"));
        assertEquals(0.05, set.rollback().belowPrevious());
        assertEquals(false, set.rollback().enabled());
        assertEquals(3, set.jobs().maxConcurrent());
        assertEquals("trigger-0", set.jobs().instanceId());
        assertEquals(false, set.jobs().ownProcess());
        assertEquals("trigger-0", set.jobs().settings().get("trigger.instance.id"), "what a job's JVM is given");
    }

    @Test
    void candidatesShadowFirstExceptAKeysFirstModelAndTheBadLifecycleValueIsNamed() {
        TriggerConfig.Lifecycle defaults = config(Map.of()).lifecycle();
        assertEquals(io.riptide.trigger.lifecycle.PromotionGate.Settings.DEFAULTS, defaults.promotion());
        assertTrue(defaults.shadows("liquidation-15m", true), "a retrained key's candidate serves as shadow first");
        assertFalse(defaults.shadows("liquidation-15m", false), "a key's first model replaces the fallback at once");
        assertFalse(defaults.shadows("pattern-30m@trending", true), "the stream scores no pattern shadow");
        assertFalse(defaults.shadows("liquidation-15m@BINANCE:BTCUSDT", true), "nor a scoped key's");
        TriggerConfig.Lifecycle everyModel = config(Map.of("trigger.lifecycle.bootstrap", "shadow",
                "trigger.promotion.min.outcomes", "1000")).lifecycle();
        assertTrue(everyModel.shadows("liquidation-5m", false));
        assertEquals(1000, everyModel.promotion().minOutcomes());
        TriggerConfig.Lifecycle direct = config(Map.of("trigger.lifecycle", "direct")).lifecycle();
        assertFalse(direct.shadows("liquidation-5m", true));
        ConfigException bad = assertThrows(ConfigException.class, () -> config(Map.of("trigger.lifecycle", "canary")));
        assertTrue(bad.getMessage().contains("trigger.lifecycle"), bad.getMessage());
    }
}
