package io.riptide.app.backtest;

import io.riptide.app.backtest.ChaosComparison.Keyed;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChaosComparisonTest {
    private static final List<Keyed> REFERENCE = List.of(new Keyed("a", "1"), new Keyed("b", "2"),
            new Keyed("c", "3"));

    @Test
    void theSameRecordsInAnotherOrderAreClean() {
        ChaosComparison c = ChaosComparison.of("bars", REFERENCE, List.of(new Keyed("c", "3"), new Keyed("a", "1"),
                new Keyed("b", "2")));
        assertTrue(c.clean(), c.toString());
        assertEquals(3, c.reference());
        assertEquals(3, c.run());
    }

    @Test
    void countsLostDuplicatedExtraAndDifferingRecordsEachOnce() {
        ChaosComparison c = ChaosComparison.of("bars", REFERENCE, List.of(new Keyed("a", "1"), new Keyed("a", "1"),
                new Keyed("b", "2.5"), new Keyed("d", "4")));
        assertEquals(new ChaosComparison("bars", 3, 3, 1, 1, 1, 1, 0), c);
        assertFalse(c.clean());
    }

    @Test
    void aDuplicateInTheReferenceIsReportedAsSuch() {
        ChaosComparison c = ChaosComparison.of("outcomes", List.of(new Keyed("a", "1"), new Keyed("a", "1")),
                List.of(new Keyed("a", "1")));
        assertEquals(1, c.referenceDuplicated());
        assertEquals(0, c.duplicated());
        assertFalse(c.clean());
    }

    @Test
    void nullValuesCompareIdsOnly() {
        ChaosComparison c = ChaosComparison.of("predictions", List.of(new Keyed("p1", null), new Keyed("p2", null)),
                List.of(new Keyed("p2", null)));
        assertEquals(1, c.lost());
        assertEquals(0, c.differing());
    }
}
