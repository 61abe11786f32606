package io.riptide.app.backtest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code riptide bench stream}: the stream's capacity on the embedded broker, beside a trivial copy app with the
 * same streams properties, in one run. It lives with the backtest because it drives the same simulated market.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Write a simulated market to the embedded broker, then consume it from the backlog with a",
                "trivial copy app, the real topology under exactly_once_v2 and under at_least_once; then feed a",
                "fresh exactly-once stream live at fixed rates and time each bar from the send of the record that",
                "closes it to the first read_committed read of its prediction. The last line is",
                "RESULT topology_eps=.. passthrough_eps=.. ratio=.. alo_eps=.. cpu_us_per_event=..",
                "changelog_bytes_per_event=.. p50_ms_1k=.. p99_ms_1k=.. max_sustained_eps=.."})
public final class StreamBenchCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "400000",
            description = "Simulated market events in the backlog (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--instruments", defaultValue = "3",
            description = "Simulated instruments, 2 to 10 (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "1",
            description = "stream.num.threads of every application (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rates", defaultValue = "1000,3000,10000,20000", split = ",", paramLabel = "EVENTS_PER_S",
            description = "Live input rates of the latency phase, lowest first (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--rate-seconds", defaultValue = "30",
            description = "Seconds of live input per rate (default ${DEFAULT-VALUE}).")
    int rateSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "15",
            description = "Seconds of live input at the first rate before any is timed (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--quiet", description = "No progress lines or tables, only the RESULT line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.riptide.topology.internal", "error");
        if (events < 1_000 || events > 5_000_000) {
            throw new IllegalArgumentException("--events must be between 1000 and 5000000, got " + events);
        }
        BacktestOptions.checkSimulatedInstruments(instruments);
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("--threads must be between 1 and 16, got " + threads);
        }
        for (int i = 0; i < rates.size(); i++) {
            if (rates.get(i) < 10 || rates.get(i) > 1_000_000 || (i > 0 && rates.get(i) <= rates.get(i - 1))) {
                throw new IllegalArgumentException("--rates must rise, each between 10 and 1000000 events/s, got "
                        + rates);
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("--rates needs at least one rate");
        }
        if (rateSeconds < 1 || rateSeconds > 600) {
            throw new IllegalArgumentException("--rate-seconds must be between 1 and 600, got " + rateSeconds);
        }
        if (warmupSeconds < 0 || warmupSeconds > 600) {
            throw new IllegalArgumentException("--warmup-seconds must be between 0 and 600, got " + warmupSeconds);
        }
        StreamBenchRun.Result result = new StreamBenchRun(new StreamBenchRun.Options(events, instruments, seed,
                threads, List.copyOf(rates), rateSeconds, warmupSeconds, quiet), System.out).run();
        if (!quiet) {
            printTables(result);
        }
        System.out.println(result.resultLine());
        return 0;
    }

    private static void printTables(StreamBenchRun.Result r) {
        System.out.println();
        System.out.printf("%-14s %-16s %12s %12s %10s %14s %14s %10s%n", "backlog", "guarantee", "events/s",
                "records/s", "CPU us/ev", "changelog B/ev", "samples B/ev", "seconds");
        for (StreamBenchRun.Throughput t : r.backlog()) {
            System.out.printf(Locale.ROOT, "%-14s %-16s %,12.0f %,12.0f %10.1f %14.1f %14.1f %10.1f%n", t.name(),
                    t.guarantee(), t.eventsPerSecond(), t.recordsPerSecond(), t.cpuMicrosPerEvent(),
                    t.changelogBytesPerEvent(), t.sampleBytesPerEvent(), t.seconds());
        }
        System.out.println();
        System.out.printf("%-14s %-34s %14s %14s%n", "backlog", "changelog of store", "bytes", "bytes/event");
        for (StreamBenchRun.Throughput t : r.backlog()) {
            t.changelogBytesByStore().forEach((store, bytes) -> System.out.printf(Locale.ROOT,
                    "%-14s %-34s %,14d %14.1f%n", t.name(), store, bytes, (double) bytes / t.events()));
        }
        System.out.println();
        System.out.printf("%-10s %10s %6s %6s %8s %8s %8s  %s%n", "live rate", "sent/s", "bars", "read", "p50 ms",
                "p99 ms", "max ms", "sustained");
        for (StreamBenchRun.Latency l : r.latency()) {
            System.out.printf(Locale.ROOT, "%,10d %,10.0f %6d %6d %8.0f %8.0f %8.0f  %s%n", l.rate(),
                    l.sentPerSecond(), l.bars(), l.read(), l.p50Ms(), l.p99Ms(), l.maxMs(),
                    l.sustained() ? "yes" : "no" + (l.drained() ? "" : " (never caught up)"));
        }
        System.out.printf(Locale.ROOT, "%nsustained: every bar read, p99 <= %.0f ms, the backlog drained after the "
                + "window, and at least 95%% of the rate sent%n", StreamBenchRun.SUSTAINED_P99_MS);
    }
}
