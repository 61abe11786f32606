package io.riptide.app.backtest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code riptide bench poison}: hostile records mixed into a simulated market, through the real stream on the
 * embedded runtime, side by side with the same market run clean. It lives with the backtest because it is one: two
 * arms in lockstep.
 */
@Command(name = "poison", mixinStandardHelpOptions = true,
        description = {"Mix garbage, unknown schema ids, wrong schemas, length bombs, NaN and negative values, crossed",
                "books, far-future and far-past times, 1 MB values, empty values, tombstones, null and wrong keys and",
                "bad heartbeats into a simulated market; run it through the real stream beside the same market clean.",
                "The last line is RESULT bad=.. dead_lettered=.. with_reason=.. crashes=.. valid_outputs_equal=.."})
public final class PoisonBenchCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "100000",
            description = "Market records the poisoned stream reads, valid and bad (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--bad-share", defaultValue = "0.1",
            description = "Share of them that are bad, above 0 and below 1 (default ${DEFAULT-VALUE}).")
    double badShare;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator and poison seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--instruments", defaultValue = "3",
            description = "Simulated instruments, 2 to 10 (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--step", defaultValue = "5", paramLabel = "MINUTES",
            description = "Market minutes per lockstep step (default ${DEFAULT-VALUE}).")
    int stepMinutes;

    @Option(names = "--quiet", description = "No progress lines or table, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide.topology.internal", "error");
        if (records < 100 || records > 10_000_000) {
            throw new IllegalArgumentException("--records must be between 100 and 10000000, got " + records);
        }
        if (!(badShare > 0 && badShare < 1)) {
            throw new IllegalArgumentException("--bad-share must be above 0 and below 1, got " + badShare);
        }
        BacktestOptions.checkSimulatedInstruments(instruments);
        if (stepMinutes < 1 || stepMinutes > 60) {
            throw new IllegalArgumentException("--step must be between 1 and 60 minutes, got " + stepMinutes);
        }
        PoisonRun.Result result = new PoisonRun(new PoisonRun.Options(records, badShare, seed, instruments,
                stepMinutes, quiet), System.out).run();
        if (!quiet) {
            printTable(result);
        }
        System.out.println(result.resultLine());
        return result.deadLettered() == result.bad() && result.withReason() == result.bad() && result.crashes() == 0
                && result.outputsEqual() && result.validDeadLettered() == 0 ? 0 : 1;
    }

    private static void printTable(PoisonRun.Result r) {
        System.out.println();
        System.out.printf("%-20s %8s %14s %12s  %s%n", "bad record", "sent", "dead-lettered", "with reason",
                "a reason given");
        r.byKind().forEach((kind, c) -> System.out.printf("%-20s %8d %14d %12d  %s%n",
                kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), c[0], c[1], c[2],
                abbreviate(r.sampleReasons().getOrDefault(kind, "-"))));
        System.out.println();
        System.out.printf("%-28s %10s %10s  %s%n", "output topic", "clean", "poisoned", "same records");
        for (Map.Entry<String, long[]> e : r.outputs().entrySet()) {
            System.out.printf("%-28s %10d %10d  %s%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                    e.getValue()[2] == 1 ? "yes" : "NO");
        }
        System.out.println();
        System.out.printf("valid records dead-lettered: %d in the poisoned stream, %d in the clean one%n",
                r.validDeadLettered(), r.cleanDeadLettered());
        if (!r.missed().isEmpty()) {
            System.out.println("bad records with no dead letter (first 10): " + r.missed());
        }
    }

    private static String abbreviate(String reason) {
        String oneLine = reason.replace('\n', ' ');
        return oneLine.length() <= 110 ? oneLine : oneLine.substring(0, 107) + "...";
    }
}
