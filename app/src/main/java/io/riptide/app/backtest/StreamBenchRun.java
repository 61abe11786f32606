package io.riptide.app.backtest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicBootstrap;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import io.riptide.topology.StreamTopology;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The stream capacity bench on one embedded runtime. A simulated market is written once to the {@code bench.}
 * market topics; then, one after another, fresh applications consume that backlog: a trivial Kafka Streams app that
 * copies the market topics to one topic (the same streams properties as the stream's), the real topology under
 * exactly_once_v2, the real topology under at_least_once, and the copy app again (so that neither side alone has the
 * warmer broker). A first, uncounted pass of the copy app warms the broker and the client code for all of them. Each is timed from RUNNING until its committed offsets reach the end of the backlog, with the CPU
 * of its own threads (the broker runs in the same JVM and is not counted) and the bytes of its changelog topics.
 *
 * <p>Then the latency phase: a fresh exactly-once stream on the {@code bench-live.} topics, fed live at fixed rates.
 * A bar's latency runs from the send of the record that closes it ({@link PacedCloseClock}) to the first
 * read_committed read of one of its predictions.
 */
final class StreamBenchRun {
    static final TopicNamespace BACKLOG = TopicNamespace.of("bench.");
    static final TopicNamespace LIVE = TopicNamespace.of("bench-live.");
    static final String COPY_TOPIC = "bench.copy";
    /** A rate is sustained when every bar of its window is read within this long of its close, at p99. */
    static final double SUSTAINED_P99_MS = 1_000;
    private static final long NO_PROGRESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(180);

    record Options(int events, int instruments, long seed, int threads, List<Integer> rates, int rateSeconds,
                   int warmupSeconds, boolean quiet) {
    }

    /** One application's pass over the backlog. */
    record Throughput(String name, String guarantee, long events, long records, double seconds, double cpuSeconds,
                      Map<String, Long> changelogBytesByStore, long sampleBytes) {
        long changelogBytes() {
            return changelogBytesByStore.values().stream().mapToLong(Long::longValue).sum();
        }

        double eventsPerSecond() {
            return events / seconds;
        }

        double recordsPerSecond() {
            return records / seconds;
        }

        double cpuMicrosPerEvent() {
            return cpuSeconds * 1e6 / events;
        }

        double changelogBytesPerEvent() {
            return (double) changelogBytes() / events;
        }

        double sampleBytesPerEvent() {
            return (double) sampleBytes / events;
        }
    }

    /** One input rate of the latency phase. */
    record Latency(int rate, double sentPerSecond, int bars, int read, double p50Ms, double p99Ms, double maxMs,
                   boolean drained) {
        boolean sustained() {
            return bars > 0 && read == bars && p99Ms <= SUSTAINED_P99_MS && drained && sentPerSecond >= 0.95 * rate;
        }
    }

    record Result(List<Throughput> backlog, List<Latency> latency, long commitIntervalMs, int threads,
                  double wallSeconds) {
        Throughput topology() {
            return named("topology-eos");
        }

        Throughput alo() {
            return named("topology-alo");
        }

        /** The copy app's two passes, averaged by time. */
        double passthroughEventsPerSecond() {
            List<Throughput> copies = backlog.stream().filter(t -> t.name().startsWith("copy")).toList();
            double events = copies.stream().mapToDouble(Throughput::events).sum();
            return events / copies.stream().mapToDouble(Throughput::seconds).sum();
        }

        double passthroughCpuMicrosPerEvent() {
            List<Throughput> copies = backlog.stream().filter(t -> t.name().startsWith("copy")).toList();
            return copies.stream().mapToDouble(Throughput::cpuSeconds).sum() * 1e6
                    / copies.stream().mapToDouble(Throughput::events).sum();
        }

        private Throughput named(String name) {
            return backlog.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        }

        /** The highest rate sustained, with every lower rate sustained too; 0 when the lowest was not. */
        int maxSustainedEventsPerSecond() {
            int best = 0;
            for (Latency l : latency.stream().sorted(java.util.Comparator.comparingInt(Latency::rate)).toList()) {
                if (!l.sustained()) {
                    break;
                }
                best = l.rate();
            }
            return best;
        }

        String resultLine() {
            Throughput eos = topology();
            Latency at1k = latency.stream().filter(l -> l.rate() == 1_000).findFirst().orElse(null);
            return String.format(Locale.ROOT, "RESULT topology_eps=%.0f passthrough_eps=%.0f ratio=%.3f alo_eps=%.0f "
                            + "cpu_us_per_event=%.1f changelog_bytes_per_event=%.1f p50_ms_1k=%s p99_ms_1k=%s "
                            + "max_sustained_eps=%d max_ms_1k=%s passthrough_cpu_us_per_event=%.1f "
                            + "sample_bytes_per_event=%.1f commit_interval_ms=%d threads=%d events=%d records=%d "
                            + "wall_s=%.1f",
                    eos.eventsPerSecond(), passthroughEventsPerSecond(), eos.eventsPerSecond()
                            / passthroughEventsPerSecond(), alo().eventsPerSecond(), eos.cpuMicrosPerEvent(),
                    eos.changelogBytesPerEvent(), ms(at1k == null ? Double.NaN : at1k.p50Ms()),
                    ms(at1k == null ? Double.NaN : at1k.p99Ms()), maxSustainedEventsPerSecond(),
                    ms(at1k == null ? Double.NaN : at1k.maxMs()), passthroughCpuMicrosPerEvent(),
                    eos.sampleBytesPerEvent(), commitIntervalMs, threads, eos.events(), eos.records(), wallSeconds);
        }

        private static String ms(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
        }
    }

    /** A Kafka Streams application under test, however it is built. */
    private record App(String applicationId, String samplesTopic, Runnable start, Supplier<KafkaStreams.State> state,
                       Runnable close) {
    }

    private final Options options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final FeatureSet featureSet = FeatureSets.liquidation();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final String signingSecret = ModelSigning.newSecret();

    StreamBenchRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Result run() throws Exception {
        BacktestOptions market = BacktestOptions.simulatedMarket(options.seed(), options.instruments(), 1,
                options.quiet());
        List<Topic<?>> topics = new ArrayList<>(BACKLOG.all());
        topics.addAll(LIVE.all());
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry ...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(topics));
             Admin admin = clientsOf(runtime, BACKLOG).admin("bench-stream-admin")) {
            admin.createTopics(List.of(new NewTopic(COPY_TOPIC, Topics.TRADES.spec().partitions(), (short) 1))).all().get();
            TopicBootstrap.awaitLeadersServing(admin, List.of(COPY_TOPIC));
            long events = writeBacklog(runtime, market);
            Map<TopicPartition, Long> ends = ApplicationProgress.endOffsets(admin, BACKLOG);
            long records = ends.values().stream().mapToLong(Long::longValue).sum();
            say(String.format("backlog: %,d market events and %,d records with the heartbeats", events, records));
            // the first pass over the backlog warms the broker and the client code for all that follow; not counted
            measure(admin, copyApp(runtime, "bench-warmup"), "warm-up", "exactly_once_v2", events, ends);
            List<Throughput> backlog = new ArrayList<>();
            backlog.add(measure(admin, copyApp(runtime, "bench-copy-1"), "copy-1", "exactly_once_v2", events, ends));
            backlog.add(measure(admin, topologyApp(runtime, BACKLOG, "bench-eos", StreamsConfig.EXACTLY_ONCE_V2),
                    "topology-eos", "exactly_once_v2", events, ends));
            backlog.add(measure(admin, topologyApp(runtime, BACKLOG, "bench-alo", StreamsConfig.AT_LEAST_ONCE),
                    "topology-alo", "at_least_once", events, ends));
            backlog.add(measure(admin, copyApp(runtime, "bench-copy-2"), "copy-2", "exactly_once_v2", events, ends));
            List<Latency> latency = latency(runtime, admin, market);
            return new Result(backlog, latency, streamConfig(runtime, BACKLOG, "bench-eos").commitIntervalMs(),
                    options.threads(), (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /** The simulated market, from its start, until it has delivered the events asked for; returns how many. */
    private long writeBacklog(EmbeddedRuntime runtime, BacktestOptions market) throws Exception {
        BacktestSource source = BacktestSource.of(market);
        say(String.format("writing %,d simulated market events (%d instruments) to the %s market topics ...",
                options.events(), options.instruments(), BACKLOG.prefix()));
        try (KafkaProducer<String, SpecificRecord> producer = clientsOf(runtime, BACKLOG).producer("bench-backlog",
                null);
             KafkaMarketEventSink sink = new KafkaMarketEventSink(producer, BACKLOG)) {
            FanOutSink counter = new FanOutSink(List.of(sink));
            Heartbeats feed = Heartbeats.exact(counter, source.inputs());
            long t = source.startMs();
            while (counter.events() < options.events()) {
                t += 60_000;
                if (t > source.endMs()) {
                    throw new IllegalArgumentException("--events is more than " + market.marketHours()
                            + " simulated hours hold");
                }
                source.deliverBefore(t, feed);
            }
            feed.finish(t);
            sink.flush();
            return counter.events();
        }
    }

    private Throughput measure(Admin admin, App app, String name, String guarantee, long events,
                               Map<TopicPartition, Long> ends) throws Exception {
        say(name + " (" + guarantee + "): starting application " + app.applicationId() + " on the backlog ...");
        long records = ends.values().stream().mapToLong(Long::longValue).sum();
        app.start().run();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (app.state().get() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not RUNNING after 120 s (" + app.state().get() + ")");
                }
                Thread.sleep(10);
            }
            Map<Long, Long> cpuBefore = threadCpu(app.applicationId());
            long t0 = System.nanoTime();
            long lastProgress = t0;
            long lastDone = -1;
            long nextSay = t0 + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                long done = ApplicationProgress.committed(admin, app.applicationId(), ends);
                long now = System.nanoTime();
                if (done >= records) {
                    break;
                }
                if (done > lastDone) {
                    lastDone = done;
                    lastProgress = now;
                } else if (now - lastProgress > NO_PROGRESS_TIMEOUT_NS) {
                    throw new IllegalStateException(name + " made no progress for 180 s at " + done + " of "
                            + records + " records (state " + app.state().get() + ")");
                }
                if (now >= nextSay) {
                    say(String.format("%s: %,d of %,d records (%,.0f records/s)", name, done, records,
                            done / ((now - t0) / 1e9)));
                    nextSay = now + TimeUnit.SECONDS.toNanos(10);
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSince(cpuBefore, threadCpu(app.applicationId())) / 1e9;
            Map<String, Long> sizes = ApplicationProgress.topicBytes(admin);
            Map<String, Long> changelog = ApplicationProgress.changelogBytesByStore(admin, app.applicationId());
            long samples = app.samplesTopic() == null ? 0 : sizes.getOrDefault(app.samplesTopic(), 0L);
            Throughput t = new Throughput(name, guarantee, events, records, seconds, cpu, changelog, samples);
            say(String.format(Locale.ROOT, "%s: %,.0f events/s (%,.0f records/s), %.1f us CPU per event, %.1f "
                            + "changelog bytes per event, in %.1f s", name, t.eventsPerSecond(), t.recordsPerSecond(),
                    t.cpuMicrosPerEvent(), t.changelogBytesPerEvent(), seconds));
            return t;
        } finally {
            app.close().run();
        }
    }

    /** The latency phase: a fresh exactly-once stream fed live at each rate in turn, after a warm-up. */
    private List<Latency> latency(EmbeddedRuntime runtime, Admin admin, BacktestOptions market) throws Exception {
        BacktestSource source = BacktestSource.of(market);
        KafkaClientFactory clients = clientsOf(runtime, LIVE);
        App stream = topologyApp(runtime, LIVE, "bench-live", StreamsConfig.EXACTLY_ONCE_V2);
        Map<String, Long> firstRead = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(clients, firstRead, reading), "bench-stream-reader");
        List<Latency> results = new ArrayList<>();
        stream.start().run();
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("bench-live-feed", null);
             KafkaMarketEventSink sink = new KafkaMarketEventSink(producer, LIVE)) {
            reader.start();
            PacedCloseClock clock = new PacedCloseClock(sink, source.inputs());
            Heartbeats feed = Heartbeats.exact(clock, source.inputs());
            long[] marketTime = {source.startMs()};
            if (options.warmupSeconds() > 0) {
                say(String.format("latency: warming up at %,d events/s for %d s ...", options.rates().get(0),
                        options.warmupSeconds()));
                feedFor(source, feed, clock, sink, options.rates().get(0), options.warmupSeconds(), marketTime);
                ApplicationProgress.drain(admin, "bench-live", LIVE, Duration.ofSeconds(60));
            }
            for (int rate : options.rates()) {
                say(String.format("latency: %,d events/s for %d s ...", rate, options.rateSeconds()));
                double sentPerSecond = feedFor(source, feed, clock, sink, rate, options.rateSeconds(), marketTime);
                Map<String, Long> closes = Map.copyOf(clock.closes());
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < waitUntil && !firstRead.keySet().containsAll(closes.keySet())) {
                    Thread.sleep(20);
                }
                boolean drained = ApplicationProgress.drain(admin, "bench-live", LIVE, Duration.ofSeconds(60));
                Latency l = latencyOf(rate, sentPerSecond, closes, firstRead, drained);
                results.add(l);
                say(String.format(Locale.ROOT, "latency at %,d events/s (sent %,.0f/s): %d bars, %d read, p50 %.0f "
                                + "ms, p99 %.0f ms, max %.0f ms%s", rate, l.sentPerSecond(), l.bars(), l.read(),
                        l.p50Ms(), l.p99Ms(), l.maxMs(), l.drained() ? "" : "; the stream did not catch up"));
                if (!l.drained()) {
                    break; // a backlog that never drains would only add to every higher rate's latency
                }
            }
        } finally {
            reading.set(false);
            reader.join(10_000);
            stream.close().run();
        }
        return results;
    }

    /** Feeds the market live at {@code rate} for {@code seconds}; returns the rate actually sent. */
    private static double feedFor(BacktestSource source, Heartbeats feed, PacedCloseClock clock,
                                  KafkaMarketEventSink sink, int rate, int seconds, long[] marketTime) {
        clock.startWindow(rate);
        long end = clock.windowStartNanos() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            marketTime[0] += 1_000;
            if (marketTime[0] > source.endMs()) {
                throw new IllegalStateException("the simulated market ran out during the latency phase");
            }
            source.deliverBefore(marketTime[0], feed);
        }
        sink.flush();
        return clock.windowEvents() / ((System.nanoTime() - clock.windowStartNanos()) / 1e9);
    }

    private static Latency latencyOf(int rate, double sentPerSecond, Map<String, Long> closes,
                                     Map<String, Long> firstRead, boolean drained) {
        double[] ms = closes.entrySet().stream().filter(e -> firstRead.containsKey(e.getKey()))
                .mapToDouble(e -> (firstRead.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
        return new Latency(rate, sentPerSecond, closes.size(), ms.length, percentile(ms, 0.50),
                percentile(ms, 0.99), ms.length == 0 ? Double.NaN : ms[ms.length - 1], drained);
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Reads the live predictions as a trading service would (read_committed), noting each bar's first. */
    private static void read(KafkaClientFactory clients, Map<String, Long> firstRead, AtomicBoolean reading) {
        Topic<LiquidationRisk> topic = LIVE.topic(Topics.PREDICTIONS_LIQUIDATION);
        Map<String, Object> props = clients.commonProperties("bench-stream-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // read_committed fetches are not woken by the commit markers that make records readable; a subscriber that
        // wants milliseconds keeps the fetch wait short (docs/OPS.md)
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        try (KafkaConsumer<String, LiquidationRisk> consumer = new KafkaConsumer<>(props,
                clients.serdes().keySerde().deserializer(), clients.serdes().valueSerde(topic).deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.spec().partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading.get()) {
                for (ConsumerRecord<String, LiquidationRisk> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    firstRead.putIfAbsent(PacedCloseClock.barKey(r.value().getInstrument(), r.value().getTimeMs()),
                            now);
                }
            }
        }
    }

    private App topologyApp(EmbeddedRuntime runtime, TopicNamespace topics, String applicationId, String guarantee)
            throws Exception {
        StreamConfig config = streamConfig(runtime, topics, applicationId);
        StreamService service = new StreamService(config, featureSet, clientsOf(runtime, topics),
                new SimpleMeterRegistry(), Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee));
        return new App(applicationId, StreamTopology.monitoringSamples(config).name(), service::start,
                service::state, service::close);
    }

    /** Every market topic to one topic, bytes in, bytes out, under the stream's own streams properties. */
    private App copyApp(EmbeddedRuntime runtime, String applicationId) throws Exception {
        StreamConfig config = streamConfig(runtime, BACKLOG, applicationId);
        Topology copy = new Topology();
        copy.addSource("bench-copy-source", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.MARKET_INPUTS.stream().map(BACKLOG::name).toArray(String[]::new));
        copy.addSink("bench-copy-sink", COPY_TOPIC, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
                "bench-copy-source");
        KafkaStreams streams = new KafkaStreams(copy, StreamService.streamsProperties(config,
                clientsOf(runtime, BACKLOG)));
        return new App(applicationId, null, streams::start, streams::state,
                () -> streams.close(Duration.ofSeconds(30)));
    }

    /** The stream's defaults, as {@code riptide stream} runs with no properties file, on the embedded runtime. */
    private StreamConfig streamConfig(EmbeddedRuntime runtime, TopicNamespace topics, String applicationId)
            throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        s.put("schema.registry.url", runtime.schemaRegistryUrl());
        s.put("stream.application.id", applicationId);
        s.put("stream.state.dir", Files.createTempDirectory("riptide-bench-" + applicationId + "-").toString());
        s.put("stream.num.threads", Integer.toString(options.threads()));
        s.put("stream.label.liquidation.threshold",
                Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD));
        s.put(ModelSigning.SECRET_KEY, signingSecret);
        return StreamConfig.from(Settings.load(null, Map.of(), s)).withKafka(kafkaSettings(runtime, topics));
    }

    private static KafkaSettings kafkaSettings(EmbeddedRuntime runtime, TopicNamespace topics) {
        return new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(), (short) 1, Map.of(), topics);
    }

    private static KafkaClientFactory clientsOf(EmbeddedRuntime runtime, TopicNamespace topics) {
        return new KafkaClientFactory(kafkaSettings(runtime, topics));
    }

    /** CPU time (ns) of the live threads that belong to the application (Kafka names them after its id). */
    private Map<Long, Long> threadCpu(String applicationId) {
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(applicationId)) {
                long ns = threads.getThreadCpuTime(t.getId());
                if (ns >= 0) {
                    cpu.put(t.getId(), ns);
                }
            }
        }
        return cpu;
    }

    private static long cpuSince(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private void say(String message) {
        if (!options.quiet()) {
            out.printf("[%4ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, message);
            out.flush();
        }
    }
}
