package io.riptide.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad command-line and configuration input: one line naming the problem, exit code 2, no stack trace. */
class RiptideCliTest {

    private record Run(int exitCode, String err, String out) {
    }

    private static Run run(String... args) {
        CommandLine cli = RiptideCli.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        return new Run(code, err.toString(), out.toString());
    }

    /** Every command and subcommand, as the words that name it: [demo], [ops, retrain], [bench, inference], ... */
    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases once
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, into);
            }
        });
    }

    @Test
    void everyCommandsHelpExitsZero() {
        List<List<String>> commands = new ArrayList<>();
        collect(RiptideCli.commandLine(), List.of(), commands);
        assertTrue(commands.contains(List.of("ops", "retrain")) && commands.contains(List.of("bench", "inference")),
                commands.toString());
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Run run = run(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), "riptide " + String.join(" ", args) + ": " + run.err());
            assertTrue(run.out().contains("Usage: riptide"), "riptide " + String.join(" ", args) + " printed:\n"
                    + run.out());
        }
    }

    private static void assertOneLineError(Run run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().lines().findFirst().orElse("").contains(expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void badDemoOptionsAreNamed() {
        assertOneLineError(run("demo", "--duration", "soon"), "'soon' is not a duration");
        assertOneLineError(run("demo", "--duration", "5s"), "--duration must be at least 20s");
        assertOneLineError(run("demo", "--trainer", "catboost"), "--trainer must be lightgbm or xgboost");
        assertOneLineError(run("demo", "--horizons", "5,0"), "--horizons must be between 1 and 240");
        assertOneLineError(run("demo", "--no-such-option"), "Unknown option: '--no-such-option'");
    }

    @Test
    void badRestoreBenchOptionsAreNamed() {
        assertOneLineError(run("bench", "restore", "--market-hours", "1,0"), "--market-hours must be distinct");
        assertOneLineError(run("bench", "restore", "--market-hours", "8,8"), "--market-hours must be distinct");
        assertOneLineError(run("bench", "restore", "--instruments", "1"), "--instruments must be between 2 and");
    }

    @Test
    void badChaosBenchOptionsAreNamed() {
        assertOneLineError(run("bench", "chaos", "--cycles", "0"), "--cycles must be between 1 and 100, got 0");
        assertOneLineError(run("bench", "chaos", "--market-hours", "1"), "--market-hours must be between 2 and 48");
        assertOneLineError(run("bench", "chaos", "--feed-seconds", "5"), "--feed-seconds must be between 10");
        assertOneLineError(run("bench", "chaos", "--instruments", "11"), "--instruments must be between 2 and");
    }

    @Test
    void badServiceConfigurationNamesTheKey() {
        assertOneLineError(run("stream", "--config", "/definitely/missing.properties"),
                "config file /definitely/missing.properties does not exist");
        assertOneLineError(run("trigger"), "missing required setting");
        assertOneLineError(run("ops", "explode", "--model", "liquidation-15m"), "'explode'");
        assertOneLineError(run("ops", "status"), "give --api URL");
        assertOneLineError(run("ops", "promote", "--model", "liquidation-15m"), "--version");
        assertOneLineError(run("stream", "--http-port", "70000"), "--http-port must be between 0 and 65535");
    }
}
