package io.riptide.app.feed;

import io.riptide.feed.EventTimeSorter;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.MarketEventSink;
import io.riptide.feed.binance.BinanceConnector;
import io.riptide.feed.binance.BinanceConnectorConfig;
import io.riptide.feed.binance.BinanceMarket;
import io.riptide.feed.replay.BookCsvDumper;
import io.riptide.feed.replay.CaptureReplay;
import io.riptide.feed.replay.ContractSizes;
import io.riptide.feed.replay.KlineCsvReplay;
import io.riptide.feed.replay.LiquidationCsvReplay;
import io.riptide.feed.replay.MalformedLines;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code riptide feed simulate | replay | binance}: market data into Kafka (Trade, BookSnapshot, Liquidation, Bar
 * records keyed by instrument, at exchange time). Bad paths, symbols or endpoints end with one line on stderr and
 * exit code 2.
 */
@Command(name = "feed", mixinStandardHelpOptions = true,
        description = "Market data into Kafka: a simulator, recorded data, or Binance live.",
        subcommands = {FeedCommand.Simulate.class, FeedCommand.Replay.class, FeedCommand.Binance.class})
public final class FeedCommand implements Callable<Integer> {
    /** How far a live exchange's streams may deliver out of event-time order; heartbeats lag by this much. */
    static final long LIVE_SKEW_MS = 2_000;


