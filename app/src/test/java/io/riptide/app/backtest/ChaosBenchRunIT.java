package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code riptide bench chaos}, short: the stream and the trigger of one copy, each its own process, are killed with
 * SIGKILL (the stream's state directory wiped), restarted, and the copy's outputs, jobs and published versions still
 * equal an undisturbed copy's over the same market.
 */
class ChaosBenchRunIT {

    @Test
    void killingTheStreamAndTheTriggerLosesAndDuplicatesNothing() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ChaosBenchRun.Result r = new ChaosBenchRun(new ChaosBenchRun.Options(8, 3, 42, 2, 40, false),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String context = r.resultLine() + "\n" + r.outputs() + "\n" + progress.toString(StandardCharsets.UTF_8);
        assertEquals(1, r.kills().stream().filter(k -> k.service().equals("stream")).count(), context);
        assertEquals(1, r.kills().stream().filter(k -> k.service().equals("trigger")).count(), context);
        assertTrue(r.outputs().stream().allMatch(ChaosComparison::clean), context);
        assertEquals(0, r.referenceLost(), context);
        for (String patternOutput : List.of("pattern_signals", "pattern_outcomes")) {
            assertTrue(r.outputs().stream().filter(c -> c.output().equals(patternOutput))
                    .allMatch(c -> c.reference() > 0), patternOutput + ": " + context);
        }
        assertTrue(r.outputs().stream().filter(c -> c.output().equals("bars")).allMatch(c -> c.reference()
                == 8 * 60 * 3), "every minute of every instrument has its bar: " + context);
        assertTrue(r.outputs().stream().filter(c -> c.output().equals("stored_examples")).allMatch(c -> c.run()
                > 500), "the trigger stored the examples: " + context);
        assertTrue(r.chaos().jobs() > 0 && r.chaos().versionsPublished() > 0, "the trigger trained: " + context);
        assertEquals(0, r.chaos().jobsDuplicated(), context);
        assertEquals(0, r.chaos().halfPublished(), context);
        assertEquals(0, r.reference().halfPublished(), context);
        assertEquals(0, r.servedUnpublished(), context);
    }
}
