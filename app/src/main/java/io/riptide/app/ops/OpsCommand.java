package io.riptide.app.ops;

import io.riptide.app.services.http.OpsRole;
import io.riptide.app.services.http.OpsTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code riptide ops ...}: read the pipeline's state from the trigger's HTTP API (status, models, jobs, history) and
 * ask for changes (retrain, rollback, promote) over the API or, without {@code --api}, over Kafka.
 *
 * <p>Its subcommands have {@code -h/--help} but no {@code -V/--version}: {@code --version} is a model version here.
 */
@Command(name = "ops", description = {"Ask the retrain trigger for its state, or to retrain, roll back or promote.",
        "Reads need the trigger's HTTP API (--api URL, --token or RIPTIDE_OPS_API, RIPTIDE_OPS_TOKEN);",
        "changes use it when --api is given, else ops.retrain-requests on Kafka (--config)."},
        subcommands = {OpsReadCommands.Status.class, OpsReadCommands.Models.class, OpsReadCommands.Jobs.class,
                OpsReadCommands.History.class, OpsChangeCommands.Retrain.class, OpsChangeCommands.Rollback.class,
                OpsChangeCommands.Promote.class, OpsCommand.Token.class})
public final class OpsCommand implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "token", description = {"Make a new ops API token: prints the token (give it to its user) and",
            "the line for the trigger's ops.api.tokens.file, which keeps only its SHA-256."})
    static final class Token implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Option(names = "--principal", required = true, paramLabel = "NAME",
                description = "Who the token belongs to (recorded as requestedBy).")
        String principal;
        @Option(names = "--roles", defaultValue = "read", split = ",", paramLabel = "ROLE",
                description = "read, operate, force (default ${DEFAULT-VALUE}).")
        java.util.List<String> roles;

        @Override
        public Integer call() {
            if (!principal.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("--principal must be 1 to 64 of [A-Za-z0-9._@-], got '" + principal
                        + "'");
            }
            Set<OpsRole> parsed = EnumSet.noneOf(OpsRole.class);
            roles.forEach(r -> parsed.add(OpsRole.parse(r)));
            String token = OpsTokens.generate();
            System.out.println("token: " + token);
            System.out.println("ops.api.tokens.file line: " + OpsTokens.line(token, principal, parsed));
            return 0;
        }
    }
}
