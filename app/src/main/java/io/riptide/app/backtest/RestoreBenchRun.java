package io.riptide.app.backtest;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.topology.StreamConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Restore times of the stream's state, RocksDB against in-memory stores, each as its own {@code riptide stream}
 * process on one embedded runtime. Per market length: a simulated market of that many hours is written once; then
 * for each store type a fresh application consumes all of it and is killed with SIGKILL right after it caught up,
 * restarted (timed), stopped with SIGTERM, and restarted again (timed). A restart is timed from the process start to
 * its first {@code /health/ready}, which waits for every store to finish restoring, and its own {@code /metrics}
 * say how many changelog records it restored and for how long.
 */
final class RestoreBenchRun {
    static final List<String> STORES = List.of(StreamConfig.State.ROCKSDB, StreamConfig.State.IN_MEMORY);
    static final List<String> STOPS = List.of("kill", "clean");
    static final List<String> MEMBERSHIPS = List.of("dynamic", "static");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final long NO_PROGRESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(180);

    record Options(List<Integer> marketHours, int instruments, long seed, boolean quiet) {
    }

    /** One timed restart. */
    record Restart(int marketHours, String stores, String membership, String stop, double readySeconds,
                   double restoreSeconds, long restoredRecords, long stateDirBytes) {
        String key() {
            return (stores.equals(StreamConfig.State.ROCKSDB) ? "rocksdb" : "memory") + "_" + membership + "_" + stop
                    + "_" + marketHours + "h";
        }
    }

    /** One application's first pass over its market. */
    record Build(int marketHours, String stores, String membership, long events, long records, double seconds,
                 long changelogBytes) {
    }

    record Result(List<Build> builds, List<Restart> restarts, double wallSeconds) {
        String resultLine() {
            StringBuilder line = new StringBuilder("RESULT");
            for (Restart r : restarts) {
                line.append(String.format(Locale.ROOT, " %s_restore_s=%.1f %s_ready_s=%.1f %s_restored=%d",
                        r.key(), r.restoreSeconds(), r.key(), r.readySeconds(), r.key(), r.restoredRecords()));
            }
            return line.append(String.format(Locale.ROOT, " wall_s=%.1f", wallSeconds)).toString();
        }
    }

    private final Options options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final String signingSecret = ModelSigning.newSecret();
    private final Path workDir;

    RestoreBenchRun(Options options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.workDir = Files.createTempDirectory("riptide-bench-restore-");
    }

