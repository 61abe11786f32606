package io.riptide.app.backtest;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code riptide bench chaos}: two copies of the pipeline, each a {@code riptide stream} and a {@code riptide trigger}
 * process with its own topics and its own database, read the same simulated market, written to both at the same
 * paced rate. The reference copy runs undisturbed. The other is killed with SIGKILL at random moments, stream and
 * trigger in turn (a trigger kill aimed at a running job), with the stream's state directory wiped at random as well,
 * and restarted the way a supervisor would. Once both have consumed everything and have no job left, their read_committed outputs and their databases
 * are compared ({@link ChaosComparison}), their jobs and published versions are checked ({@link Lifecycle}), and the
 * reference's bars are checked against the input itself.
 */
final class ChaosBenchRun {
    static final String REFERENCE = "reference";
    static final String CHAOS = "chaos";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    record Options(int marketHours, int instruments, long seed, int cycles, int feedSeconds, boolean quiet) {
    }

    /**
     * One SIGKILL of the crashed copy, and how long the restarted process took to be ready; {@code midJob}: the
     * trigger was killed while its database said a job was running.
     */
    record Kill(int cycle, String service, boolean wipedState, boolean midJob, double atSeconds, double readySeconds) {
    }

    /**
     * What one copy's trigger did: its jobs; jobs that ran more than once (more than one model version or evaluation
     * from one job); promotions that the registry and {@code models.versions} do not agree on once everything has
     * settled (pending outbox rows, keys whose last published version is not the registry's production version,
     * versions published that the registry never promoted, promotions never published).
     */
    record Lifecycle(long jobs, long succeeded, long versionsPublished, long jobsDuplicated, long halfPublished) {
    }

