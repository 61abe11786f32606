package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChaosBenchRunTest {

    @Test
    void aTradeMinuteWithoutABarIsLostExceptTheLastOneOfItsInstrument() {
        Map<String, Set<Long>> trades = Map.of("BTC", Set.of(0L, 60_000L, 120_000L, 180_000L), "ETH",
                Set.of(60_000L));
        Set<String> bars = Set.of(ChaosBenchRun.barId("BTC", 0), ChaosBenchRun.barId("BTC", 120_000));
        assertEquals(1, ChaosBenchRun.referenceLost(trades, bars)); // BTC 60_000; BTC 180_000 and ETH are still open
    }

    @Test
    void theResultLineSumsEveryOutputAndNamesTheIssuesKeysFirst() {
        ChaosBenchRun.Result result = new ChaosBenchRun.Result(2, List.of(
                new ChaosBenchRun.Kill(1, "stream", true, false, 10, 5),
                new ChaosBenchRun.Kill(2, "trigger", false, true, 20, 4)),
                List.of(new ChaosComparison("bars", 10, 10, 1, 0, 0, 2, 0),
                        new ChaosComparison("outcomes", 5, 6, 2, 3, 1, 0, 0)),
                new ChaosBenchRun.Lifecycle(7, 5, 5, 0, 0), new ChaosBenchRun.Lifecycle(8, 6, 6, 1, 2), 0, 0, 99.94);
        assertEquals("RESULT cycles=2 lost=3 duplicated=3 jobs_duplicated=1 half_published=2 extra=1 differing=2 "
                + "reference_lost=0 reference_duplicated=0 reference_jobs_duplicated=0 reference_half_published=0 "
                + "served_unpublished=0 stream_kills=1 trigger_kills=1 trigger_kills_mid_job=1 wipes=1 jobs_reference=7 "
                + "jobs_chaos=8 "
                + "versions_reference=5 versions_chaos=6 wall_s=99.9", result.resultLine());
    }
}
