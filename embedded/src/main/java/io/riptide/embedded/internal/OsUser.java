package io.riptide.embedded.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The OS user child processes run as: this JVM's own user, or an unprivileged one a root JVM switches to. */
record OsUser(String name, int uid, int gid) {
    private static final Logger LOG = LoggerFactory.getLogger(OsUser.class);
    private static final String FALLBACK_USER = "riptide-pg";
    private static final int CURRENT = -1;

    /** True when this JVM runs as root (uid 0). */
    static boolean runningAsRoot() {
        try {
            return exec(List.of("id", "-u")).equals("0");
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** This JVM's own user: commands run as they are. */
    static OsUser current() {
        return new OsUser(System.getProperty("user.name"), CURRENT, CURRENT);
    }

    boolean isCurrent() {
        return uid == CURRENT;
    }

    /** {@code nobody} if it exists, else {@code riptide-pg}, created on the spot. */
    static OsUser unprivileged() {
        OsUser nobody = lookup("nobody");
        if (nobody != null) {
            return nobody;
        }
        OsUser existing = lookup(FALLBACK_USER);
        if (existing != null) {
            return existing;
        }
        LOG.info("Running as root and no 'nobody' user: creating system user '{}' to run PostgreSQL", FALLBACK_USER);
        try {
            exec(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and creating OS user '" + FALLBACK_USER
                    + "' failed: " + e.getMessage() + "; run as a normal user instead", e);
        }
        OsUser created = lookup(FALLBACK_USER);
        if (created == null) {
            throw new IllegalStateException("created OS user '" + FALLBACK_USER + "' but cannot look it up");
        }
        return created;
    }

    private static OsUser lookup(String name) {
        try {
            int uid = Integer.parseInt(exec(List.of("id", "-u", name)));
            int gid = Integer.parseInt(exec(List.of("id", "-g", name)));
            return new OsUser(name, uid, gid);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Starts {@code command} as this user, stdout and stderr appended to {@code log}. */
    Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(asUser(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        return builder.start();
    }

    /** Runs {@code command} as this user to completion; a non-zero exit is an IOException quoting the log. */
    void run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = start(command, log);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(Path.of(command.get(0)).getFileName() + " did not finish within " + timeoutSeconds
                    + " s: " + LocalPostgres.tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " exited with code " + process.exitValue()
                    + ": " + LocalPostgres.tail(log));
        }
    }

    private List<String> asUser(List<String> command) {
        if (isCurrent()) {
            return command;
        }
        List<String> full = new ArrayList<>();
        if (onPath("setpriv")) {
            // setpriv execs in place, so the Process we hold is postgres itself (signals reach it directly)
            full.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        } else if (onPath("runuser")) {
            full.addAll(List.of("runuser", "-u", name, "--"));
        } else {
            throw new IllegalStateException("running as root but neither setpriv nor runuser is available to start "
                    + "PostgreSQL as user " + name + "; run as a normal user instead");
        }
        full.addAll(command);
        return full;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String exec(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }
}
