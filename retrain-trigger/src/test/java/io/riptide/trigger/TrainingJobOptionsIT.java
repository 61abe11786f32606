package io.riptide.trigger;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import io.riptide.trigger.store.TrainingJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job with the training options on, on a real PostgreSQL and the real LightGBM: a parameter search within its
 * budget, balanced class weights, and a warm start from the champion, each recorded with the version it made.
 */
class TrainingJobOptionsIT {
    private static final String KEY = "liquidation-15m";
    private static EmbeddedRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void aSearchWeightedWarmStartedJobRecordsHowItTrained() {
        DataSource db = runtime.createDatabaseNamed("job_options");
        Migrations.migrate(db);
        Map<String, String> s = new HashMap<>(Map.of("db.url", runtime.jdbcUrl(), "kafka.bootstrap.servers",
                runtime.bootstrapServers(), "schema.registry.url", runtime.schemaRegistryUrl(),
                ModelSigning.SECRET_KEY, "options-it-signing-secret-0123456789"));
        s.putAll(Map.of("trigger.search.trials", "4", "trigger.search.budget.ms", "600000",
                "trigger.class.weights", "balanced", "trigger.warm.start", "true", "trigger.num.rounds", "60",
                "trigger.lifecycle", "direct", "trigger.model.keys", KEY, "trigger.min.examples", "300"));
        TriggerConfig config = TriggerConfig.from(Settings.load(null, Map.of(), s));
        ExampleStore examples = new ExampleStore(db);
        List<LabeledExample> rows = TriggerTestSupport.examples("options-", 1_200, 1_000_000L);
        examples.insert(rows);
        ModelRegistryStore registry = new ModelRegistryStore(db);
        JobStore jobs = new JobStore(db);
        TrainingJobRunner runner = new TrainingJobRunner(config, examples, jobs, registry, new JobReporter() {
            @Override
            public void progress(TrainingJob job, double progress, String message) {
            }

            @Override
            public void ended(TrainingJob job, JobStatus status, String message, Integer version,
                              Map<String, Double> metrics) {
            }

            @Override
            public void promoted() {
            }
        }, Clock.fixed(Instant.ofEpochMilli(2_000_000_000L), ZoneOffset.UTC));

        assertEquals(JobStatus.SUCCEEDED, runJob(jobs, runner), "the first job");
        Map<String, Double> first = registry.production(KEY).orElseThrow().metrics();
        assertEquals(4.0, first.get("search_trials"), "the budget let all four trials run");
        assertEquals(0.0, first.get("warm_start"), "no champion to start from");
        double weight = first.get("scale_pos_weight");
        long positives = rows.stream().filter(r -> r.getLabel() == 1).count();
        double overall = (rows.size() - positives) / (double) positives;
        assertTrue(weight > 0.7 * overall && weight < 1.4 * overall,
                "negatives per positive of the training rows " + weight + ", of all rows " + overall);

        assertEquals(JobStatus.SUCCEEDED, runJob(jobs, runner), "the second job, forced");
        StoredModel second = registry.production(KEY).orElseThrow();
        assertEquals(2, second.version());
        assertEquals(1.0, second.metrics().get("warm_start"), "boosted on from v1's trees");
    }

    private static JobStatus runJob(JobStore jobs, TrainingJobRunner runner) {
        jobs.enqueue(KEY, "manual", "options test", "it", true, 5, 0).orElseThrow();
        return runner.run(jobs.claimNext("options-it", 60_000).orElseThrow());
    }
}
