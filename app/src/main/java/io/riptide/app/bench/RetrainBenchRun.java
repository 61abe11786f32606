package io.riptide.app.bench;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.serving.ModelKey;
import io.riptide.trigger.JobReporter;
import io.riptide.trigger.ModelPublisher;
import io.riptide.trigger.PromotionOutbox;
import io.riptide.trigger.TrainingJobRunner;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.TrainingJob;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code riptide bench retrain}: one training job of the real runner over {@code rows} examples of the liquidation
 * feature set in PostgreSQL, timed by stage: load (query and splits), train, eval (calibration, scoring, gates),
 * publish (decision, promotion, Kafka publication). The examples are synthetic (a label that depends on a few
 * features through a logistic link, the rest noise) and written with COPY before the clock starts.
 */
public final class RetrainBenchRun {
    private static final String KEY = ModelKey.liquidation(15).key();
    private static final int COPY_BATCH = 10_000;

    /** @param trainer lightgbm or xgboost */
    public record Options(int rows, String trainer, int numRounds, long seed, boolean quiet) {
    }

    /** Stage times in seconds; {@code total} is the whole job, as its runner ran it. */
    public record Result(int rows, int features, double setupS, Map<String, Double> stages, double totalS,
                         JobStatus status, String message) {
        public double stage(String name) {
            return stages.getOrDefault(name, Double.NaN);
        }

        public String resultLine() {
            return String.format(Locale.ROOT, "RESULT rows=%d load_s=%.2f train_s=%.2f eval_s=%.2f publish_s=%.2f "
                            + "total_s=%.2f overhead_ratio=%.3f", rows, stage("load"), stage("train"), stage("eval"),
                    stage("publish"), totalS, totalS / stage("train"));
        }
    }

    private final Options options;
    private final PrintStream out;

    public RetrainBenchRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        FeatureSet featureSet = FeatureSets.liquidation();
        say("starting the embedded runtime (Kafka, PostgreSQL, schema registry) ...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start()) {
            Migrations.migrate(runtime.dataSource());
            long setupStart = System.nanoTime();
            writeExamples(runtime, featureSet);
            double setupS = seconds(System.nanoTime() - setupStart);
            say(String.format(Locale.ROOT, "%,d examples x %d features written in %.1f s (not timed below)",
                    options.rows(), featureSet.size(), setupS));

            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", runtime.jdbcUrl());
            settings.put("db.user", runtime.jdbcUser());
            settings.put("db.password", runtime.jdbcPassword());
            settings.put("kafka.bootstrap.servers", runtime.bootstrapServers());
            settings.put("schema.registry.url", runtime.schemaRegistryUrl());
            settings.put(ModelSigning.SECRET_KEY, ModelSigning.newSecret());
            settings.put("trigger.model.keys", KEY);
            settings.put("trigger.max.examples", Integer.toString(options.rows()));
            settings.put("trigger.trainer", options.trainer());
            settings.put("trigger.num.rounds", Integer.toString(options.numRounds()));
            settings.put("trigger.seed", Long.toString(options.seed()));
            TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), settings));
            KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                    runtime.schemaRegistryUrl(), (short) 1, Map.of()));
            ModelRegistryStore registry = new ModelRegistryStore(runtime.dataSource());
            JobStore jobs = new JobStore(runtime.dataSource());
            Map<String, Double> stages = new LinkedHashMap<>();
            try (ModelPublisher publisher = new ModelPublisher(clients.producer("bench-retrain",
                    "bench-retrain-publisher"), config.inlineArtifactMaxBytes(), TopicNamespace.NONE,
                    config.signing())) {
                PromotionOutbox outbox = new PromotionOutbox(registry, publisher::publish);
                JobReporter kafka = JobReporter.publishing(publisher, outbox);
                JobReporter reporter = new JobReporter() {
                    @Override
                    public void progress(TrainingJob job, double progress, String message) {
                        kafka.progress(job, progress, message);
                        say(String.format(Locale.ROOT, "job %3.0f%%  %s", 100 * progress, message));
                    }

                    @Override
                    public void ended(TrainingJob job, JobStatus status, String message, Integer version,
                                      Map<String, Double> metrics) {
                        kafka.ended(job, status, message, version, metrics);
                    }

                    @Override
                    public void promoted() {
                        kafka.promoted();
                    }

                    @Override
                    public void stageTimed(TrainingJob job, String stage, long nanos) {
                        stages.put(stage, seconds(nanos));
                    }
                };
                TrainingJobRunner runner = new TrainingJobRunner(config, new ExampleStore(runtime.dataSource()),
                        jobs, registry, reporter, Clock.systemUTC());
                jobs.enqueue(KEY, "manual", "bench retrain", "bench", false, 10, 0).orElseThrow();
                TrainingJob job = jobs.claimNext("bench-retrain", 3_600_000).orElseThrow();
                long start = System.nanoTime();
                JobStatus status = runner.run(job);
                double total = seconds(System.nanoTime() - start);
                String message = jobs.history().get(0).message();
                say("job " + status + ": " + message);
                return new Result(options.rows(), featureSet.size(), setupS, stages, total, status, message);
            }
        }
    }

    /** COPY in batches: label = 1 with probability logistic(0.9 x1 - 0.7 x2 + 0.5 x1 x3 - 1.2), x ~ N(0, 1). */
    private void writeExamples(EmbeddedRuntime runtime, FeatureSet featureSet) throws Exception {
        SplittableRandom random = new SplittableRandom(options.seed());
        int n = featureSet.size();
        long t0 = 1_700_000_000_000L;
        try (Connection c = runtime.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_sets (feature_set_hash, "
                    + "feature_set_id, feature_names) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, featureSet.hash());
                ps.setString(2, featureSet.id());
                ps.setArray(3, c.createArrayOf("text", featureSet.names().toArray()));
                ps.executeUpdate();
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            StringBuilder text = new StringBuilder(COPY_BATCH * n * 12);
            for (int i = 0; i < options.rows(); i++) {
                double[] x = new double[n];
                for (int j = 0; j < n; j++) {
                    x[j] = random.nextGaussian();
                }
                double z = 0.9 * x[0] - 0.7 * x[1] + 0.5 * x[0] * x[2] - 1.2;
                int label = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
                // one row a second, three instruments: the time split and the purge see a realistic span
                text.append("bench-").append(i).append("\tSIM:I").append(i % 3).append('\t').append(t0 + i * 1_000L)
                        .append("\tliquidation\t15\t").append(featureSet.id()).append('\t').append(featureSet.hash())
                        .append("\t{");
                for (int j = 0; j < n; j++) {
                    text.append(j == 0 ? "" : ",").append((float) x[j]);
                }
                text.append("}\t").append(label).append('\t').append(label * 1e6).append("\tsideways\n");
                if ((i + 1) % COPY_BATCH == 0 || i + 1 == options.rows()) {
                    CopyIn copy = pg.getCopyAPI().copyIn("COPY training_examples (example_id, instrument, time_ms, "
                            + "task, horizon_minutes, feature_set_id, feature_set_hash, features, label, "
                            + "realized_value, regime) FROM STDIN");
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    copy.endCopy();
                    text.setLength(0);
                    if ((i + 1) % (10 * COPY_BATCH) == 0) {
                        say(String.format(Locale.ROOT, "written %,d of %,d examples", i + 1, options.rows()));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("ANALYZE training_examples")) {
                ps.execute();
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private void say(String line) {
        if (!options.quiet()) {
            out.println(line);
        }
    }

    /** The stages in print order. */
    static final List<String> STAGES = List.of("load", "train", "eval", "publish");
}
