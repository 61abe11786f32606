package io.riptide.app;

import io.riptide.schemas.config.ConfigException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Bad input gets one line naming the problem, never a stack trace. Unexpected failures print one line too;
 * {@code RIPTIDE_DEBUG=1} adds the stack trace.
 */
public final class CliErrors {
    public static final int USAGE = 2;
    public static final int FAILURE = 1;

    private CliErrors() {
    }

    static int onBadParameters(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("riptide: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE;
    }

    static int onFailure(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        boolean badInput = e instanceof ConfigException || e instanceof IllegalArgumentException;
        err.println("riptide: " + (badInput ? "" : "failed: ") + message(e));
        if ("1".equals(System.getenv("RIPTIDE_DEBUG"))) {
            e.printStackTrace(err);
        }
        return badInput ? USAGE : FAILURE;
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
