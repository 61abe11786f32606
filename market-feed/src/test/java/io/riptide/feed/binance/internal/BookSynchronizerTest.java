package io.riptide.feed.binance.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BookSynchronizerTest {
    private final List<Long> applied = new ArrayList<>();
    private final BookSynchronizer sync = new BookSynchronizer();

    private static DepthUpdate spot(long first, long last, String bidPx, String bidQty) {
        return new DepthUpdate("BTCUSDT", 1_000 + last, first, last, -1, List.<String[]>of(new String[]{bidPx, bidQty}),
                List.of());
    }

    private static DepthUpdate futures(long first, long last, long previous) {
        return new DepthUpdate("BTCUSDT", 1_000 + last, first, last, previous, List.of(), List.of());
    }

    private static DepthSnapshot snapshot(long id) {
        return new DepthSnapshot(id, List.<String[]>of(new String[]{"100.0", "1"}, new String[]{"99.0", "2"}),
                List.<String[]>of(new String[]{"101.0", "1"}));
    }

    @Test
    void spotBuffersUntilTheSnapshotDropsWhatItContainsAndAppliesTheRest() {
        assertEquals(BookSynchronizer.Outcome.BUFFERED, sync.onDepth(spot(1, 5, "98.0", "1"), d -> applied.add(d.finalUpdateId())));
        sync.onDepth(spot(6, 9, "100.0", "0"), d -> applied.add(d.finalUpdateId()));
        sync.onDepth(spot(10, 12, "99.5", "3"), d -> applied.add(d.finalUpdateId()));
        assertTrue(sync.needsSnapshot());

        assertTrue(sync.onSnapshot(snapshot(7), d -> applied.add(d.finalUpdateId())));

        assertEquals(List.of(9L, 12L), applied, "1..5 is stale; 6..9 straddles 8; 10..12 chains");
        assertEquals(1, sync.stale());
        assertEquals("99.5", sync.book().bestBid().priceText(), "100.0 deleted by qty 0, 99.5 added");
        assertEquals(12, sync.lastUpdateId());
    }

    @Test
    void spotGapDropsTheBookAndWaitsForANewSnapshotStartingAtTheOffendingDiff() {
        sync.onDepth(spot(5, 8, "98.0", "1"), d -> { });
        sync.onSnapshot(snapshot(6), d -> { });
        assertEquals(BookSynchronizer.Outcome.GAP, sync.onDepth(spot(10, 11, "98.0", "1"), d -> { }));
        assertEquals("U=10 but previous u=8", sync.lastGap());
        assertTrue(sync.needsSnapshot());
        assertTrue(sync.book().isEmpty());
        assertEquals(1, sync.buffered());

        assertTrue(sync.onSnapshot(snapshot(10), d -> applied.add(d.finalUpdateId())));
        assertEquals(List.of(11L), applied);
        assertEquals(1, sync.gaps());
    }

    @Test
    void aSnapshotOlderThanTheBufferIsRefused() {
        sync.onDepth(spot(20, 25, "98.0", "1"), d -> { });
        assertFalse(sync.onSnapshot(snapshot(10), d -> { }));
        assertTrue(sync.needsSnapshot());
        assertEquals(1, sync.snapshotsTooOld());
        assertTrue(sync.onSnapshot(snapshot(22), d -> applied.add(d.finalUpdateId())));
        assertEquals(List.of(25L), applied);
    }

    @Test
    void futuresChainOnPreviousFinalUpdateIdNotOnContiguousIds() {
        sync.onDepth(futures(100, 150, 90), d -> applied.add(d.finalUpdateId()));
        sync.onDepth(futures(160, 200, 150), d -> applied.add(d.finalUpdateId()));
        sync.onDepth(futures(230, 260, 200), d -> applied.add(d.finalUpdateId()));
        assertTrue(sync.onSnapshot(snapshot(170), d -> applied.add(d.finalUpdateId())));
        assertEquals(List.of(200L, 260L), applied, "U=160 <= 170 < u=200 straddles; pu=200 chains despite U=230");

        assertEquals(BookSynchronizer.Outcome.GAP, sync.onDepth(futures(300, 310, 280), d -> { }));
        assertEquals("pu=280 but previous u=260", sync.lastGap());
    }

    @Test
    void futuresFirstDiffMayStartRightAfterASnapshotEqualToAPreviousFinalId() {
        sync.onDepth(futures(160, 200, 150), d -> applied.add(d.finalUpdateId()));
        sync.onDepth(futures(230, 260, 200), d -> applied.add(d.finalUpdateId()));
        assertTrue(sync.onSnapshot(snapshot(200), d -> applied.add(d.finalUpdateId())));
        assertEquals(List.of(260L), applied);
    }
}
