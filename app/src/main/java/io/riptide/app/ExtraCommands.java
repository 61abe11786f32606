package io.riptide.app;

import io.riptide.app.bench.BenchCommand;
import picocli.CommandLine;

/** Commands contributed by the feature, serving and feed modules' owners, registered in one place. */
final class ExtraCommands {
    private ExtraCommands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new BenchCommand());
    }
}
