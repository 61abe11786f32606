package io.riptide.app.backtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Riptide service ({@code riptide stream}, {@code riptide trigger}) run as its own process of this JVM's classpath,
 * configured by {@code RIPTIDE_*} variables only, with its HTTP port and its log: what the bench commands start,
 * kill and restart the way a supervisor would.
 */
final class ChildService {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String description;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startNanos;

    private ChildService(String description, Process process, int port, Path log, long startNanos) {
        this.description = description;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** Starts {@code riptide <service> --http-port <free port>} with exactly these {@code RIPTIDE_*} variables. */
    static ChildService start(String service, String description, Map<String, String> riptideEnv, Path log)
            throws IOException {
        int port = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), "io.riptide.app.RiptideCli", service,
                "--http-port", Integer.toString(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("RIPTIDE_"));
        env.putAll(riptideEnv);
        env.put("RIPTIDE_HTTP_BIND_ADDRESS", "127.0.0.1");
        long started = System.nanoTime();
        return new ChildService(description, builder.start(), port, log, started);
    }

    Path log() {
        return log;
    }

    long startNanos() {
        return startNanos;
    }

    /** Throws, with the end of the log, if the process has exited. */
    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(description + " exited with code " + process.exitValue()
                    + "; the end of its log (" + log + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    /** SIGKILL if still running: what a bench does with its processes when it ends or fails. */
    void destroyIfAlive() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and a clean close; SIGKILL and an exception if it takes longer than a minute. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(description + " did not stop within 60 s of SIGTERM; its log: " + log);
        }
    }

    /** Waits for {@code /health/ready} to answer 200; returns the seconds since the process started. */
    double awaitReady(Duration timeout) throws Exception {
        long deadline = startNanos + timeout.toNanos();
        while (get("/health/ready").status() != 200) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(description + " was not ready within " + timeout + "; its log: "
                        + log);
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The process's {@code /metrics}, untagged samples by name. */
    Map<String, Double> metrics() throws InterruptedException {
        return metrics(get("/metrics").body());
    }

    /** Untagged samples of a Prometheus text page, by name. */
    static Map<String, Double> metrics(String page) {
        Map<String, Double> values = new HashMap<>();
        for (String line : page.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith("#") || space < 0 || line.contains("{")) {
                continue;
            }
            try {
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // not a sample
            }
        }
        return values;
    }

    record Answer(int status, String body) {
    }

    /** The answer, or status 0 while the process does not listen yet. */
    Answer get(String path) throws InterruptedException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, "");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
