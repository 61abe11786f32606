package io.riptide.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end on the embedded broker, PostgreSQL and registry: a shortened default run must train, publish
 * and hot-swap at least one model, dead-letter the injected bad records with reasons, and write its summary.
 */
class DemoIT {

    @TempDir
    Path out;

    @Test
    void aShortDemoRunSwapsInATrainedModelAndAccountsForEveryBadRecord() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoOptions options = new DemoOptions(Duration.ofSeconds(100), 42, out, 240, List.of(5, 15, 30), "lightgbm",
                false);
        DemoSummary summary = new DemoRun(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String printed = console.toString(StandardCharsets.UTF_8);

        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("runtime", "inputs", "outputs", "jobs", "models", "swaps", "predictionsByVersion")) {
            assertTrue(json.has(key), "summary.json has " + key);
        }
        assertEquals("embedded", json.at("/runtime/kafka").asText());
        assertTrue(json.at("/inputs/trades").asLong() > 10_000, printed);
        assertTrue(json.at("/outputs/predictions.liquidation").asLong() > 1_000, printed);
        // every liquidation outcome and every ended pattern signal is one training example
        assertEquals(json.at("/outputs/outcomes").asLong() + json.at("/outputs/outcomes.pattern").asLong(),
                json.at("/outputs/training.examples").asLong(), printed);
        long signals = json.at("/outputs/predictions.pattern").asLong();
        long patternOutcomes = json.at("/outputs/outcomes.pattern").asLong();
        assertTrue(signals > 0 && patternOutcomes > 0 && patternOutcomes <= signals, printed);
        boolean patternModel = false;
        for (var model : json.at("/models")) {
            patternModel |= model.at("/key").asText().startsWith("pattern-");
        }
        assertTrue(patternModel, "a pattern model version was trained (trigger.min.examples.pattern):\n" + printed);
        assertTrue(json.at("/jobs/succeeded").asInt() >= 1, printed);
        // every bar was scored through the micro-batcher; published models carry their calibrator
        assertEquals(json.at("/outputs/features").asLong(), json.at("/run/serving/batchedBars").asLong(), printed);
        assertEquals(json.at("/outputs/predictions.liquidation").asLong(),
                json.at("/run/serving/predictions").asLong());
        // each trained model records its calibrator: Platt where it held up out of time, else none
        long platt = 0;
        for (JsonNode model : json.get("models")) {
            String calibration = model.get("calibration").asText();
            assertTrue(calibration.equals("platt") || calibration.equals("none"), calibration);
            platt += calibration.equals("platt") ? 1 : 0;
        }
        assertTrue(platt > 0, "some model kept its Platt calibrator:\n" + printed);

        assertTrue(summary.swaps().size() >= 1, "at least one hot swap:\n" + printed);
        JsonNode swap = json.at("/swaps/0");
        assertTrue(swap.at("/toVersion").asInt() > swap.at("/fromVersion").asInt());
        assertTrue(swap.at("/firstPredictionLagMs").asLong() >= 0, "lag measured from publication");
        String swappedIn = swap.at("/key").asText() + "@" + swap.at("/toVersion").asInt();
        assertTrue(json.at("/predictionsByVersion/" + swappedIn.replace("/", "~1")).asLong() > 0,
                "later predictions carry " + swappedIn + ": " + json.at("/predictionsByVersion"));

        JsonNode reasons = json.at("/run/deadLetterReasons");
        assertTrue(json.at("/outputs/deadletter").asLong() >= json.at("/inputs/badRecordsInjected").asLong(),
                printed);
        assertTrue(json.at("/inputs/badRecordsInjected").asLong() >= 17, printed);
        for (String expected : List.of("unknown magic byte", "unknown schema id", "got NaN", "got -N",
                "crossed book", "declares N bytes", "trailing bytes", "without a key", "does not match instrument",
                "late trades event", "ahead of its record's timestamp", "tombstone")) {
            assertTrue(reasons.toString().contains(expected), "dead-letter reason '" + expected + "' in " + reasons);
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("<svg"), "report.html has charts");
        assertTrue(report.contains("Pattern signals: success rate") && report.contains("pattern_"),
                "report.html shows how pattern signals ended");
        assertTrue(printed.contains("=== Riptide demo summary ==="), printed);
    }
}
