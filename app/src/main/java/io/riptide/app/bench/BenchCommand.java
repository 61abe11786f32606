package io.riptide.app.bench;

import io.riptide.app.backtest.PoisonBenchCommand;
import io.riptide.app.backtest.ChaosBenchCommand;
import io.riptide.app.backtest.RestoreBenchCommand;
import io.riptide.app.backtest.StreamBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code riptide bench ...}: benchmarks that print their numbers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {InferenceBenchCommand.class, PoisonBenchCommand.class, RestoreBenchCommand.class, ChaosBenchCommand.class,
                StreamBenchCommand.class, RetrainBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
