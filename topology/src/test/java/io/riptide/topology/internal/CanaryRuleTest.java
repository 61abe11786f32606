package io.riptide.topology.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanaryRuleTest {

    @Test
    void aShareOfInstrumentsNearTheConfiguredOneIsChosenAndRaisingItOnlyAddsInstruments() {
        int n = 10_000;
        int atTen = 0;
        int atTwenty = 0;
        for (int i = 0; i < n; i++) {
            String instrument = "BINANCE:SYM" + i + "USDT";
            boolean ten = CanaryRule.serves(instrument, 0.10);
            boolean twenty = CanaryRule.serves(instrument, 0.20);
            assertTrue(!ten || twenty, instrument + " left the canary when the share grew");
            atTen += ten ? 1 : 0;
            atTwenty += twenty ? 1 : 0;
        }
        // binomial sd at 10%: 30 of 10,000
        assertEquals(1_000, atTen, 120);
        assertEquals(2_000, atTwenty, 160);
    }

    @Test
    void theChoiceDependsOnTheInstrumentOnlyAndZeroChoosesNone() {
        assertEquals(CanaryRule.position("BINANCE:BTCUSDT"), CanaryRule.position(new String("BINANCE:BTCUSDT")));
        assertFalse(CanaryRule.serves("BINANCE:BTCUSDT", 0));
        assertTrue(CanaryRule.serves("BINANCE:BTCUSDT", 1));
        double p = CanaryRule.position("BINANCE:ETHUSDT");
        assertTrue(p >= 0 && p < 1, "a position in [0, 1): " + p);
    }
}
