package io.riptide.topology.internal;

import io.riptide.schemas.avro.BarrierHit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TripleBarrierTest {
    private static final double EPS = 1e-12;

    @Test
    void barriersSitAtMultiplesOfTheAtrOnEachSideOfTheEntry() {
        TripleBarrier longSignal = TripleBarrier.of(1, 100, 2, 2, 1, 30);
        assertEquals(104, longSignal.profit(), EPS);
        assertEquals(98, longSignal.stop(), EPS);
        TripleBarrier shortSignal = TripleBarrier.of(-1, 100, 2, 2, 1, 30);
        assertEquals(96, shortSignal.profit(), EPS);
        assertEquals(102, shortSignal.stop(), EPS);
    }

    @Test
    void aLongHitsProfitAtTheBarrierPrice() {
        TripleBarrier b = TripleBarrier.of(1, 100, 2, 2, 1, 30);
        assertNull(b.onBar(1, 100, 103, 99, 102));
        TripleBarrier.Resolution r = b.onBar(2, 102, 104.5, 101, 104);
        assertEquals(BarrierHit.PROFIT, r.barrier());
        assertEquals(1, r.label());
        assertEquals(104, r.exitPrice(), EPS);
        assertEquals(0.04, r.realizedReturn(), EPS);
        assertEquals(2, r.barsToHit());
    }

    @Test
    void aShortIsStoppedAboveTheEntryWithANegativeReturn() {
        TripleBarrier b = TripleBarrier.of(-1, 100, 2, 2, 1, 30);
        TripleBarrier.Resolution r = b.onBar(1, 100, 102, 99, 101);
        assertEquals(BarrierHit.STOP, r.barrier());
        assertEquals(0, r.label());
        assertEquals(102, r.exitPrice(), EPS);
        assertEquals(-0.02, r.realizedReturn(), EPS);
    }

    @Test
    void aBarHoldingBothBarriersIsAStop() {
        TripleBarrier b = TripleBarrier.of(1, 100, 2, 2, 1, 30);
        TripleBarrier.Resolution r = b.onBar(1, 100, 105, 97, 104);
        assertEquals(BarrierHit.STOP, r.barrier());
        assertEquals(98, r.exitPrice(), EPS);
    }

    @Test
    void aGapPastABarrierFillsAtTheOpen() {
        TripleBarrier.Resolution stop = TripleBarrier.of(1, 100, 2, 2, 1, 30).onBar(1, 97, 99, 96, 98);
        assertEquals(BarrierHit.STOP, stop.barrier());
        assertEquals(97, stop.exitPrice(), EPS);
        TripleBarrier.Resolution win = TripleBarrier.of(-1, 100, 2, 2, 1, 30).onBar(1, 95, 95.5, 94, 95);
        assertEquals(BarrierHit.PROFIT, win.barrier());
        assertEquals(95, win.exitPrice(), EPS);
        assertEquals(0.05, win.realizedReturn(), EPS);
    }

    @Test
    void withNoTouchTheSignalEndsAtTheCloseOfItsLastBar() {
        TripleBarrier b = TripleBarrier.of(1, 100, 2, 2, 1, 3);
        assertNull(b.onBar(1, 100, 101, 99, 100.5));
        assertNull(b.onBar(2, 100.5, 101, 99, 100.2));
        TripleBarrier.Resolution r = b.onBar(3, 100.2, 101, 99, 99.5);
        assertEquals(BarrierHit.TIME, r.barrier());
        assertEquals(0, r.label());
        assertEquals(99.5, r.exitPrice(), EPS);
        assertEquals(-0.005, r.realizedReturn(), EPS);
        assertEquals(3, r.barsToHit());
    }

    @Test
    void aSignalNeedsADirectionAndATimeBarrier() {
        assertThrows(IllegalArgumentException.class, () -> TripleBarrier.of(0, 100, 2, 2, 1, 30));
        assertThrows(IllegalArgumentException.class, () -> TripleBarrier.of(1, 100, 2, 2, 1, 0));
    }
}