    /** Exit code for bad input (paths, symbols, endpoints, options). */
    public static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    /** Runs a subcommand body, turning expected failures into one line on stderr and exit code 2. */
    static int guarded(CommandSpec spec, Body body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException
                 | BinanceConnector.BinanceException | org.apache.kafka.common.KafkaException e) {
            err.println("riptide " + spec.qualifiedName().replaceFirst("^.*?feed", "feed") + ": error: "
                    + oneLine(e.getMessage()));
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("riptide " + spec.qualifiedName().replaceFirst("^.*?feed", "feed") + ": error: cannot read "
                    + oneLine(e.getMessage()));
            return BAD_INPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("riptide feed: interrupted");
            return 130;
        } finally {
            err.flush();
        }
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ");
    }

    @FunctionalInterface
    interface Body {
        int run() throws IOException, InterruptedException;
    }

    /** Closes the Kafka sink, letting send failures surface as the command's error. */
    private static void finish(KafkaMarketEventSink kafka) {
        if (kafka != null) {
            kafka.close();
        }
    }

    static long parseDurationMs(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT)).toMillis();
            }
            long factor;
            if (t.endsWith("ms")) {
                factor = 1;
                t = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                factor = 1_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                factor = 60_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                factor = 3_600_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("d")) {
                factor = 86_400_000;
                t = t.substring(0, t.length() - 1);
            } else {
                throw new NumberFormatException();
            }
            long value = Math.round(Double.parseDouble(t) * factor);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration (e.g. 90s, 15m, 8h, PT2H)");
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Run the seeded market simulator (regimes, Hawkes trades, liquidation cascades).")
    static final class Simulate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        KafkaTarget kafka;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (same seed, same market)")
        long seed;

        @Option(names = "--start", description = "Event time of the first instant: ISO-8601 instant or epoch ms "
                + "(default: far enough back, to the minute, that the market ends about now at this --speed)")
        String start;

        @Option(names = "--duration", defaultValue = "1h", description = "Simulated time to produce (default: 1h)")
        String duration;

        @Option(names = "--speed", defaultValue = "0",
                description = "0 = as fast as possible (default), N = N times real time")
        double speed;

        @Option(names = "--instruments", split = ",", description = "Instrument ids (default: SIM:BTCUSDT,SIM:ETHUSDT,SIM:SOLUSDT)")
        List<String> instruments;

        @Option(names = "--book-interval", defaultValue = "2s", description = "Book snapshot cadence (default: 2s)")
        String bookInterval;

        @Option(names = "--regime-shift-after", description = "Script a structural shift this long after the start")
        String regimeShiftAfter;

        @Override
        public Integer call() {
            return guarded(spec, this::simulate);
        }

        private int simulate() throws InterruptedException {
            if (!(speed >= 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("--speed must be 0 or a positive factor, was " + speed);
            }
            long durationMs = parseDurationMs(duration, "--duration");
            long startMs = parseStart(durationMs);
            SimulatorConfig config = SimulatorConfig.defaults(seed, startMs)
                    .withBookIntervalMs(parseDurationMs(bookInterval, "--book-interval"));
            if (instruments != null && !instruments.isEmpty()) {
                config = config.withInstruments(instruments);
            }
            if (regimeShiftAfter != null) {
                config = config.withRegimeShiftAt(startMs + parseDurationMs(regimeShiftAfter, "--regime-shift-after"));
            }
            PrintWriter out = spec.commandLine().getOut();
            KafkaMarketEventSink target = kafka.open("riptide-feed-simulate");
            CountingSink sink = new CountingSink(target);
            Heartbeats feed = Heartbeats.exact(sink, Heartbeats.TRADE_INPUTS);
            try {
                MarketSimulator simulator = new MarketSimulator(config);
                long endMs = startMs + durationMs;
                long wallStart = System.nanoTime();
                long nextProgress = wallStart + 5_000_000_000L;
                out.printf("simulating %s from %s for %s (seed %d)%n", config.instruments(), Instant.ofEpochMilli(startMs),
                        Duration.ofMillis(durationMs), seed);
                out.flush();
                for (long t = startMs; t < endMs; ) {
                    t = Math.min(endMs, t + 1_000);
                    simulator.runUntil(t, feed);
                    if (speed > 0) {
                        long dueNanos = wallStart + (long) ((t - startMs) * 1_000_000 / speed);
                        long wait = dueNanos - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    if (System.nanoTime() >= nextProgress) {
                        out.printf("  %s simulated, %s%n", Duration.ofMillis(t - startMs), sink.counts());
                        out.flush();
                        nextProgress = System.nanoTime() + 5_000_000_000L;
                    }
                }
                feed.finish(endMs);
            } finally {
                finish(target);
            }
            out.printf("done: %s%s%n", sink.counts(), kafka.dryRun ? " (dry run, nothing sent)" : " sent to Kafka");
            return 0;
        }

        /**
         * By default the market ends about now: a run faster than real time starts far enough back that its event
         * time never passes the wall clock, which the stream would refuse (stream.input.max.future.ms).
         */
        private long parseStart(long durationMs) {
            if (start == null) {
                double ahead = speed == 0 ? 1 : Math.max(0, 1 - 1 / speed);
                long first = System.currentTimeMillis() - Math.round(durationMs * ahead);
                return Math.floorDiv(first, 60_000L) * 60_000L;
            }
            try {
                return start.matches("\\d+") ? Long.parseLong(start) : Instant.parse(start).toEpochMilli();
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new IllegalArgumentException("--start '" + start + "' is neither an ISO-8601 instant nor epoch ms");
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay recorded data: Binance captures, kline CSVs (as bars), liquidation CSVs.")
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        KafkaTarget kafka;

        @Option(names = "--capture", paramLabel = "PATH", description = "Binance websocket capture file or folder (repeatable)")
        List<Path> captures = new ArrayList<>();

        @Option(names = "--klines", paramLabel = "CSV", description = "Kline CSV open_time_ms,open,high,low,close,volume (repeatable)")
        List<Path> klines = new ArrayList<>();

        @Option(names = "--liquidations", paramLabel = "CSV", description = "Liquidation CSV timestamp,timestamp_ms,venue,coin,side,size_usd,price (repeatable)")
        List<Path> liquidations = new ArrayList<>();

        @Option(names = "--symbol", description = "Only this symbol of the capture, e.g. BTCUSDT")
        String symbol;

        @Option(names = "--instrument", description = "Instrument id for kline files (default: BINANCE:<symbol from file name>)")
        String instrument;

        @Option(names = "--contract-size", paramLabel = "VENUE:COIN=SIZE",
                description = "Extra contract size, e.g. okx:HYPE=0.1 (repeatable); built in: okx BTC 0.01, ETH 0.1, SOL 1, DOGE 1000")
        List<String> contractSizes = new ArrayList<>();

        @Option(names = "--speed", defaultValue = "0", description = "0 = as fast as possible (default), N = N times real time")
        double speed;

        @Option(names = "--book-depth", defaultValue = "20", description = "Levels per side in BookSnapshots (1..20)")
        int bookDepth;

        @Option(names = "--book-interval", defaultValue = "1s", description = "BookSnapshot cadence in event time; 0 = every diff")
        String bookInterval;

        @Option(names = "--dump-books", paramLabel = "FILE.csv", description = "Write every rebuilt book (one capture book only)")
        Path dumpBooks;

        @Override
        public Integer call() {
            return guarded(spec, this::replay);
        }

        private int replay() throws IOException, InterruptedException {
            if (captures.isEmpty() && klines.isEmpty() && liquidations.isEmpty()) {
                throw new IllegalArgumentException("nothing to replay: give --capture, --klines or --liquidations");
            }
            if (dumpBooks != null && captures.isEmpty()) {
                throw new IllegalArgumentException("--dump-books needs a --capture to rebuild books from");
            }
            ContractSizes sizes = ContractSizes.defaults();
            for (String spec : contractSizes) {
                sizes = sizes.withSpec(spec);
            }
            long intervalMs = parseDurationMs(bookInterval, "--book-interval");
            // constructing every source first rejects bad paths before anything is sent
            List<KlineCsvReplay> klineReplays = new ArrayList<>();
            for (Path p : klines) {
                klineReplays.add(new KlineCsvReplay(p, instrument, 0)); // paced when sent, merged, below
            }
            List<LiquidationCsvReplay> liquidationReplays = new ArrayList<>();
            for (Path p : liquidations) {
                liquidationReplays.add(new LiquidationCsvReplay(p, sizes, 0));
            }
            for (Path p : captures) {
                if (!p.toFile().exists()) {
                    throw new IllegalArgumentException("capture path does not exist: " + p);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            KafkaMarketEventSink target = kafka.open("riptide-feed-replay");
            CountingSink sink = new CountingSink(target).reportingEvery(Duration.ofSeconds(10), line -> {
                out.println("  " + line);
                out.flush();
            });
            long malformedTotal = 0;
            try {
                if (!captures.isEmpty()) {
                    Heartbeats feed = Heartbeats.exact(sink, Heartbeats.TRADE_INPUTS);
                    try (BookCsvDumper dumper = dumpBooks == null ? null : new BookCsvDumper(dumpBooks)) {
                        CaptureReplay capture = new CaptureReplay(captures, symbol, bookDepth, intervalMs, speed, dumper);
                        capture.run(feed);
                        feed.finish();
                        out.printf("capture: %d lines%n", capture.lines());
                        capture.summaries().forEach(s -> out.println("  " + s));
                        capture.notes().forEach(n -> out.println("  note: " + n));
                        malformedTotal += report(out, "capture", capture.malformed());
                        if (dumper != null) {
                            out.printf("  %d book rows written to %s%n", dumper.rows(), dumpBooks);
                        }
                    }
                }
                // kline and liquidation files are read one after the other, then sent merged in event-time order
                EventTimeSorter sorted = new EventTimeSorter();
                for (KlineCsvReplay k : klineReplays) {
                    k.run(sorted);
                    out.printf("klines %s: %d bars%n", k.instrument(), k.emitted());
                    malformedTotal += report(out, "klines", k.malformed());
                }
                for (LiquidationCsvReplay l : liquidationReplays) {
                    l.run(sorted);
                    out.printf("liquidations: %d events%n", l.emitted());
                    malformedTotal += report(out, "liquidations", l.malformed());
                }
                if (sorted.size() > 0) {
                    long end = sorted.lastTimeMs() + 1;
                    Heartbeats feed = Heartbeats.exact(sink, klineReplays.isEmpty()
                            ? java.util.List.of(io.riptide.schemas.topics.Topics.LIQUIDATIONS) : Heartbeats.KLINE_INPUTS);
                    io.riptide.feed.replay.ReplayPacer pacer = new io.riptide.feed.replay.ReplayPacer(speed);
                    sorted.drainTo(feed, t -> {
                        try {
                            pacer.awaitEventTime(t);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted", e);
                        }
                    });
                    feed.finish(end);
                }
            } finally {
                finish(target);
            }
            out.printf("done: %s%s, %d malformed lines skipped%n", sink.counts(),
                    kafka.dryRun ? " (dry run, nothing sent)" : " sent to Kafka", malformedTotal);
            return 0;
        }

        private long report(PrintWriter out, String what, MalformedLines malformed) {
            if (malformed.count() > 0) {
                out.println("  " + what + ": " + malformed.count() + " malformed lines skipped; first:");
                malformed.samples().forEach(s -> out.println("    " + s));
            }
            return malformed.count();
        }
    }

    @Command(name = "binance", mixinStandardHelpOptions = true,
            description = "Stream live Binance spot or USD-M futures data (books rebuilt locally).")
    static final class Binance implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        KafkaTarget kafka;

        @Option(names = "--market", defaultValue = "spot", description = "spot or usdm (default: spot)")
        String market;

        @Option(names = "--symbols", split = ",", required = true, description = "e.g. BTCUSDT,ETHUSDT")
        List<String> symbols;

        @Option(names = "--ws-url", description = "Websocket base URL (default: Binance's for the market)")
        URI wsUrl;

        @Option(names = "--rest-url", description = "REST base URL (default: Binance's for the market)")
        URI restUrl;

        @Option(names = "--book-depth", defaultValue = "20", description = "Levels per side in BookSnapshots (1..20)")
        int bookDepth;

        @Option(names = "--book-interval", defaultValue = "1s", description = "BookSnapshot cadence in event time; 0 = every diff")
        String bookInterval;

        @Option(names = "--duration", description = "Stop after this long (default: run until interrupted)")
        String duration;

        @Option(names = "--max-failures", defaultValue = "5",
                description = "Give up after this many failed connects in a row; 0 = never (default: 5)")
        int maxFailures;

        @Override
        public Integer call() {
            return guarded(spec, this::stream);
        }

        private int stream() throws InterruptedException {
            BinanceMarket m = BinanceMarket.parse(market);
            BinanceConnectorConfig config = BinanceConnectorConfig.defaults(m, symbols)
                    .withEndpoints(wsUrl != null ? wsUrl : URI.create(m.defaultWebSocketBase()),
                            restUrl != null ? restUrl : URI.create(m.defaultRestBase()))
                    .withBook(bookDepth, parseDurationMs(bookInterval, "--book-interval"));
            config = config.withBackoff(config.initialBackoff(), config.maxBackoff(), maxFailures);
            long stopAfterMs = duration == null ? -1 : parseDurationMs(duration, "--duration");
            PrintWriter out = spec.commandLine().getOut();
            KafkaMarketEventSink target = kafka.open("riptide-feed-binance");
            CountingSink sink = new CountingSink(target);
            // exchange streams are only roughly in event-time order across a symbol's streams
            BinanceConnector connector = new BinanceConnector(config, new Heartbeats(sink, Heartbeats.TRADE_INPUTS,
                    Heartbeats.DEFAULT_INTERVAL_MS, LIVE_SKEW_MS));
            Thread stopper = null;
            if (stopAfterMs >= 0) {
                stopper = new Thread(() -> {
                    try {
                        Thread.sleep(stopAfterMs);
                        connector.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "feed-binance-timer");
                stopper.setDaemon(true);
                stopper.start();
            }
            out.printf("streaming %s %s from %s%n", m.name().toLowerCase(Locale.ROOT), config.symbols(),
                    config.streamUri());
            out.flush();
            try {
                connector.run(line -> {
                    out.println("  " + line);
                    out.flush();
                }, Duration.ofSeconds(10));
            } finally {
                if (stopper != null) {
                    stopper.interrupt();
                }
                finish(target);
            }
            out.println("done: " + sink.counts() + "; " + connector.status());
            return 0;
        }
    }

    /** For running the command alone: {@code java ... io.riptide.app.feed.FeedCommand simulate --dry-run}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new FeedCommand()).execute(args));
    }
}
