package io.riptide.feed.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimulatorConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        SimulatorConfig c = SimulatorConfig.defaults(1, 0);
        assertEquals(List.of("SIM:BTCUSDT", "SIM:ETHUSDT", "SIM:SOLUSDT"), c.instruments());
        assertEquals(2_000, c.bookIntervalMs());
        assertEquals(20, c.bookDepth());
        assertEquals(SimulatorConfig.NO_REGIME_SHIFT, c.regimeShiftAtMs());
        assertEquals(5_000, c.withRegimeShiftAt(5_000).regimeShiftAtMs());
        assertEquals(List.of("SIM:X"), c.withInstruments(List.of("SIM:X")).instruments());
    }

    @Test
    void invalidValuesNameTheParameter() {
        SimulatorConfig c = SimulatorConfig.defaults(1, 0);
        assertEquals("bookIntervalMs must be > 0, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> c.withBookIntervalMs(0)).getMessage());
        assertEquals("bookDepth must be in 1..20, was 21",
                assertThrows(IllegalArgumentException.class, () -> c.withBookDepth(21)).getMessage());
        assertEquals("instruments must be distinct: [A, A]",
                assertThrows(IllegalArgumentException.class, () -> c.withInstruments(List.of("A", "A"))).getMessage());
        assertEquals("tradeBranchingRatio must be in 0..0.95, was 1.0",
                assertThrows(IllegalArgumentException.class, () -> c.withTradeBranchingRatio(1.0)).getMessage());
    }
}
