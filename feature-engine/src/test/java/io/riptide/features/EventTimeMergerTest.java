package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTimeMergerTest {

    private static List<String> drain(EventTimeMerger<String> m) {
        List<String> out = new ArrayList<>();
        EventTimeMerger.Entry<String> e;
        while ((e = m.poll()) != null) {
            out.add(e.event());
        }
        return out;
    }

    @Test
    void nothingIsReleasedUntilEveryExpectedInputHasPassedIt() {
        EventTimeMerger<String> m = new EventTimeMerger<>();
        m.offer(MarketSource.TRADES, 1_000, "trade@1000");
        assertTrue(drain(m).isEmpty(), "books and liquidations have not been heard from");
        m.heartbeat(MarketSource.BOOKS, 5_000);
        assertTrue(drain(m).isEmpty(), "liquidations have not been heard from");
        m.heartbeat(MarketSource.LIQUIDATIONS, 900);
        assertTrue(drain(m).isEmpty(), "liquidations have only passed 900");
        m.heartbeat(MarketSource.LIQUIDATIONS, 2_000);
        assertTrue(drain(m).isEmpty(), "the trade input itself has only passed its own 1000 (a tie could still come)");
        m.offer(MarketSource.TRADES, 3_000, "trade@3000");
        assertEquals(List.of("trade@1000"), drain(m));
        assertEquals(2_000, m.releasedThrough(), "up to the slowest input");
    }

    @Test
    void eventsComeOutInEventTimeOrderWhateverTheArrivalOrderAcrossInputs() {
        EventTimeMerger<String> m = new EventTimeMerger<>();
        m.offer(MarketSource.TRADES, 1_000, "t1000");
        m.offer(MarketSource.TRADES, 2_000, "t2000");
        m.offer(MarketSource.TRADES, 4_000, "t4000");
        m.offer(MarketSource.LIQUIDATIONS, 2_000, "l2000");
        m.offer(MarketSource.BOOKS, 2_000, "b2000");
        m.offer(MarketSource.BOOKS, 500, "b500");
        m.heartbeat(MarketSource.LIQUIDATIONS, 5_000);
        m.heartbeat(MarketSource.BOOKS, 5_000);
        // ties at 2000: books, liquidations, trades
        assertEquals(List.of("b500", "t1000", "b2000", "l2000", "t2000"), drain(m));
        assertEquals(4_000, m.releasedThrough());
        assertEquals(1, m.buffered(), "t4000 waits: trades have only passed 4000");
    }

    @Test
    void anEventOlderThanWhatWasReleasedIsLateAndRefused() {
        EventTimeMerger<String> m = new EventTimeMerger<>();
        for (MarketSource s : List.of(MarketSource.TRADES, MarketSource.BOOKS, MarketSource.LIQUIDATIONS)) {
            m.heartbeat(s, 10_000);
        }
        drain(m);
        assertEquals(-1, m.offer(MarketSource.BOOKS, 9_999, "late"));
        assertTrue(m.offer(MarketSource.BOOKS, 10_000, "on time") >= 0);
    }

    @Test
    void tradesMakeKlinesUnexpectedAndKlinesMakeTradesAndBooksUnexpected() {
        EventTimeMerger<String> trades = new EventTimeMerger<>();
        assertTrue(trades.waitsFor(MarketSource.KLINES));
        trades.heartbeat(MarketSource.TRADES, 1);
        assertFalse(trades.waitsFor(MarketSource.KLINES));
        assertTrue(trades.waitsFor(MarketSource.BOOKS));

        EventTimeMerger<String> klines = new EventTimeMerger<>();
        klines.offer(MarketSource.KLINES, 59_999, "k0");
        klines.heartbeat(MarketSource.LIQUIDATIONS, 60_000);
        assertFalse(klines.waitsFor(MarketSource.TRADES));
        assertFalse(klines.waitsFor(MarketSource.BOOKS));
        klines.heartbeat(MarketSource.KLINES, 60_000);
        assertEquals(List.of("k0"), drain(klines));
    }

    @Test
    void anIdleInputNoLongerHoldsEventTimeBackUntilItSpeaksAgain() {
        EventTimeMerger<String> m = new EventTimeMerger<>();
        m.offer(MarketSource.TRADES, 1_000, "t1");
        m.offer(MarketSource.TRADES, 2_000, "t2");
        m.heartbeat(MarketSource.BOOKS, 3_000);
        assertTrue(drain(m).isEmpty(), "liquidations never came");
        m.setIdle(MarketSource.LIQUIDATIONS, true);
        assertEquals(List.of("t1"), drain(m));
        m.heartbeat(MarketSource.LIQUIDATIONS, 2_500);
        assertFalse(m.isIdle(MarketSource.LIQUIDATIONS), "heard again");
        assertEquals(List.of(), drain(m), "release point never moves back");
        assertEquals(2_000, m.releasedThrough());
    }

    @Test
    void theScalarStateRoundTripsAndBufferedEventsGoBackInTheirOrder() {
        EventTimeMerger<String> m = new EventTimeMerger<>();
        m.offer(MarketSource.TRADES, 1_000, "t1");
        m.offer(MarketSource.TRADES, 5_000, "t5");
        m.heartbeat(MarketSource.BOOKS, 6_000);
        m.heartbeat(MarketSource.LIQUIDATIONS, 6_000);
        assertEquals(List.of("t1"), drain(m));
        byte[] state = m.stateBytes();
        List<EventTimeMerger.Entry<String>> buffered = new ArrayList<>();
        m.forEachBuffered(buffered::add);

        EventTimeMerger<String> restored = EventTimeMerger.restore(state);
        buffered.forEach(e -> restored.rebuffer(e.source(), e.timeMs(), e.seq(), e.event()));
        assertEquals(m.releasedThrough(), restored.releasedThrough());
        assertEquals(m.nextSeq(), restored.nextSeq());
        assertEquals(m.watermark(MarketSource.BOOKS), restored.watermark(MarketSource.BOOKS));
        restored.offer(MarketSource.TRADES, 7_000, "t7");
        m.offer(MarketSource.TRADES, 7_000, "t7");
        assertEquals(drain(m), drain(restored));
        assertThrows(IllegalArgumentException.class, () -> EventTimeMerger.restore(new byte[]{1, 2, 3}));
        assertNull(restored.poll());
    }
}
