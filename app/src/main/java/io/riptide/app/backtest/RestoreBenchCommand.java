package io.riptide.app.backtest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code riptide bench restore}: how long a restarted stream takes to restore its state, RocksDB against memory. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Write simulated markets of the given lengths to the embedded broker; for RocksDB and for",
                "in-memory stores, with dynamic and with static group membership, run riptide stream as its own",
                "process over each, SIGKILL it once it caught up,",
                "restart it, SIGTERM it, restart it again, and time each restart to /health/ready. The last line is",
                "RESULT <stores>_<membership>_<kill|clean>_<H>h_restore_s=.. .._ready_s=.. .._restored=.. wall_s=.."})
public final class RestoreBenchCommand implements Callable<Integer> {

    @Option(names = "--market-hours", defaultValue = "1,8", split = ",", paramLabel = "HOURS",
            description = "Market lengths to measure, each 1 to 48 (default ${DEFAULT-VALUE}).")
    List<Integer> marketHours;

    @Option(names = "--instruments", defaultValue = "3",
            description = "Simulated instruments, 2 to 10 (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress lines or table, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        if (marketHours.isEmpty() || marketHours.stream().anyMatch(h -> h < 1 || h > 48)
                || marketHours.stream().distinct().count() != marketHours.size()) {
            throw new IllegalArgumentException("--market-hours must be distinct lengths between 1 and 48, got "
                    + marketHours);
        }
        BacktestOptions.checkSimulatedInstruments(instruments);
        RestoreBenchRun.Result result = new RestoreBenchRun(new RestoreBenchRun.Options(List.copyOf(marketHours),
                instruments, seed, quiet), System.out).run();
        if (!quiet) {
            System.out.println();
            System.out.printf("%-6s %-10s %-10s %-6s %10s %12s %14s %16s%n", "market", "stores", "membership",
                    "stop", "ready s", "restore s", "restored", "state dir bytes");
            for (RestoreBenchRun.Restart r : result.restarts()) {
                System.out.printf(Locale.ROOT, "%-6s %-10s %-10s %-6s %10.1f %12.1f %,14d %,16d%n",
                        r.marketHours() + "h", r.stores(), r.membership(), r.stop(), r.readySeconds(),
                        r.restoreSeconds(), r.restoredRecords(), r.stateDirBytes());
            }
        }
        System.out.println(result.resultLine());
        return 0;
    }
}
