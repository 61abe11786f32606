package io.riptide.app.backtest;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.schemas.avro.Alert;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import io.riptide.serving.ModelKey;
import io.riptide.trigger.store.JobStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One backtest: every arm's real stream (and, where it trains, its real trigger) on one embedded runtime, fed the
 * same market in lockstep. Each step delivers the market up to the step's end time in one transaction, with
 * heartbeats for every input; waits until each arm's stream, then its monitors, then its trigger have processed all
 * of it; then steps each trigger at that market time (signals judged, jobs run) and waits until the stream serves
 * what was published. Nothing waits on the wall clock, so the same input and seed give the same figures, at
 * whatever speed the machine runs.
 */
final class BacktestRun {
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(10);
    private static final boolean TRACE = "1".equals(System.getenv("RIPTIDE_BACKTEST_TRACE"));

    private final BacktestOptions options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    BacktestRun(BacktestOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the backtest and writes backtest.json and report.html; returns the figures. */
    BacktestResult run() throws Exception {
        Files.createDirectories(options.out());
        BacktestSource source = BacktestSource.of(options);
        say("input: " + source.description() + ", " + Instant.ofEpochMilli(source.startMs()) + " to "
                + Instant.ofEpochMilli(source.endMs()));
        FeatureSet featureSet = FeatureSets.liquidation();
        List<Topic<?>> topics = new ArrayList<>();
        options.arms().forEach(a -> topics.addAll(ArmRuntime.namespaceOf(a).all()));
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry ...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(topics))) {
            List<ArmRuntime> arms = new ArrayList<>();
            ExecutorService pool = settlingPool(options.arms().size());
            try {
                for (Arm arm : options.arms()) {
                    arms.add(ArmRuntime.start(arm, runtime, options, featureSet));
                }
                for (ArmRuntime arm : arms) {
                    arm.stream.awaitRunning(Duration.ofSeconds(120));
                }
                say("arms running: " + options.arms().stream().map(Arm::label).toList() + "; stepping every "
                        + options.stepMinutes() + " market minutes");
                KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                        runtime.schemaRegistryUrl(), (short) 1, Map.of()));
                long events = replay(source, arms, runtime, clients, pool);
                say("market replayed (" + String.format("%,d", events) + " events); collecting the outputs ...");
                return collect(source, arms, runtime, events);
            } finally {
                pool.shutdownNow();
                for (int i = arms.size() - 1; i >= 0; i--) {
                    arms.get(i).close();
                }
            }
        }
    }

    private long replay(BacktestSource source, List<ArmRuntime> arms, EmbeddedRuntime runtime,
                        KafkaClientFactory clients, ExecutorService pool) throws Exception {
        long stepMs = options.stepMinutes() * 60_000L;
        long nextProgress = 0;
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("bt-feed", "bt-feed");
             Lockstep lockstep = new Lockstep(clients.admin("bt-lockstep"))) {
            producer.initTransactions();
            List<KafkaMarketEventSink> sinks = new ArrayList<>();
            arms.forEach(a -> sinks.add(new KafkaMarketEventSink(producer, a.topics)));
            FanOutSink fanOut = new FanOutSink(sinks);
            Heartbeats feed = new Heartbeats(fanOut, source.inputs(), Heartbeats.DEFAULT_INTERVAL_MS, 0);
            for (long t = source.startMs() + stepMs; ; t += stepMs) {
                long until = Math.min(t, source.endMs());
                producer.beginTransaction();
                source.deliverBefore(until, feed);
                feed.finish(until);
                producer.commitTransaction();
                settleAll(arms, lockstep, until, pool);
                if (System.nanoTime() >= nextProgress || until >= source.endMs()) {
                    progress(source, arms, until, fanOut.events());
                    nextProgress = System.nanoTime() + 10_000_000_000L;
                }
                if (until >= source.endMs()) {
                    return fanOut.events();
                }
            }
        }
    }

    /** One daemon thread per arm, for {@link #settleAll}. */
    static ExecutorService settlingPool(int arms) {
        return Executors.newFixedThreadPool(arms, r -> {
            Thread t = new Thread(r, "riptide-backtest-arm");
            t.setDaemon(true);
            return t;
        });
    }

    /** Settles every arm at {@code until}, side by side; the first failure is thrown. */
    static void settleAll(List<ArmRuntime> arms, Lockstep lockstep, long until, ExecutorService pool)
            throws Exception {
        List<Future<?>> settled = new ArrayList<>();
        for (ArmRuntime arm : arms) {
            settled.add(pool.submit(() -> {
                settle(arm, lockstep, until);
                return null;
            }));
        }
        for (Future<?> f : settled) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** Waits until the arm has processed everything up to {@code until}, then steps its trigger there. */
    static void settle(ArmRuntime arm, Lockstep lockstep, long until) throws InterruptedException {
        String app = arm.streamConfig.applicationId();
        List<Topic<?>> inputs = arm.streamInputs();
        long t0 = System.nanoTime();
        lockstep.awaitCaughtUp(app, inputs.subList(0, inputs.size() - 1), SETTLE_TIMEOUT, arm.arm.label() + " stream");
        long t1 = timed(arm, "stream", t0);
        lockstep.awaitCaughtUp(app, inputs.subList(inputs.size() - 1, inputs.size()), SETTLE_TIMEOUT,
                arm.arm.label() + " monitors");
        long t2 = timed(arm, "monitors", t1);
        if (arm.trigger == null) {
            return;
        }
        lockstep.awaitCaughtUp(arm.triggerGroup, arm.triggerInputs(), SETTLE_TIMEOUT, arm.arm.label() + " trigger");
        long t3 = timed(arm, "trigger consumers", t2);
        if (TRACE) {
            System.err.printf("trace %s %s examples=%d%n", Instant.ofEpochMilli(until), arm.arm.label(),
                    arm.trigger.examplesStored());
        }
        arm.trigger.step(until);
        arm.recordSwaps(until);
        long t4 = timed(arm, "trigger step (jobs)", t3);
        arm.awaitInstalled(SETTLE_TIMEOUT);
        timed(arm, "model install", t4);
    }

    private static long timed(ArmRuntime arm, String phase, long sinceNanos) {
        long now = System.nanoTime();
        arm.phaseSeconds.merge(phase, (now - sinceNanos) / 1e9, Double::sum);
        return now;
    }

    private void progress(BacktestSource source, List<ArmRuntime> arms, long until, long events) {
        StringBuilder line = new StringBuilder(String.format("market %s of %s | %,d events", hhmm(until
                - source.startMs()), hhmm(source.endMs() - source.startMs()), events));
        for (ArmRuntime arm : arms) {
            line.append(String.format(" | %s %,d predictions", arm.arm.label(),
                    arm.stream.liveModels().stats().predictions()));
            if (arm.trigger != null) {
                line.append(String.format(", %d swaps, jobs %s", arm.swaps.size(), arm.trigger.jobs().countsByStatus()));
            }
        }
        say(line.toString());
    }

    private BacktestResult collect(BacktestSource source, List<ArmRuntime> arms, EmbeddedRuntime runtime,
                                   long events) throws java.io.IOException {
        List<String> keys = options.horizons().stream().map(h -> ModelKey.liquidation(h).key()).toList();
        BacktestAnalysis analysis = new BacktestAnalysis(source.startMs(), source.endMs(), source.shiftsMs(), keys);
        Map<String, List<LiveMetrics.Outcome>> outcomesByArm = new LinkedHashMap<>();
        Map<String, List<BacktestAnalysis.Alarm>> alarmsByArm = new LinkedHashMap<>();
        Map<String, Object> armsJson = new LinkedHashMap<>();
        Map<String, TreeMap<Long, String>> regimes = null;
        List<ArmRuntime.Swap> retrainSwaps = List.of();
        List<String> outcomeRows = new ArrayList<>();
        for (ArmRuntime arm : arms) {
            KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                    runtime.schemaRegistryUrl(), (short) 1, Map.of(), arm.topics));
            List<FeatureVector> features = TopicReader.readAll(clients, arm.topics.topic(Topics.FEATURES));
            if (regimes == null) {
                regimes = regimes(features);
            }
            List<io.riptide.schemas.avro.LabeledExample> examples = TopicReader.readAll(clients,
                    arm.topics.topic(Topics.TRAINING_EXAMPLES));
            List<LiveMetrics.Outcome> outcomes = new ArrayList<>();
            List<Outcome> resolved = new ArrayList<>(TopicReader.readAll(clients, arm.topics.topic(Topics.OUTCOMES)));
            resolved.sort(java.util.Comparator.comparingLong(Outcome::getResolvedAtMs)
                    .thenComparingLong(Outcome::getPredictionTimeMs).thenComparing(o -> o.getPredictionId()));
            for (Outcome o : resolved) {
                outcomes.add(new LiveMetrics.Outcome(o.getModelKey(), o.getModelVersion(), o.getInstrument(),
                        o.getPredictionTimeMs(), o.getProbability(), o.getLabel()));
                outcomeRows.add(OutcomesCsv.row(arm.arm.label(), o));
            }
            outcomes.sort(java.util.Comparator.comparingLong(LiveMetrics.Outcome::predictionTimeMs)
                    .thenComparing(LiveMetrics.Outcome::instrument).thenComparing(LiveMetrics.Outcome::modelKey));
            List<BacktestAnalysis.Alarm> alarms = new ArrayList<>();
            for (DriftEvent d : TopicReader.readAll(clients, arm.topics.topic(Topics.DRIFT))) {
                alarms.add(new BacktestAnalysis.Alarm(d.getModelKey(), d.getModelVersion(), d.getDetector(),
                        d.getSubject(), d.getSeverity().name(), d.getTimeMs()));
            }
            alarms.sort(java.util.Comparator.comparingLong(BacktestAnalysis.Alarm::timeMs)
                    .thenComparing(BacktestAnalysis.Alarm::modelKey).thenComparing(BacktestAnalysis.Alarm::detector)
                    .thenComparing(BacktestAnalysis.Alarm::subject));
            List<LiquidationRisk> predictions = TopicReader.readAll(clients,
                    arm.topics.topic(Topics.PREDICTIONS_LIQUIDATION));
            List<Alert> alerts = TopicReader.readAll(clients, arm.topics.topic(Topics.ALERTS));
            outcomesByArm.put(arm.arm.label(), outcomes);
            alarmsByArm.put(arm.arm.label(), alarms);
            if (arm.arm == Arm.RETRAIN) {
                retrainSwaps = arm.swaps;
            }
            Map<String, Object> armJson = armJson(arm, analysis, outcomes, alarms, predictions.size(), alerts.size(),
                    regimes, source);
            armJson.put("digests", Digests.of(features, examples));
            PatternEvaluation patterns = PatternEvaluation.of(TopicReader.readAll(clients,
                    arm.topics.topic(Topics.PATTERN_OUTCOMES)));
            armJson.put("patterns", patterns.json());
            say(String.format(Locale.ROOT, "patterns (%s): %d ended, %d scored by a model, AUC %.3f (base %.3f), "
                            + "top decile %.3f (base %.3f), mean net return taken %.5f (all %.5f)", arm.arm.label(),
                    patterns.signals(), patterns.scored(), patterns.aucMl(), patterns.aucBase(),
                    patterns.topDecileMl(), patterns.topDecileBase(), patterns.meanNetReturnTakenMl(),
                    patterns.meanNetReturnAll()));
            armsJson.put(arm.arm.label(), armJson);
        }
        OutcomesCsv.write(options.out().resolve(OutcomesCsv.FILE), outcomeRows);
        Map<String, Object> lockstep = new LinkedHashMap<>();
        for (ArmRuntime arm : arms) {
            Map<String, Object> phases = new LinkedHashMap<>();
            arm.phaseSeconds.forEach((k, v) -> phases.put(k, LiveMetrics.round(v)));
            lockstep.put(arm.arm.label(), phases);
        }
        return BacktestResult.of(options, source, analysis, outcomesByArm, alarmsByArm, retrainSwaps, armsJson,
                events, (System.nanoTime() - startNanos) / 1e9, lockstep);
    }

    private Map<String, Object> armJson(ArmRuntime arm, BacktestAnalysis analysis, List<LiveMetrics.Outcome> outcomes,
                                        List<BacktestAnalysis.Alarm> alarms, int predictions, int alerts,
                                        Map<String, TreeMap<Long, String>> regimes, BacktestSource source) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("predictions", predictions);
        a.put("outcomes", outcomes.size());
        a.put("alerts", alerts);
        a.put("alerts_per_1k_predictions", predictions == 0 ? null : LiveMetrics.round(1000.0 * alerts / predictions));
        List<Map<String, Object>> swaps = new ArrayList<>();
        for (ArmRuntime.Swap s : arm.swaps) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("key", s.key());
            w.put("from", s.fromVersion());
            w.put("to", s.toVersion());
            w.put("at", Instant.ofEpochMilli(s.marketTimeMs()).toString());
            w.put("atMarketHour", LiveMetrics.round((s.marketTimeMs() - source.startMs()) / 3_600_000.0));
            w.put("trigger", s.trigger());
            swaps.add(w);
        }
        a.put("swaps", swaps);
        a.put("jobs", jobsJson(arm));
        a.put("phases", analysis.phaseMetrics(outcomes, regimes));
        Map<String, Map<String, Integer>> drift = new TreeMap<>();
        for (BacktestAnalysis.Alarm alarm : alarms) {
            drift.computeIfAbsent(alarm.detector(), d -> new TreeMap<>()).merge(alarm.severity(), 1, Integer::sum);
        }
        a.put("drift_events", drift);
        return a;
    }

    private static Map<String, Object> jobsJson(ArmRuntime arm) {
        Map<String, Object> j = new LinkedHashMap<>();
        if (arm.trigger == null) {
            j.put("total", 0);
            return j;
        }
        List<JobStore.JobRecord> history = arm.trigger.jobs().history();
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byTrigger = new TreeMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (JobStore.JobRecord r : history) {
            byStatus.merge(r.status(), 1, Integer::sum);
            byTrigger.merge(r.trigger(), 1, Integer::sum);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("key", r.modelKey());
            row.put("trigger", r.trigger());
            row.put("status", r.status());
            row.put("version", r.candidateVersion());
            row.put("queuedAt", r.queuedMarketMs() == null ? null : Instant.ofEpochMilli(r.queuedMarketMs()).toString());
            row.put("message", r.message());
            list.add(row);
        }
        j.put("total", history.size());
        j.put("by_status", byStatus);
        j.put("by_trigger", byTrigger);
        j.put("list", list);
        return j;
    }

    /** The engine's regime of each instrument over time, from its feature vectors. */
    private static Map<String, TreeMap<Long, String>> regimes(List<FeatureVector> features) {
        Map<String, TreeMap<Long, String>> regimes = new HashMap<>();
        for (FeatureVector f : features) {
            regimes.computeIfAbsent(f.getInstrument(), i -> new TreeMap<>()).put(f.getTimeMs(), f.getRegime());
        }
        return regimes;
    }

    private void say(String message) {
        if (!options.quiet()) {
            out.printf("[%4ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, message);
            out.flush();
        }
    }

    private static String hhmm(long ms) {
        long minutes = ms / 60_000L;
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }
}
