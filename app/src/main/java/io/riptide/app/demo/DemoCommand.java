package io.riptide.app.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code riptide demo}: the whole loop in one JVM on an embedded Kafka, PostgreSQL and schema registry. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole loop in one JVM on embedded Kafka, PostgreSQL and schema registry.",
                "Simulated market -> features -> predictions -> outcomes -> retraining -> hot swap;",
                "writes summary.json and report.html to --out. Exits 1 when no model version was swapped in."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
            description = "Wall-clock run time, e.g. 90s, 2m, 5m (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "riptide-out", description = "Output directory (default ./${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--speed", defaultValue = "240",
            description = "Simulated seconds per wall-clock second (default ${DEFAULT-VALUE}: 2 minutes run 8 market hours).")
    int speed;

    @Option(names = "--horizons", defaultValue = "5,15,30,60", split = ",",
            description = "Liquidation-risk horizons in minutes (default ${DEFAULT-VALUE}).")
    List<Integer> horizons;

    @Option(names = "--trainer", defaultValue = "lightgbm", description = "lightgbm or xgboost (default ${DEFAULT-VALUE}).")
    String trainer;

    @Option(names = "--quiet", description = "No progress lines, only the summary.")
    boolean quiet;

    @Option(names = "--verbose", description = "Also show the services' own log lines (swaps, jobs, gates).")
    boolean verbose;

    @Option(names = "--ops-port", defaultValue = "0", paramLabel = "PORT",
            description = {"Serve the ops API, the web console, /health and /metrics on this port while the demo runs",
                    "(0 = off). The token is $RIPTIDE_OPS_TOKEN (every role), else one is generated and printed."})
    int opsPort;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            // before any logger exists: the demo's progress lines say what matters
            System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        }
        if (duration.toSeconds() < 20) {
            throw new IllegalArgumentException("--duration must be at least 20s, got " + duration.toSeconds() + "s");
        }
        if (speed < 1 || speed > 3600) {
            throw new IllegalArgumentException("--speed must be between 1 and 3600, got " + speed);
        }
        for (int h : horizons) {
            if (h < 1 || h > 240) {
                throw new IllegalArgumentException("--horizons must be between 1 and 240 minutes, got " + h);
            }
        }
        if (!trainer.equals("lightgbm") && !trainer.equals("xgboost")) {
            throw new IllegalArgumentException("--trainer must be lightgbm or xgboost, got '" + trainer + "'");
        }
        if (opsPort < 0 || opsPort > 65_535) {
            throw new IllegalArgumentException("--ops-port must be between 0 and 65535, got " + opsPort);
        }
        DemoOptions options = new DemoOptions(duration, seed, out, speed, List.copyOf(horizons), trainer, quiet,
                opsPort);
        DemoSummary summary;
        try {
            summary = new DemoRun(options, System.out).run();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("riptide demo needs the embedded runtime (in-process Kafka, PostgreSQL), "
                    + "which this build leaves out (the runtime image): run it from a source checkout with ./riptide demo");
        }
        return summary.swaps().isEmpty() ? 1 : 0;
    }

    /** Accepts {@code 90}, {@code 90s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT2M}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase();
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                char unit = v.charAt(v.length() - 1);
                String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
                long n = Long.parseLong(digits);
                return switch (unit) {
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 's' -> Duration.ofSeconds(n);
                    default -> {
                        if (!Character.isDigit(unit)) {
                            throw new NumberFormatException();
                        }
                        yield Duration.ofSeconds(n);
                    }
                };
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration (examples: 90s, 2m, 1h)");
            }
        }
    }
}
