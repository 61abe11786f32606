package io.riptide.topology;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreProgressTest {
    private static final TopicPartition MARKET_0 = new TopicPartition("app-market-state-store-changelog", 0);
    private static final TopicPartition MARKET_1 = new TopicPartition("app-market-state-store-changelog", 1);

    @Test
    void countsRecordsAndPartitionsRestoringAndTheTimeUntilTheLastEnds() throws InterruptedException {
        RestoreProgress progress = new RestoreProgress();
        progress.onRestoreStart(MARKET_0, "market-state-store", 0, 1_000);
        progress.onRestoreStart(MARKET_1, "market-state-store", 10, 20);
        assertEquals(2, progress.restoring());
        progress.onBatchRestored(MARKET_0, "market-state-store", 600, 600);
        progress.onBatchRestored(MARKET_1, "market-state-store", 20, 10);
        progress.onRestoreEnd(MARKET_1, "market-state-store", 10);
        assertEquals(1, progress.restoring());
        assertEquals(0.0, progress.restoringSeconds(), "a restore still running is not counted yet");
        Thread.sleep(20);
        progress.onBatchRestored(MARKET_0, "market-state-store", 1_000, 400);
        progress.onRestoreSuspended(MARKET_0, "market-state-store", 1_000);
        assertEquals(0, progress.restoring());
        assertEquals(1_010, progress.restoredRecords());
        assertTrue(progress.restoringSeconds() >= 0.02, "from the first start to the last end");
    }
}
