package io.riptide.serving;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RiskLevelsTest {

    @Test
    void bandsFollowTheThresholds() {
        RiskLevels r = RiskLevels.defaults();
        assertEquals(RiskLevel.LOW, r.levelOf(0.0));
        assertEquals(RiskLevel.LOW, r.levelOf(0.2499));
        assertEquals(RiskLevel.MEDIUM, r.levelOf(0.25));
        assertEquals(RiskLevel.HIGH, r.levelOf(0.5));
        assertEquals(RiskLevel.CRITICAL, r.levelOf(0.75));
        assertEquals(RiskLevel.CRITICAL, r.levelOf(1.0));
        RiskLevels custom = new RiskLevels(0.1, 0.2, 0.3);
        assertEquals(RiskLevel.CRITICAL, custom.levelOf(0.31));
    }

    @Test
    void confidenceIsDistanceFromACoinFlip() {
        assertEquals(0.0, RiskLevels.confidence(0.5));
        assertEquals(1.0, RiskLevels.confidence(0.0));
        assertEquals(0.8, RiskLevels.confidence(0.9), 1e-12);
    }

    @Test
    void rejectsUnorderedThresholds() {
        assertThrows(IllegalArgumentException.class, () -> new RiskLevels(0.5, 0.4, 0.9));
        assertThrows(IllegalArgumentException.class, () -> RiskLevels.defaults().levelOf(Double.NaN));
    }
}
