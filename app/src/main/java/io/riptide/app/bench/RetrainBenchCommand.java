package io.riptide.app.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code riptide bench retrain}: the retrain job's stages on a large training set in PostgreSQL. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"Write synthetic examples of the liquidation feature set into the embedded PostgreSQL, then run",
                "one real training job over all of them (load, train, evaluate and gate, promote and publish) and",
                "time each stage. The last line is RESULT rows=.. load_s=.. train_s=.. eval_s=.. publish_s=..",
                "total_s=.. overhead_ratio=.. (total / train)."})
public final class RetrainBenchCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000",
            description = "Training examples, 1000 to 20000000 (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--trainer", defaultValue = "lightgbm", description = "lightgbm or xgboost (default ${DEFAULT-VALUE}).")
    String trainer;

    @Option(names = "--rounds", defaultValue = "200",
            description = "Boosting rounds, as trigger.num.rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "42", description = "Data and training seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress lines or table, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        if (rows < 1000 || rows > 20_000_000) {
            throw new IllegalArgumentException("--rows must be between 1000 and 20000000, got " + rows);
        }
        if (!trainer.equals("lightgbm") && !trainer.equals("xgboost")) {
            throw new IllegalArgumentException("--trainer must be lightgbm or xgboost, got " + trainer);
        }
        if (rounds < 1 || rounds > 100_000) {
            throw new IllegalArgumentException("--rounds must be between 1 and 100000, got " + rounds);
        }
        RetrainBenchRun.Result result = new RetrainBenchRun(new RetrainBenchRun.Options(rows, trainer, rounds, seed,
                quiet), System.out).run();
        if (!quiet) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-8s %9s %7s%n", "stage", "seconds", "share");
            for (String stage : RetrainBenchRun.STAGES) {
                System.out.printf(Locale.ROOT, "%-8s %9.2f %6.1f%%%n", stage, result.stage(stage),
                        100 * result.stage(stage) / result.totalS());
            }
            System.out.printf(Locale.ROOT, "%-8s %9.2f%n", "total", result.totalS());
        }
        System.out.println(result.resultLine());
        return result.status().name().equals("FAILED") ? 1 : 0;
    }
}
