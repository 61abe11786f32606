package io.riptide.app.backtest;

import io.riptide.app.poison.PoisonRecords;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code riptide bench poison} on the embedded broker: every kind of bad record, mixed into a simulated market, is
 * dead-lettered with a reason, no stream thread dies, and the outputs equal those of the same market run clean.
 */
class PoisonBenchIT {

    @Test
    void everyBadRecordIsDeadLetteredWithAReasonAndTheOutputsEqualACleanRun() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PoisonRun.Result r = new PoisonRun(new PoisonRun.Options(8_000, 0.2, 11, 2, 2, false),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String context = r.resultLine() + "\n" + progress.toString(StandardCharsets.UTF_8) + "\nmissed: " + r.missed();
        assertEquals(1_600, r.bad(), context);
        assertEquals(PoisonRecords.Kind.values().length, r.byKind().size(), "every kind was sent: " + r.byKind().keySet());
        assertEquals(r.bad(), r.deadLettered(), context);
        assertEquals(r.bad(), r.withReason(), context);
        assertEquals(0, r.validDeadLettered(), context);
        assertEquals(0, r.cleanDeadLettered(), context);
        assertEquals(0, r.crashes(), context);
        assertTrue(r.outputs().get("features")[0] > 10, "the market produced features: " + context);
        assertTrue(r.outputs().get("outcomes")[0] > 10, "and labels: " + context);
        assertTrue(r.outputsEqual(), context);
        assertTrue(r.sampleReasons().get(PoisonRecords.Kind.FAR_PAST).startsWith("late "),
                r.sampleReasons().toString());
        assertTrue(r.sampleReasons().get(PoisonRecords.Kind.NULL_KEY).contains("without a key"),
                r.sampleReasons().toString());
    }
}