    record Result(int cycles, List<Kill> kills, List<ChaosComparison> outputs, Lifecycle reference,
                  Lifecycle chaos, long referenceLost, long servedUnpublished, double wallSeconds) {
        long sum(java.util.function.ToLongFunction<ChaosComparison> field) {
            return outputs.stream().mapToLong(field).sum();
        }

        String resultLine() {
            return String.format(Locale.ROOT, "RESULT cycles=%d lost=%d duplicated=%d jobs_duplicated=%d "
                            + "half_published=%d extra=%d differing=%d reference_lost=%d reference_duplicated=%d "
                            + "reference_jobs_duplicated=%d reference_half_published=%d served_unpublished=%d "
                            + "stream_kills=%d trigger_kills=%d trigger_kills_mid_job=%d wipes=%d jobs_reference=%d "
                            + "jobs_chaos=%d "
                            + "versions_reference=%d versions_chaos=%d wall_s=%.1f",
                    cycles, sum(ChaosComparison::lost), sum(ChaosComparison::duplicated), chaos.jobsDuplicated(),
                    chaos.halfPublished(), sum(ChaosComparison::extra), sum(ChaosComparison::differing), referenceLost,
                    sum(ChaosComparison::referenceDuplicated), reference.jobsDuplicated(), reference.halfPublished(),
                    servedUnpublished, kills.stream().filter(k -> k.service().equals("stream")).count(),
                    kills.stream().filter(k -> k.service().equals("trigger")).count(),
                    kills.stream().filter(Kill::midJob).count(), kills.stream().filter(Kill::wipedState).count(), reference.jobs(), chaos.jobs(),
                    reference.versionsPublished(), chaos.versionsPublished(), wallSeconds);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final String signingSecret = ModelSigning.newSecret();
    private final Path workDir;
    private final List<ChildService> started = new ArrayList<>();

    ChaosBenchRun(Options options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.workDir = Files.createTempDirectory("riptide-bench-chaos-");
    }

    Result run() throws Exception {
        List<Topic<?>> topics = new ArrayList<>(namespace(REFERENCE).all());
        topics.addAll(namespace(CHAOS).all());
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry; logs under " + workDir);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(topics));
             Admin admin = clients(runtime, namespace(REFERENCE)).admin("bench-chaos-admin")) {
            Pipeline reference = new Pipeline(runtime, REFERENCE);
            Pipeline chaos = new Pipeline(runtime, CHAOS);
            for (Pipeline p : List.of(reference, chaos)) {
                p.startStream();
                p.startTrigger();
            }
            for (Pipeline p : List.of(reference, chaos)) {
                p.stream.awaitReady(READY_TIMEOUT);
                p.trigger.awaitReady(READY_TIMEOUT);
            }
            say("both copies ready; feeding " + options.marketHours() + " market hours over ~"
                    + options.feedSeconds() + " s");
            PacedMarketFeed feed = new PacedMarketFeed(clients(runtime, reference.topics),
                    List.of(reference.topics, chaos.topics), options.seed(), options.instruments(),
                    options.marketHours(), options.feedSeconds());
            feed.start();
            List<Kill> kills = crash(chaos, reference, feed);
            feed.await(() -> {
                reference.requireAlive();
                chaos.requireAlive();
            });
            say(String.format("fed %,d market events to each copy; waiting for both to drain", feed.events()));
            drain(admin, reference);
            drain(admin, chaos);
            reference.stop();
            chaos.stop();
            say("both copies drained and stopped; comparing");
            Outputs ref = reference.read(runtime);
            Outputs run = chaos.read(runtime);
            List<ChaosComparison> outputs = new ArrayList<>();
            for (String name : ref.keyed.keySet()) {
                outputs.add(ChaosComparison.of(name, ref.keyed.get(name), run.keyed.get(name)));
            }
            long servedUnpublished = run.servedVersions.stream().filter(v -> !run.publishedVersions.contains(v))
                    .count() + ref.servedVersions.stream().filter(v -> !ref.publishedVersions.contains(v)).count();
            return new Result(options.cycles(), kills, outputs, reference.lifecycle(ref), chaos.lifecycle(run),
                    referenceLost(feed.tradeMinutes(), ref.bars), servedUnpublished,
                    (System.nanoTime() - startNanos) / 1e9);
        } finally {
            for (ChildService s : started) {
                s.destroyIfAlive();
            }
        }
    }

    /** The kills: stream and trigger in turn, each after a random pause, the stream's state wiped at random. */
    private List<Kill> crash(Pipeline chaos, Pipeline reference, PacedMarketFeed feed) throws Exception {
        Random random = new Random(options.seed());
        List<Kill> kills = new ArrayList<>();
        double pause = Math.max(1.0, options.feedSeconds() / (double) options.cycles());
        for (int cycle = 1; cycle <= options.cycles(); cycle++) {
            long waitMs = Math.round(1000 * pause * (0.25 + 1.5 * random.nextDouble()));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (System.nanoTime() < until) {
                reference.requireAlive();
                chaos.requireAlive();
                feed.requireHealthy();
                Thread.sleep(100);
            }
            boolean stream = cycle % 2 == 1;
            boolean wipe = stream && random.nextBoolean();
            double at = elapsed();
            boolean midJob = false;
            double ready;
            if (stream) {
                chaos.stream.kill();
                if (wipe) {
                    deleteRecursively(chaos.stateDir);
                    Files.createDirectories(chaos.stateDir);
                }
                ready = chaos.startStream().awaitReady(READY_TIMEOUT);
            } else {
                awaitRunningJob(chaos, reference, Math.round(2000 * pause), random);
                midJob = chaos.count("SELECT count(*) FROM ml_training_jobs WHERE status = 'RUNNING'") > 0;
                chaos.trigger.kill();
                ready = chaos.startTrigger().awaitReady(READY_TIMEOUT);
            }
            kills.add(new Kill(cycle, stream ? "stream" : "trigger", wipe, midJob, at, ready));
            say(String.format(Locale.ROOT, "cycle %d/%d: SIGKILL of the %s%s at %.1f s; ready again in %.1f s",
                    cycle, options.cycles(), stream ? "stream" : "trigger", wipe ? ", state directory wiped"
                            : midJob ? ", in the middle of a job" : "", at, ready));
        }
        return kills;
    }

    /**
     * A trigger kill aims at a job, the trigger's riskiest moment: waits up to {@code maxWaitMs} for the crashed copy
     * to run one, then a random part of a second into it. Without a job in that time, the kill comes anyway.
     */
    private static void awaitRunningJob(Pipeline chaos, Pipeline reference, long maxWaitMs, Random random)
            throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        while (System.nanoTime() < until) {
            if (chaos.count("SELECT count(*) FROM ml_training_jobs WHERE status = 'RUNNING'") > 0) {
                Thread.sleep(random.nextInt(1_000));
                return;
            }
            reference.requireAlive();
            chaos.requireAlive();
            Thread.sleep(20);
        }
    }

