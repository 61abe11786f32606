package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestoreBenchRunTest {

    @Test
    void theResultLineNamesEachRestartByStoresMembershipStopAndMarketLength() {
        RestoreBenchRun.Result result = new RestoreBenchRun.Result(List.of(), List.of(
                new RestoreBenchRun.Restart(8, "rocksdb", "static", "kill", 5.94, 1.26, 20_000, 3_000_000),
                new RestoreBenchRun.Restart(8, "in-memory", "dynamic", "clean", 4.9, 0.3, 2_418, 26_123)), 100.04);
        assertEquals("RESULT rocksdb_static_kill_8h_restore_s=1.3 rocksdb_static_kill_8h_ready_s=5.9 "
                + "rocksdb_static_kill_8h_restored=20000 memory_dynamic_clean_8h_restore_s=0.3 "
                + "memory_dynamic_clean_8h_ready_s=4.9 memory_dynamic_clean_8h_restored=2418 wall_s=100.0",
                result.resultLine());
    }
}
