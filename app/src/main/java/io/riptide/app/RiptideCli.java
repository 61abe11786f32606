package io.riptide.app;

import io.riptide.app.backtest.BacktestCommand;
import io.riptide.app.bench.BenchCommand;
import io.riptide.app.demo.DemoCommand;
import io.riptide.app.features.FeaturesCommand;
import io.riptide.app.feed.FeedCommand;
import io.riptide.app.ops.OpsCommand;
import io.riptide.app.services.StreamCommand;
import io.riptide.app.services.TriggerCommand;
import io.riptide.app.topics.TopicsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code riptide} command. */
@Command(name = "riptide", mixinStandardHelpOptions = true, version = "riptide 0.1.0",
        description = "Real-time ML pipeline for crypto markets on Kafka Streams.",
        subcommands = {DemoCommand.class, BacktestCommand.class, StreamCommand.class, TriggerCommand.class,
                FeedCommand.class, OpsCommand.class, TopicsCommand.class, FeaturesCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class RiptideCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, with one-line error reporting; also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RiptideCli());
        cli.setParameterExceptionHandler(CliErrors::onBadParameters);
        cli.setExecutionExceptionHandler(CliErrors::onFailure);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
