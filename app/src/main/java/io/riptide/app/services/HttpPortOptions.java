package io.riptide.app.services;

import picocli.CommandLine.Option;

/** {@code --http-port} of a service command, and its deprecated alias {@code --metrics-port}. */
public final class HttpPortOptions {
    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of /health/live, /health/ready and /metrics (and the trigger's ops API and console); 0 = off.")
    Integer httpPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", hidden = true, description = "Deprecated: --http-port.")
    Integer metricsPort;

    /** The port to serve on, {@code defaultPort} when neither option is given. */
    int port(int defaultPort) {
        if (metricsPort != null) {
            System.err.println("riptide: --metrics-port is deprecated; use --http-port (it also serves /health)");
            if (httpPort == null) {
                return check(metricsPort, "--metrics-port");
            }
        }
        return httpPort == null ? defaultPort : check(httpPort, "--http-port");
    }

    private static int check(int port, String option) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + port);
        }
        return port;
    }
}
