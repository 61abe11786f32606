package io.riptide.app.bench;

import io.riptide.schemas.avro.JobStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retrain bench on a small training set: the real job runs, every stage is timed, the RESULT line adds up. */
class RetrainBenchIT {

    @Test
    void timesEveryStageOfARealJob() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        RetrainBenchRun.Result result = new RetrainBenchRun(new RetrainBenchRun.Options(20_000, "lightgbm", 60, 42,
                false), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        assertEquals(JobStatus.SUCCEEDED, result.status(), result.message());
        assertTrue(result.message().startsWith("v1 promoted"), result.message());
        double sum = 0;
        for (String stage : RetrainBenchRun.STAGES) {
            assertTrue(result.stage(stage) > 0, stage + " " + result.stages());
            sum += result.stage(stage);
        }
        assertTrue(sum <= result.totalS() && sum > 0.8 * result.totalS(), result.stages() + " of " + result.totalS());
        Matcher line = Pattern.compile("RESULT rows=20000 load_s=\\S+ train_s=\\S+ eval_s=\\S+ publish_s=\\S+ "
                + "total_s=(\\S+) overhead_ratio=(\\S+)").matcher(result.resultLine());
        assertTrue(line.matches(), result.resultLine());
        assertEquals(result.totalS() / result.stage("train"), Double.parseDouble(line.group(2)), 0.001);
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("examples x"), progress.toString());
    }
}
