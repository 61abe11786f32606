package io.riptide.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad command-line and configuration input: one line naming the problem, exit code 2, no stack trace. */
class RiptideCliTest {

    private record Run(int exitCode, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = RiptideCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute(args);
        return new Run(code, err.toString());
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
    void badServiceConfigurationNamesTheKey() {
        assertOneLineError(run("stream", "--config", "/definitely/missing.properties"),
                "config file /definitely/missing.properties does not exist");
        assertOneLineError(run("trigger"), "missing required setting");
        assertOneLineError(run("ops", "explode", "--model", "liquidation-15m"), "unknown action 'explode'");
    }
}
