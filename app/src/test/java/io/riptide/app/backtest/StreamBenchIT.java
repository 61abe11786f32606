package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code riptide bench stream} on the embedded broker, small: every application reads the whole backlog, the
 * stream's changelogs are counted and the copy app has none, and every bar closed in the live phase is read back.
 */
class StreamBenchIT {

    @Test
    void timesTheBacklogForEveryAppAndReadsEveryLiveBarBack() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        StreamBenchRun.Result r = new StreamBenchRun(new StreamBenchRun.Options(15_000, 2, 5, 1, List.of(300, 1_000),
                5, 2, false), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String context = r.resultLine() + "\n" + progress.toString(StandardCharsets.UTF_8);

        assertEquals(List.of("copy-1", "topology-eos", "topology-alo", "copy-2"),
                r.backlog().stream().map(StreamBenchRun.Throughput::name).toList(), context);
        long events = r.topology().events();
        assertTrue(events >= 15_000, context);
        for (StreamBenchRun.Throughput t : r.backlog()) {
            assertEquals(events, t.events(), context);
            assertTrue(t.records() > t.events(), "the heartbeats are records too: " + context);
            assertTrue(t.seconds() > 0 && t.cpuSeconds() > 0, context);
        }
        assertTrue(r.topology().changelogBytes() > 0, "the stream's stores are changelogged: " + context);
        assertTrue(r.topology().sampleBytes() > 0, "and it writes monitoring samples: " + context);
        assertEquals(0, r.backlog().get(0).changelogBytes(), "the copy app has no store: " + context);

        assertEquals(List.of(300, 1_000), r.latency().stream().map(StreamBenchRun.Latency::rate).toList(), context);
        for (StreamBenchRun.Latency l : r.latency()) {
            assertTrue(l.bars() > 0, context);
            assertEquals(l.bars(), l.read(), "every closed bar's prediction was read: " + context);
            assertTrue(0 < l.p50Ms() && l.p50Ms() <= l.p99Ms() && l.p99Ms() <= l.maxMs(), context);
        }
        assertTrue(r.resultLine().matches("RESULT topology_eps=\\d+ passthrough_eps=\\d+ ratio=[0-9.]+ alo_eps=\\d+ "
                + "cpu_us_per_event=[0-9.]+ changelog_bytes_per_event=[0-9.]+ p50_ms_1k=\\d+ p99_ms_1k=\\d+ "
                + "max_sustained_eps=\\d+ .*"), r.resultLine());
    }
}
