package io.riptide.app.demo;

import io.riptide.serving.ModelKey;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riptide.app.backtest.SimulatedSpanTriggerSettings;
import io.riptide.app.services.http.OpsRole;
import io.riptide.app.services.http.OpsTokens;
import io.riptide.app.services.http.ServiceMetrics;
import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.ServingStats;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.TriggerService;
import io.riptide.trigger.api.OpsSettings;
import io.riptide.trigger.store.StoredModel;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One demo run: embedded runtime up, stream and trigger services started, the simulated market replayed at
 * {@code speed} x real time with a scripted regime shift half way, a burst of bad records and an ops retrain
 * request on the way; then the outputs are drained, summarised and charted.
 */
final class DemoRun {
    private static final long MINUTE = 60_000L;

    private final DemoOptions options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    /** The demo's own ops identity: it signs the manual retrain the demo sends over Kafka. */
    private final String demoOpsToken = OpsTokens.generate();
    private final OpsTokens demoOps = OpsTokens.single(demoOpsToken, "demo-ops",
            EnumSet.of(OpsRole.READ, OpsRole.OPERATE));

    DemoRun(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    DemoSummary run() throws Exception {
        Files.createDirectories(options.out());
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry ...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start()) {
            say("runtime up: kafka " + runtime.bootstrapServers() + ", registry " + runtime.schemaRegistryUrl()
                    + ", postgres " + runtime.jdbcUrl());
            KafkaSettings kafka = new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                    (short) 1, Map.of());
            KafkaClientFactory clients = new KafkaClientFactory(kafka);
            Settings settings = Settings.load(null, Map.of(), demoSettings(runtime));
            FeatureSet featureSet = FeatureSets.liquidation();
            StreamConfig streamConfig = StreamConfig.from(settings)
                    .withStateDir(Files.createTempDirectory("riptide-demo-state"));
            TriggerConfig triggerConfig = TriggerConfig.from(settings);
            PrometheusMeterRegistry metrics = ServiceMetrics.prometheus();

            try (StreamService stream = new StreamService(streamConfig, featureSet, clients, metrics);
                 TriggerService trigger = new TriggerService(triggerConfig, OpsSettings.from(settings), clients,
                         runtime.dataSource(), metrics);
                 OutputWatcher watcher = new OutputWatcher(clients);
                 DemoOpsServer ops = DemoOpsServer.startIfAsked(options.opsPort(), stream, trigger, metrics,
                         runtime.schemaRegistryUrl(), this::say)) {
                trigger.authorizeKafkaOpsRequests(demoOps.plus(ops.tokens()).kafkaAuthority());
                stream.start();
                trigger.start();
                stream.awaitRunning(Duration.ofSeconds(60));
                say("stream RUNNING (" + featureSet.size() + " features, set " + featureSet.id() + " "
                        + featureSet.hash().substring(0, 12) + "), trigger watching " + triggerConfig.modelKeys());

                FeedResult feed = replayMarket(clients, watcher, trigger);
                say("market feed finished; draining outputs ...");
                drain(watcher, trigger);
                DemoSummary summary = summarise(feed, watcher, trigger, featureSet, stream.liveModels().stats());
                summary.write(options.out().resolve("summary.json"));
                HtmlReport.write(options.out().resolve("report.html"), summary, watcher);
                printSummary(summary);
                say("shutting down (stream, trigger, embedded runtime) ...");
                return summary;
            }
        } finally {
            say("stopped");
        }
    }

    private Map<String, String> demoSettings(EmbeddedRuntime runtime) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        s.put("schema.registry.url", runtime.schemaRegistryUrl());
        s.put("db.url", runtime.jdbcUrl());
        s.put("db.user", runtime.jdbcUser());
        s.put("db.password", runtime.jdbcPassword());
        // one secret for this run: the trigger signs what it publishes, the stream installs only what verifies
        s.put(ModelSigning.SECRET_KEY, ModelSigning.newSecret());
        s.put("stream.application.id", "riptide-demo-" + UUID.randomUUID().toString().substring(0, 8));
        s.put("stream.horizons.minutes", options.horizons().stream().map(String::valueOf)
                .collect(Collectors.joining(",")));
        s.put("stream.label.liquidation.threshold",
                Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD));
        s.putAll(SimulatedSpanTriggerSettings.of(options.duration().toMillis() * options.speed()));
        s.put("trigger.trainer", options.trainer());
        s.put("ops.watch.interval.ms", "5000");
        s.put("ops.watch.no.predictions.ms", "60000");
        return s;
    }

    private record FeedResult(long trades, long books, long liquidations, int poisonSent, long simulatedMinutes,
                              long simStartMs, long simEndMs) {
    }

    private FeedResult replayMarket(KafkaClientFactory clients, OutputWatcher watcher, TriggerService trigger)
            throws InterruptedException {
        long durationMs = options.duration().toMillis();
        long simSpanMs = durationMs * options.speed();
        long simStart = (System.currentTimeMillis() - simSpanMs - MINUTE) / MINUTE * MINUTE;
        SimulatorConfig simConfig = SimulatorConfig.defaults(options.seed(), simStart)
                .withRegimeShiftAt(simStart + simSpanMs * 2 / 3);
        MarketSimulator simulator = new MarketSimulator(simConfig);
        say(String.format("replaying %d simulated minutes of %s at %dx (regime shift at minute %d)",
                simSpanMs / MINUTE, simConfig.instruments(), options.speed(), simSpanMs / MINUTE * 2 / 3));
        int poisonSent = 0;
        boolean opsSent = false;
        long nextProgress = 0;
        long wallStart = System.currentTimeMillis();
        try (KafkaMarketEventSink sink = new KafkaMarketEventSink(clients.producer("riptide-demo-feed", null))) {
            Heartbeats feed = Heartbeats.exact(sink, Heartbeats.TRADE_INPUTS);
            while (true) {
                long elapsed = System.currentTimeMillis() - wallStart;
                long simNow = simStart + Math.min(elapsed, durationMs) * options.speed();
                simulator.runUntil(simNow, feed);
                if (poisonSent == 0 && elapsed >= durationMs / 10) {
                    poisonSent = PoisonInjector.inject(clients, simConfig.instruments(), simNow, options.seed());
                    say("sent " + poisonSent + " bad records, one of each kind (garbage, unknown schema id, length "
                            + "bombs, NaN and negative values, crossed book, far-future and late times, 1 MB, null "
                            + "and wrong keys, bad heartbeats, ...)");
                }
                if (!opsSent && elapsed >= durationMs * 6 / 10) {
                    sendOpsRetrain(clients);
                    opsSent = true;
                }
                if (elapsed >= nextProgress) {
                    progress(simNow - simStart, sink, watcher, trigger);
                    nextProgress += 5_000;
                }
                if (elapsed >= durationMs) {
                    break;
                }
                Thread.sleep(20);
            }
            feed.finish(simStart + simSpanMs);
            sink.flush();
            return new FeedResult(sink.trades(), sink.books(), sink.liquidations(), poisonSent,
                    simSpanMs / MINUTE, simStart, simStart + simSpanMs);
        }
    }

    private void sendOpsRetrain(KafkaClientFactory clients) {
        String key = ModelKey.liquidation(options.horizons().contains(15) ? 15 : options.horizons().get(0)).key();
        RetrainRequest request = RetrainRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setModelKey(key).setAction(OpsAction.RETRAIN).setRequestedBy("demo-ops")
                .setReason("demo: manual retrain after the regime shift").setForce(false)
                .setTimeMs(System.currentTimeMillis()).build();
        request = OpsRequestSigning.sign(request, demoOpsToken);
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("riptide-demo-ops", null)) {
            producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), key, request));
        }
        say("ops: manual retrain of " + key + " requested");
    }

    private void progress(long simElapsedMs, KafkaMarketEventSink sink, OutputWatcher watcher,
                          TriggerService trigger) {
        if (options.quiet()) {
            return;
        }
        Map<String, Integer> jobs = trigger.jobs().countsByStatus();
        say(String.format("market %5s | in: %,d trades %,d books %,d liq | out: %,d predictions %,d outcomes "
                        + "%,d dlq | stored %,d examples | jobs %s | swaps %d",
                hhmm(simElapsedMs), sink.trades(), sink.books(), sink.liquidations(),
                watcher.count(Topics.PREDICTIONS_LIQUIDATION), watcher.count(Topics.OUTCOMES),
                watcher.count(Topics.DEADLETTER), trigger.examplesStored(), jobs.isEmpty() ? "-" : jobs,
                watcher.swaps.size()));
    }

    private void drain(OutputWatcher watcher, TriggerService trigger) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            boolean jobsIdle = !trigger.jobs().countsByStatus().containsKey("RUNNING")
                    && !trigger.jobs().countsByStatus().containsKey("QUEUED");
            if (watcher.quietForMs() > 3_000 && jobsIdle) {
                return;
            }
            Thread.sleep(200);
        }
        say("outputs still moving after 60 s of draining; summarising what arrived");
    }

    private DemoSummary summarise(FeedResult feed, OutputWatcher watcher, TriggerService trigger,
                                  FeatureSet featureSet, ServingStats serving) {
        Map<String, Object> run = new LinkedHashMap<>();
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("kafka", "embedded");
        runtime.put("postgres", "embedded");
        runtime.put("schemaRegistry", "embedded");
        Map<String, Long> inputs = new LinkedHashMap<>();
        inputs.put("trades", feed.trades());
        inputs.put("books", feed.books());
        inputs.put("liquidations", feed.liquidations());
        inputs.put("badRecordsInjected", (long) feed.poisonSent());
        run.put("deadLetterReasons", watcher.deadLetterReasons());
        Map<String, Long> outputs = new LinkedHashMap<>();
        for (var topic : OutputWatcher.WATCHED) {
            outputs.put(topic.name(), watcher.count(topic));
        }
        Map<String, Integer> jobCounts = trigger.jobs().countsByStatus();
        Map<String, Integer> jobs = new LinkedHashMap<>();
        jobs.put("succeeded", jobCounts.getOrDefault("SUCCEEDED", 0));
        jobs.put("rejected", jobCounts.getOrDefault("REJECTED", 0));
        jobs.put("failed", jobCounts.getOrDefault("FAILED", 0));
        List<Map<String, Object>> models = new ArrayList<>();
        for (StoredModel m : trigger.registry().all()) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("key", m.modelKey());
            model.put("version", m.version());
            model.put("status", m.status());
            model.put("format", m.format());
            model.put("trainingExamples", m.trainingExamples());
            model.put("auc", m.metrics().getOrDefault("auc", Double.NaN));
            model.put("holdoutN", m.metrics().getOrDefault("holdout_n", 0.0).intValue());
            model.put("calibration", m.calibration().split(" ", 2)[0]);
            model.put("ece", m.metrics().getOrDefault("ece", Double.NaN));
            model.put("eceUncalibrated", m.metrics().getOrDefault("ece_uncalibrated", Double.NaN));
            models.add(model);
        }
        List<Map<String, Object>> swaps = new ArrayList<>();
        for (OutputWatcher.Swap s : watcher.swaps) {
            Map<String, Object> swap = new LinkedHashMap<>();
            swap.put("key", s.key());
            swap.put("fromVersion", s.fromVersion());
            swap.put("toVersion", s.toVersion());
            swap.put("firstPredictionLagMs", s.firstPredictionLagMs());
            swaps.add(swap);
        }
        run.put("seed", options.seed());
        run.put("durationSeconds", options.duration().toSeconds());
        run.put("speed", options.speed());
        run.put("simulatedMinutes", feed.simulatedMinutes());
        run.put("simulatedFrom", Instant.ofEpochMilli(feed.simStartMs()).toString());
        run.put("simulatedTo", Instant.ofEpochMilli(feed.simEndMs()).toString());
        run.put("featureSet", featureSet.id() + "@" + featureSet.hash());
        run.put("features", featureSet.size());
        run.put("horizonsMinutes", options.horizons());
        run.put("trainer", options.trainer());
        run.put("examplesStored", trigger.examplesStored());
        run.put("wallSeconds", (System.nanoTime() - startNanos) / 1_000_000_000L);
        Map<String, Object> scoring = new LinkedHashMap<>();
        scoring.put("batches", serving.batches());
        scoring.put("batchedBars", serving.batchedBars());
        scoring.put("meanBatchSize", serving.batches() == 0 ? 0.0 : (double) serving.batchedBars() / serving.batches());
        scoring.put("maxAddedLatencyMs", serving.maxAddedLatencyMs());
        scoring.put("predictions", serving.predictions());
        scoring.put("onlineBlended", serving.onlineBlended());
        scoring.put("modelFailures", serving.modelFailures());
        run.put("serving", scoring);
        run.put("driftEventsBySubject", driftBySubject(watcher));
        return new DemoSummary(runtime, inputs, outputs, jobs, models, swaps, watcher.predictionsByServedBy(), run);
    }

    /** Drift events per subject and severity, most frequent first (the top 12), so ops see what moves. */
    private static Map<String, Long> driftBySubject(OutputWatcher watcher) {
        Map<String, Long> counts = new java.util.HashMap<>();
        synchronized (watcher.driftPoints) {
            for (OutputWatcher.DriftPoint p : watcher.driftPoints) {
                if (!p.severity().equals("INFO")) {
                    counts.merge(p.subject() + " " + p.severity(), 1L, Long::sum);
                }
            }
        }
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private void printSummary(DemoSummary s) {
        out.println();
        out.println("=== Riptide demo summary ===");
        out.printf("inputs      %,d trades, %,d book snapshots, %,d liquidations (+%d bad records)%n",
                s.inputs().get("trades"), s.inputs().get("books"), s.inputs().get("liquidations"),
                s.inputs().get("badRecordsInjected"));
        out.printf("outputs     %,d features, %,d predictions, %,d outcomes, %,d pattern signals, %,d pattern "
                        + "outcomes, %,d training examples, %,d drift events, %,d dead letters%n",
                s.outputs().get("features"), s.outputs().get("predictions.liquidation"), s.outputs().get("outcomes"),
                s.outputs().get("predictions.pattern"), s.outputs().get("outcomes.pattern"),
                s.outputs().get("training.examples"), s.outputs().get("monitoring.drift"),
                s.outputs().get("deadletter"));
        out.printf("jobs        %d succeeded, %d rejected, %d failed%n", s.jobs().get("succeeded"),
                s.jobs().get("rejected"), s.jobs().get("failed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> serving = (Map<String, Object>) s.run().get("serving");
        out.printf("serving     %,d bars scored in %,d micro-batches (mean %.1f, longest wait %d ms), %,d of %,d "
                        + "predictions blended with the online learner%n", (Long) serving.get("batchedBars"),
                (Long) serving.get("batches"), (Double) serving.get("meanBatchSize"),
                (Long) serving.get("maxAddedLatencyMs"), (Long) serving.get("onlineBlended"),
                (Long) serving.get("predictions"));
        out.println("models");
        for (Map<String, Object> m : s.models()) {
            out.printf("            %-18s v%-3s %-10s trained on %,6d examples, hold-out AUC %.3f, ECE %.3f (%s; "
                            + "%.3f before)%n", m.get("key"), m.get("version"), m.get("status"),
                    (Long) m.get("trainingExamples"), (Double) m.get("auc"), (Double) m.get("ece"),
                    m.get("calibration"), (Double) m.get("eceUncalibrated"));
        }
        out.println("swaps");
        for (Map<String, Object> w : s.swaps()) {
            out.printf("            %-18s v%s -> v%s, first prediction %,d ms after publication%n", w.get("key"),
                    w.get("fromVersion"), w.get("toVersion"), (Long) w.get("firstPredictionLagMs"));
        }
        out.println("predictions by version");
        s.predictionsByVersion().forEach((k, v) -> out.printf("            %-28s %,d%n", k, v));
        out.println("written     " + options.out().resolve("summary.json") + ", " + options.out().resolve("report.html"));
        if (s.swaps().isEmpty()) {
            out.println("WARNING: no model version was swapped in during this run (try a longer --duration)");
        }
    }

    void say(String message) {
        if (!options.quiet() || message.startsWith("WARNING")) {
            long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
            out.printf("[%3ds] %s%n", s, message);
        }
    }

    private static String hhmm(long ms) {
        long minutes = ms / MINUTE;
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }
}
