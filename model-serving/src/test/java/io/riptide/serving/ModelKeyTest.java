package io.riptide.serving;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelKeyTest {

    @Test
    void everyFormParsesAndFormatsBackToItself() {
        for (String key : List.of("liquidation-15m", "liquidation-15m@BINANCE:BTCUSDT", "pattern-30m",
                "pattern-30m@trending", "liquidation-1440m@volatile")) {
            assertEquals(key, ModelKey.parse(key).key(), key);
        }
    }

    @Test
    void aScopeWithAColonIsAnInstrumentAndAnyOtherARegime() {
        ModelKey instrument = ModelKey.parse("liquidation-15m@BINANCE:BTCUSDT");
        assertEquals("liquidation", instrument.task());
        assertEquals(15, instrument.horizonMinutes());
        assertEquals("BINANCE:BTCUSDT", instrument.instrumentScope());
        assertNull(instrument.regimeScope());
        assertEquals(ModelSelector.LEVEL_INSTRUMENT, instrument.fallbackLevel());

        ModelKey regime = ModelKey.parse("pattern-30m@trending");
        assertEquals(ModelKey.PATTERN, regime.task());
        assertEquals("trending", regime.regimeScope());
        assertEquals(ModelSelector.LEVEL_REGIME, regime.fallbackLevel());
        assertEquals(ModelSelector.LEVEL_GLOBAL, regime.base().fallbackLevel());
        assertEquals(ModelKey.pattern(30), regime.base());
        assertEquals(30 * 60_000L, regime.horizonMs());
    }

    @Test
    void scopingReplacesTheScopeAndNullMeansTheBase() {
        ModelKey base = ModelKey.liquidation(5);
        assertEquals("liquidation-5m@SIM:ETHUSDT", base.scopedTo("SIM:ETHUSDT").key());
        assertEquals("liquidation-5m@sideways", base.scopedTo("SIM:ETHUSDT").scopedTo("sideways").key());
        assertEquals(base, base.scopedTo("trending").scopedTo(null));
        assertTrue(base.scopedTo("trending").isScoped());
    }

    @Test
    void aMalformedKeyIsRefusedNamingIt() {
        for (String bad : List.of("liquidation", "liquidation-15", "liquidation-xm", "-15m", "Liquidation-15m",
                "liquidation-0m", "liquidation-15m@", "liquidation-15m@a@b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelKey.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