    Result run() throws Exception {
        List<Topic<?>> topics = new ArrayList<>();
        for (int hours : options.marketHours()) {
            topics.addAll(namespace(hours).all());
        }
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry ...");
        List<Build> builds = new ArrayList<>();
        List<Restart> restarts = new ArrayList<>();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(topics));
             Admin admin = clients(runtime, namespace(options.marketHours().get(0))).admin("bench-restore-admin")) {
            for (int hours : options.marketHours()) {
                TopicNamespace ns = namespace(hours);
                long events = writeMarket(runtime, ns, hours);
                Map<TopicPartition, Long> ends = ApplicationProgress.endOffsets(admin, ns);
                long records = ends.values().stream().mapToLong(Long::longValue).sum();
                say(String.format("%d market hours: %,d events, %,d records with the heartbeats", hours, events,
                        records));
                for (String stores : STORES) {
                    for (String membership : MEMBERSHIPS) {
                        String app = "bench-restore-" + hours + "h-" + stores + "-" + membership;
                        Launch launch = new Launch(ns, app, stores, membership.equals("static"),
                                Files.createDirectories(workDir.resolve(app)));
                        measure(runtime, admin, launch, hours, events, ends, builds, restarts);
                    }
                }
            }
        }
        return new Result(builds, restarts, (System.nanoTime() - startNanos) / 1e9);
    }

    /** One application: its first pass over the market, then a restart after SIGKILL and one after SIGTERM. */
    private void measure(EmbeddedRuntime runtime, Admin admin, Launch launch, int hours, long events,
                         Map<TopicPartition, Long> ends, List<Build> builds, List<Restart> restarts) throws Exception {
        String app = launch.applicationId();
        Path stateDir = launch.stateDir();
        String membership = launch.staticMember() ? "static" : "dynamic";
        long records = ends.values().stream().mapToLong(Long::longValue).sum();
        ChildService stream = start(runtime, launch);
        long t0 = System.nanoTime();
        awaitCaughtUp(admin, app, ends, records, stream);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long changelog = changelogBytes(admin, app);
        builds.add(new Build(hours, launch.stores(), membership, events, records, seconds, changelog));
        say(String.format(Locale.ROOT, "%s: consumed in %.1f s, JVM start included; changelogs %,d bytes", app,
                seconds, changelog));
        for (String stop : STOPS) {
            long stateBytes = stop(stream, stop, stateDir);
            stream = start(runtime, launch);
            Restart r = awaitReady(stream, hours, launch.stores(), membership, stop, stateBytes);
            restarts.add(r);
            say(String.format(Locale.ROOT, "%s after %s: ready in %.1f s, restored %,d records in %.1f s (state "
                            + "directory before the restart: %,d bytes)", app, stop.equals("kill") ? "SIGKILL"
                            : "SIGTERM", r.readySeconds(), r.restoredRecords(), r.restoreSeconds(), stateBytes));
        }
        stop(stream, "clean", stateDir);
    }

    private static TopicNamespace namespace(int hours) {
        return TopicNamespace.of("restore-" + hours + "h.");
    }

    /** The first {@code hours} of the simulated market, with the feed's heartbeats; returns the market events. */
    private long writeMarket(EmbeddedRuntime runtime, TopicNamespace topics, int hours) throws Exception {
        BacktestSource source = BacktestSource.of(BacktestOptions.simulatedMarket(options.seed(),
                options.instruments(), 1, options.quiet()));
        say(String.format("writing %d simulated market hours (%d instruments) to the %s market topics ...", hours,
                options.instruments(), topics.prefix()));
        try (KafkaProducer<String, SpecificRecord> producer = clients(runtime, topics).producer("bench-restore-feed",
                null);
             KafkaMarketEventSink sink = new KafkaMarketEventSink(producer, topics)) {
            FanOutSink counter = new FanOutSink(List.of(sink));
            Heartbeats feed = Heartbeats.exact(counter, source.inputs());
            long end = source.startMs() + hours * 3_600_000L;
            for (long t = source.startMs() + 60_000; t <= end; t += 60_000) {
                source.deliverBefore(t, feed);
            }
            feed.finish(end);
            sink.flush();
            return counter.events();
        }
    }

    /** What a stream process of one measurement runs with, every time it is started. */
    private record Launch(TopicNamespace topics, String applicationId, String stores, boolean staticMember,
                          Path stateDir) {
    }

    private ChildService start(EmbeddedRuntime runtime, Launch launch) throws IOException {
        Path log = workDir.resolve(launch.applicationId() + "-" + System.nanoTime() + ".log");
        Map<String, String> env = new HashMap<>(Map.of("RIPTIDE_KAFKA_BOOTSTRAP_SERVERS", runtime.bootstrapServers(),
                "RIPTIDE_SCHEMA_REGISTRY_URL", runtime.schemaRegistryUrl(),
                "RIPTIDE_KAFKA_TOPIC_PREFIX", launch.topics().prefix(),
                "RIPTIDE_STREAM_APPLICATION_ID", launch.applicationId(),
                "RIPTIDE_STREAM_STATE_DIR", launch.stateDir().toString(),
                "RIPTIDE_STREAM_STATE_STORES", launch.stores(),
                "RIPTIDE_STREAM_LABEL_LIQUIDATION_THRESHOLD",
                Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD),
                "RIPTIDE_MODELS_SIGNING_SECRET", signingSecret));
        if (launch.staticMember()) {
            env.put("RIPTIDE_STREAM_GROUP_INSTANCE_ID", launch.applicationId() + "-0");
        }
        return ChildService.start("stream", "the stream " + launch.applicationId(), env, log);
    }

    private void awaitCaughtUp(Admin admin, String applicationId, Map<TopicPartition, Long> ends, long records,
                               ChildService stream) throws Exception {
        long lastProgress = System.nanoTime();
        long lastDone = -1;
        long nextSay = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long done = ApplicationProgress.committed(admin, applicationId, ends);
            long now = System.nanoTime();
            if (done >= records) {
                return;
            }
            stream.requireAlive();
            if (done > lastDone) {
                lastDone = done;
                lastProgress = now;
            } else if (now - lastProgress > NO_PROGRESS_TIMEOUT_NS) {
                throw new IllegalStateException(applicationId + " made no progress for 180 s at " + done + " of "
                        + records + " records; its log: " + stream.log());
            }
            if (now >= nextSay) {
                say(String.format("%s: %,d of %,d records", applicationId, done, records));
                nextSay = now + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(50);
        }
    }

    /** Stops the process (SIGKILL for "kill", SIGTERM and a clean close otherwise); the state directory's size. */
    private static long stop(ChildService stream, String how, Path stateDir) throws Exception {
        if (how.equals("kill")) {
            stream.kill();
        } else {
            stream.stop();
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed while we walked
                }
            }).sum();
        }
    }

    private static Restart awaitReady(ChildService stream, int hours, String stores, String membership, String stop,
                                      long stateBytes) throws Exception {
        double ready = stream.awaitReady(READY_TIMEOUT);
        Map<String, Double> metrics = stream.metrics();
        return new Restart(hours, stores, membership, stop, ready, metrics.getOrDefault("riptide_stream_restore_seconds", 0.0),
                Math.round(metrics.getOrDefault("riptide_stream_restore_records_total", 0.0)), stateBytes);
    }

    private static long changelogBytes(Admin admin, String applicationId) throws Exception {
        return ApplicationProgress.changelogBytesByStore(admin, applicationId).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    private static KafkaClientFactory clients(EmbeddedRuntime runtime, TopicNamespace topics) {
        return new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of(), topics));
    }

    private void say(String line) {
        if (!options.quiet()) {
            out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
        }
    }
}
