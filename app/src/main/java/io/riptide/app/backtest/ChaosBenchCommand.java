package io.riptide.app.backtest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code riptide bench chaos}: SIGKILL the stream and the trigger at random, and show that nothing is lost. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Run two copies of the pipeline (riptide stream and riptide trigger, each its own process,",
                "with their own topics and database) over the same simulated market, fed at a paced rate. SIGKILL",
                "the second copy's stream and trigger in turn at random moments (a trigger kill waits for a",
                "running job), sometimes wiping the stream's state directory, and restart them. Once both have drained, compare their read_committed outputs",
                "(bars, features, predictions, pattern signals, outcomes, training examples) and stored examples",
                "by id, check their jobs and published versions, and check the reference's bars against the input.",
                "The last line is RESULT cycles=.. lost=.. duplicated=.. jobs_duplicated=.. half_published=.. ..."})
public final class ChaosBenchCommand implements Callable<Integer> {

    @Option(names = "--cycles", defaultValue = "10",
            description = "SIGKILLs of the crashed copy, stream and trigger in turn, 1 to 100 (default ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--market-hours", defaultValue = "8",
            description = "Simulated market hours, 2 to 48 (default ${DEFAULT-VALUE}).")
    int marketHours;

    @Option(names = "--feed-seconds", defaultValue = "150",
            description = "Wall-clock seconds over which the market is fed, 10 to 3600 (default ${DEFAULT-VALUE}); "
                    + "the kills are spread over about as long.")
    int feedSeconds;

    @Option(names = "--instruments", defaultValue = "3",
            description = "Simulated instruments, 2 to 10 (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--seed", defaultValue = "42",
            description = "Simulator seed, also the seed of the kill schedule (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress lines or table, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        if (cycles < 1 || cycles > 100) {
            throw new IllegalArgumentException("--cycles must be between 1 and 100, got " + cycles);
        }
        if (marketHours < 2 || marketHours > 48) {
            throw new IllegalArgumentException("--market-hours must be between 2 and 48, got " + marketHours);
        }
        if (feedSeconds < 10 || feedSeconds > 3600) {
            throw new IllegalArgumentException("--feed-seconds must be between 10 and 3600, got " + feedSeconds);
        }
        BacktestOptions.checkSimulatedInstruments(instruments);
        ChaosBenchRun.Result result = new ChaosBenchRun(new ChaosBenchRun.Options(marketHours, instruments, seed,
                cycles, feedSeconds, quiet), System.out).run();
        if (!quiet) {
            System.out.println();
            System.out.printf("%-18s %10s %10s %6s %10s %6s %9s%n", "output", "reference", "chaos", "lost",
                    "duplicated", "extra", "differing");
            for (ChaosComparison c : result.outputs()) {
                System.out.printf(Locale.ROOT, "%-18s %,10d %,10d %6d %10d %6d %9d%n", c.output(), c.reference(),
                        c.run(), c.lost(), c.duplicated(), c.extra(), c.differing());
            }
            System.out.printf(Locale.ROOT, "%njobs: reference %d (%d succeeded), chaos %d (%d succeeded); versions "
                            + "published: reference %d, chaos %d%n", result.reference().jobs(),
                    result.reference().succeeded(), result.chaos().jobs(), result.chaos().succeeded(),
                    result.reference().versionsPublished(), result.chaos().versionsPublished());
        }
        System.out.println(result.resultLine());
        return 0;
    }
}