    /** Waits until the copy has committed all its inputs, runs no job and has nothing left to publish. */
    private void drain(Admin admin, Pipeline p) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        String last = null;
        int stable = 0;
        while (stable < 2) {
            p.requireAlive();
            String state = p.drainedState(admin);
            stable = state != null && state.equals(last) ? stable + 1 : 0;
            last = state;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + p.name + " copy did not drain within " + DRAIN_TIMEOUT
                        + " (" + p.progress(admin) + "); logs under " + workDir);
            }
            Thread.sleep(2_000);
        }
        say("the " + p.name + " copy has drained: " + p.progress(admin));
    }

    /** Minutes with trades in the input that have no bar in the reference's output (its last minute excepted). */
    static long referenceLost(Map<String, Set<Long>> tradeMinutes, Set<String> bars) {
        long lost = 0;
        for (Map.Entry<String, Set<Long>> e : tradeMinutes.entrySet()) {
            long lastMinute = e.getValue().stream().max(Comparator.naturalOrder()).orElse(Long.MIN_VALUE);
            for (long minute : e.getValue()) {
                if (minute != lastMinute && !bars.contains(barId(e.getKey(), minute))) {
                    lost++;
                }
            }
        }
        return lost;
    }

    static String barId(String instrument, long openTimeMs) {
        return instrument + "|" + openTimeMs;
    }

    /** What a copy wrote, read back once it stopped. */
    private record Outputs(Map<String, List<ChaosComparison.Keyed>> keyed, Set<String> bars,
                           Set<String> publishedVersions, Set<String> servedVersions, List<ModelVersion> versions) {
    }

    /** One copy of the pipeline: its topics, database, state directory and current processes. */
    private final class Pipeline {
        final String name;
        final TopicNamespace topics;
        final String applicationId;
        final String triggerGroup;
        final DataSource database;
        final Path stateDir;
        final Map<String, String> env = new HashMap<>();
        ChildService stream;
        ChildService trigger;

        Pipeline(EmbeddedRuntime runtime, String name) throws IOException {
            this.name = name;
            this.topics = namespace(name);
            this.applicationId = "bench-chaos-" + name;
            this.triggerGroup = applicationId + "-trigger";
            String databaseName = "chaos_" + name;
            this.database = runtime.createDatabaseNamed(databaseName);
            this.stateDir = Files.createDirectories(workDir.resolve(name + "-state"));
            long spanMs = options.marketHours() * 3_600_000L;
            Map<String, String> s = new LinkedHashMap<>();
            s.put("kafka.bootstrap.servers", runtime.bootstrapServers());
            s.put("schema.registry.url", runtime.schemaRegistryUrl());
            s.put("kafka.topic.prefix", topics.prefix());
            // a killed trigger's consumers hold their partitions until the session times out: 6 s, the broker's
            // minimum, instead of 45 s, so that a restart is not a 45 s pause (the stream uses static membership)
            s.put("kafka.client.session.timeout.ms", "6000");
            s.put("kafka.client.heartbeat.interval.ms", "1500");
            s.put(ModelSigning.SECRET_KEY, signingSecret);
            s.put("stream.application.id", applicationId);
            s.put("stream.state.dir", stateDir.toString());
            s.put("stream.group.instance.id", applicationId + "-0");
            s.put("stream.label.liquidation.threshold",
                    Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD));
            s.put("db.url", runtime.jdbcUrl(databaseName));
            s.put("db.user", runtime.jdbcUser());
            s.put("db.password", runtime.jdbcPassword());
            s.put("trigger.group.id", triggerGroup);
            // one instance restarted in place, as a supervisor restarts it: it takes its own running job back at once
            s.put("trigger.instance.id", triggerGroup + "-0");
            s.putAll(SimulatedSpanTriggerSettings.of(spanMs));
            s.forEach((k, v) -> env.put(Settings.environmentVariableOf(k), v));
        }

        ChildService startStream() throws IOException {
            stream = ChildService.start("stream", "the " + name + " stream", env, workDir.resolve(name
                    + "-stream.log"));
            started.add(stream);
            return stream;
        }

        ChildService startTrigger() throws IOException {
            trigger = ChildService.start("trigger", "the " + name + " trigger", env, workDir.resolve(name
                    + "-trigger.log"));
            started.add(trigger);
            return trigger;
        }

        void requireAlive() throws IOException {
            stream.requireAlive();
            trigger.requireAlive();
        }

        void stop() throws InterruptedException {
            stream.stop();
            trigger.stop();
        }

        List<Topic<?>> triggerInputs() {
            return List.of(topics.topic(Topics.TRAINING_EXAMPLES), topics.topic(Topics.DRIFT),
                    topics.topic(Topics.PERFORMANCE), topics.topic(Topics.RETRAIN_REQUESTS));
        }

        /** Null while anything is left to do; otherwise a fingerprint that changes when anything new arrives. */
        String drainedState(Admin admin) throws Exception {
            Map<TopicPartition, Long> market = ApplicationProgress.endOffsets(admin, topics);
            long marketRecords = total(market);
            Map<TopicPartition, Long> signals = ApplicationProgress.endOffsets(admin, triggerInputs());
            long signalRecords = total(signals);
            if (ApplicationProgress.committed(admin, applicationId, market) < marketRecords
                    || ApplicationProgress.committed(admin, triggerGroup, signals) < signalRecords) {
                return null;
            }
            long active = count("SELECT count(*) FROM ml_training_jobs WHERE status IN ('QUEUED', 'RUNNING')");
            long pending = count("SELECT count(*) FROM ml_model_publications WHERE published_at IS NULL");
            return active + pending > 0 ? null : marketRecords + "/" + signalRecords + "/"
                    + count("SELECT count(*) FROM ml_training_jobs");
        }

        String progress(Admin admin) throws Exception {
            Map<TopicPartition, Long> market = ApplicationProgress.endOffsets(admin, topics);
            Map<TopicPartition, Long> signals = ApplicationProgress.endOffsets(admin, triggerInputs());
            return String.format("stream %,d of %,d market records, trigger %,d of %,d signal records, %d jobs "
                            + "queued or running, %d publications pending",
                    ApplicationProgress.committed(admin, applicationId, market), total(market),
                    ApplicationProgress.committed(admin, triggerGroup, signals), total(signals),
                    count("SELECT count(*) FROM ml_training_jobs WHERE status IN ('QUEUED', 'RUNNING')"),
                    count("SELECT count(*) FROM ml_model_publications WHERE published_at IS NULL"));
        }

        Outputs read(EmbeddedRuntime runtime) throws SQLException {
            KafkaClientFactory clients = clients(runtime, topics);
            Map<String, List<ChaosComparison.Keyed>> keyed = new LinkedHashMap<>();
            List<Bar> bars = TopicReader.readAll(clients, topics.topic(Topics.BARS_1M));
            keyed.put("bars", ChaosComparison.keyed(bars, b -> barId(b.getInstrument(), b.getOpenTimeMs()),
                    SpecificRecord::toString));
            keyed.put("features", ChaosComparison.keyed(TopicReader.readAll(clients, topics.topic(Topics.FEATURES)),
                    (FeatureVector f) -> f.getInstrument() + "|" + f.getTimeMs(), FeatureVector::toString));
            List<LiquidationRisk> predictions = TopicReader.readAll(clients,
                    topics.topic(Topics.PREDICTIONS_LIQUIDATION));
            keyed.put("predictions", ChaosComparison.keyed(predictions, LiquidationRisk::getPredictionId, p -> null));
            keyed.put("pattern_signals", ChaosComparison.keyed(TopicReader.readAll(clients,
                    topics.topic(Topics.PREDICTIONS_PATTERN)), PatternSignal::getSignalId, p -> null));
            // how a signal ended depends on the bars only, not on the model that gave its confidence
            keyed.put("pattern_outcomes", ChaosComparison.keyed(TopicReader.readAll(clients,
                    topics.topic(Topics.PATTERN_OUTCOMES)), PatternOutcome::getSignalId, o -> o.getBarrier() + "|"
                    + o.getExitPrice() + "|" + o.getResolvedAtMs()));
            keyed.put("outcomes", ChaosComparison.keyed(TopicReader.readAll(clients, topics.topic(Topics.OUTCOMES)),
                    Outcome::getPredictionId, o -> o.getLabel() + "|" + o.getRealizedValue() + "|"
                            + o.getResolvedAtMs()));
            keyed.put("training_examples", ChaosComparison.keyed(TopicReader.readAll(clients,
                            topics.topic(Topics.TRAINING_EXAMPLES)), LabeledExample::getExampleId,
                    LabeledExample::toString));
            keyed.put("stored_examples", storedExamples());
            List<ModelVersion> versions = TopicReader.readAll(clients, topics.topic(Topics.MODEL_VERSIONS));
            Set<String> published = new HashSet<>();
            versions.stream().filter(v -> v.getRole() == ModelRole.PRODUCTION)
                    .forEach(v -> published.add(v.getModelKey() + "|" + v.getVersion()));
            Set<String> served = new HashSet<>();
            predictions.stream().filter(p -> p.getModelVersion() > 0)
                    .forEach(p -> served.add(p.getModelKey() + "|" + p.getModelVersion()));
            Set<String> barIds = new HashSet<>();
            bars.forEach(b -> barIds.add(barId(b.getInstrument(), b.getOpenTimeMs())));
            return new Outputs(keyed, barIds, published, served, versions);
        }

        private List<ChaosComparison.Keyed> storedExamples() throws SQLException {
            List<ChaosComparison.Keyed> rows = new ArrayList<>();
            try (Connection c = database.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT example_id, features::text, label, realized_value, regime "
                         + "FROM training_examples")) {
                while (rs.next()) {
                    rows.add(new ChaosComparison.Keyed(rs.getString(1), rs.getString(2) + "|" + rs.getInt(3) + "|"
                            + rs.getDouble(4) + "|" + rs.getString(5)));
                }
            }
            return rows;
        }

        Lifecycle lifecycle(Outputs outputs) throws SQLException {
            long jobs = count("SELECT count(*) FROM ml_training_jobs");
            long succeeded = count("SELECT count(*) FROM ml_training_jobs WHERE status = 'SUCCEEDED'");
            long duplicated = count("SELECT count(DISTINCT job_id) FROM ("
                    + "SELECT job_id FROM ml_models WHERE job_id IS NOT NULL GROUP BY job_id HAVING count(*) > 1 "
                    + "UNION ALL SELECT job_id FROM ml_eval_history GROUP BY job_id HAVING count(*) > 1) d");
            Set<String> promoted = new HashSet<>();
            Map<String, Integer> production = new TreeMap<>();
            try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT model_key, version FROM ml_model_serving_history "
                        + "WHERE role = 'PRODUCTION' AND action IN ('PROMOTE', 'ROLLBACK')")) {
                    while (rs.next()) {
                        promoted.add(rs.getString(1) + "|" + rs.getInt(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT model_key, version FROM ml_models "
                        + "WHERE status = 'PRODUCTION'")) {
                    while (rs.next()) {
                        production.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            Map<String, Integer> lastPublished = new TreeMap<>();
            outputs.versions().stream().filter(v -> v.getRole() == ModelRole.PRODUCTION)
                    .forEach(v -> lastPublished.put(v.getModelKey(), v.getVersion()));
            long half = count("SELECT count(*) FROM ml_model_publications WHERE published_at IS NULL");
            half += outputs.publishedVersions().stream().filter(v -> !promoted.contains(v)).count();
            half += promoted.stream().filter(v -> !outputs.publishedVersions().contains(v)).count();
            Set<String> keys = new HashSet<>(production.keySet());
            keys.addAll(lastPublished.keySet());
            half += keys.stream().filter(k -> !java.util.Objects.equals(production.get(k), lastPublished.get(k)))
                    .count();
            return new Lifecycle(jobs, succeeded, outputs.publishedVersions().size(), duplicated, half);
        }

        private long count(String sql) throws SQLException {
            try (Connection c = database.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static TopicNamespace namespace(String copy) {
        return TopicNamespace.of("chaos-" + copy + ".");
    }

    private static KafkaClientFactory clients(EmbeddedRuntime runtime, TopicNamespace topics) {
        return new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of(), topics));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String line) {
        if (!options.quiet()) {
            out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed(), line);
        }
    }
}
