package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamBenchRunTest {

    @Test
    void percentilesAreNearestRank() {
        double[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, StreamBenchRun.percentile(ms, 0.50));
        assertEquals(10, StreamBenchRun.percentile(ms, 0.99));
        assertEquals(1, StreamBenchRun.percentile(ms, 0.0));
        assertTrue(Double.isNaN(StreamBenchRun.percentile(new double[0], 0.5)));
    }

    @Test
    void theSustainedRateIsTheHighestWithEveryLowerOneSustainedToo() {
        StreamBenchRun.Latency ok1k = new StreamBenchRun.Latency(1_000, 1_000, 50, 50, 100, 200, 210, true);
        StreamBenchRun.Latency slow3k = new StreamBenchRun.Latency(3_000, 3_000, 150, 150, 400, 1_500, 1_700, true);
        StreamBenchRun.Latency ok10k = new StreamBenchRun.Latency(10_000, 9_990, 500, 500, 100, 300, 400, true);
        assertEquals(1_000, result(List.of(ok1k, slow3k, ok10k)).maxSustainedEventsPerSecond());
        assertEquals(10_000, result(List.of(ok1k, ok10k)).maxSustainedEventsPerSecond());

        StreamBenchRun.Latency unread = new StreamBenchRun.Latency(1_000, 1_000, 50, 49, 100, 200, 210, true);
        StreamBenchRun.Latency undrained = new StreamBenchRun.Latency(1_000, 1_000, 50, 50, 100, 200, 210, false);
        StreamBenchRun.Latency underSent = new StreamBenchRun.Latency(1_000, 900, 50, 50, 100, 200, 210, true);
        for (StreamBenchRun.Latency l : List.of(unread, undrained, underSent)) {
            assertEquals(0, result(List.of(l)).maxSustainedEventsPerSecond(), l.toString());
        }
    }

    private static StreamBenchRun.Result result(List<StreamBenchRun.Latency> latency) {
        return new StreamBenchRun.Result(List.of(), latency, 100, 1, 1);
    }
}
