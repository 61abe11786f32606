package io.riptide.trigger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.Severity;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.OpsReadStore;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The retrain trigger's own meters, registered where the numbers are produced (docs/OPS.md lists them):
 * examples stored, jobs by status (a label, never a name), job durations (a histogram in seconds), ops requests,
 * drift events by severity, serving changes, and per-key gauges of the serving version, the live AUC and the last
 * drift statistic of the score.
 */
public final class TriggerMetrics {
    /** Roles a version can serve in; data, so shadow and canary versions appear once the lifecycle publishes them. */
    public static final List<String> SERVING_ROLES = List.of("PRODUCTION", "SHADOW", "CANARY");
    private static final List<String> JOB_STATUSES = List.of("QUEUED", "RUNNING", "SUCCEEDED", "REJECTED", "FAILED");
    private static final Duration CACHE = Duration.ofSeconds(2);

    private final MeterRegistry registry;
    private final Counter examplesStored;
    private final Map<String, Double> liveAuc = new ConcurrentHashMap<>();
    private final Map<String, Double> driftStatistic = new ConcurrentHashMap<>();
    private final Cached<Map<String, Integer>> jobCounts;
    private final Cached<Map<String, Integer>> servingVersions;
    private final Cached<Long> pendingPublications;

    public TriggerMetrics(MeterRegistry registry, List<String> modelKeys, JobStore jobs, OpsReadStore models) {
        this.registry = registry;
        this.examplesStored = Counter.builder("riptide.trigger.examples.stored")
                .description("training examples stored (replayed duplicates not counted)").register(registry);
        this.jobCounts = new Cached<>(() -> jobs.countsByStatus());
        this.servingVersions = new Cached<>(() -> servingVersionsOf(models));
        this.pendingPublications = new Cached<>(() -> models.pendingPublications());
        Gauge.builder("riptide.trigger.publications.pending", () -> pendingPublications.get())
                .description("promotions committed in the registry and not yet published to models.versions; "
                        + "above 0 for more than a job-loop pass means publishing fails (docs/RELIABILITY.md)")
                .register(registry);
        for (String status : JOB_STATUSES) {
            Gauge.builder("riptide.trigger.jobs", () -> jobCounts.get().getOrDefault(status, 0))
                    .description("training jobs in the registry by status").tag("status", status).register(registry);
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                jobFinished(status);
                jobDuration(status);
            }
        }
        for (String key : modelKeys) {
            for (String role : SERVING_ROLES) {
                Gauge.builder("riptide.model.serving.version",
                                () -> servingVersions.get().getOrDefault(key + "|" + role, 0))
                        .description("version serving the key in the role (0 = none, the rule-based fallback serves)")
                        .tags("model_key", key, "role", role).register(registry);
            }
            Gauge.builder("riptide.model.live.auc", liveAuc, m -> m.getOrDefault(key, Double.NaN))
                    .description("AUC of the latest live performance report of the key").tag("model_key", key)
                    .register(registry);
            for (String severity : List.of("WARNING", "CRITICAL")) {
                driftEvents(key, severity);
            }
            driftGauge(key, "PSI"); // the stream's detector today; others appear with their first event
            for (String action : List.of("PROMOTE", "ROLLBACK")) {
                servingChanges(key, action, false);
            }
            servingChanges(key, "ROLLBACK", true);
        }
        for (String kind : List.of("STREAM_NOT_RUNNING", "CONSUMER_LAG_GROWING", "NO_PREDICTIONS", "JOB_FAILED",
                "CRITICAL_DRIFT", "AUTOMATIC_ROLLBACK")) {
            alerts(kind);
        }
    }

    private static Map<String, Integer> servingVersionsOf(OpsReadStore models) {
        Map<String, Integer> versions = new java.util.HashMap<>();
        for (Map<String, Object> m : models.models(null)) {
            if (SERVING_ROLES.contains((String) m.get("status"))) {
                versions.put(m.get("modelKey") + "|" + m.get("status"), (Integer) m.get("version"));
            }
        }
        return versions;
    }

    public void examplesStored(int count) {
        examplesStored.increment(count);
    }

    public void jobFinished(JobStatus status, Duration took) {
        jobFinished(status.name()).increment();
        jobDuration(status.name()).record(took);
        jobCounts.invalidate();
        servingVersions.invalidate();
    }

    public void performance(PerformanceReport report) {
        if (report.getAuc() != null) {
            liveAuc.put(report.getModelKey(), report.getAuc());
        }
    }

    public void drift(DriftEvent event) {
        if (event.getSeverity() != Severity.INFO) {
            driftEvents(event.getModelKey(), event.getSeverity().name()).increment();
        }
        if (event.getSubject().equals("score")) {
            driftGauge(event.getModelKey(), event.getDetector());
            driftStatistic.put(event.getModelKey() + "|" + event.getDetector(), event.getStatistic());
        }
    }

    private void driftGauge(String modelKey, String detector) {
        String id = modelKey + "|" + detector;
        Gauge.builder("riptide.model.drift.statistic", driftStatistic, m -> m.getOrDefault(id, Double.NaN))
                .description("statistic of the latest drift check of the key's score, by detector")
                .tags("model_key", modelKey, "detector", detector).register(registry);
    }

    public void opsRequest(String action, String status, String source) {
        Counter.builder("riptide.trigger.ops.requests").description("ops requests by action, outcome and source")
                .tags("action", action, "status", status, "source", source).register(registry).increment();
        servingVersions.invalidate();
    }

    /** A change of which version serves a key; automatic when no person asked for it. */
    public void servingChange(String modelKey, String action, boolean automatic) {
        servingChanges(modelKey, action, automatic).increment();
        servingVersions.invalidate();
    }

    public void alert(String kind) {
        alerts(kind).increment();
    }

    private Counter jobFinished(String status) {
        return Counter.builder("riptide.trigger.jobs.finished").description("training jobs finished, by final status")
                .tag("status", status).register(registry);
    }

    private Timer jobDuration(String status) {
        return Timer.builder("riptide.trigger.job.duration").description("wall time of training jobs, by final status")
                .tag("status", status)
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2))
                .register(registry);
    }

    private Counter driftEvents(String modelKey, String severity) {
        return Counter.builder("riptide.trigger.drift.events").description("drift events received, by severity")
                .tags(Tags.of("model_key", modelKey, "severity", severity)).register(registry);
    }

    private Counter servingChanges(String modelKey, String action, boolean automatic) {
        return Counter.builder("riptide.model.serving.changes")
                .description("changes of the serving version (PROMOTE, ROLLBACK), automatic or asked by a person")
                .tags("model_key", modelKey, "action", action, "automatic", Boolean.toString(automatic))
                .register(registry);
    }

    private Counter alerts(String kind) {
        return Counter.builder("riptide.ops.alerts").description("alerts sent to ops.alerts, by kind")
                .tag("kind", kind).register(registry);
    }

    /** A value read from the database at most every {@link #CACHE}, so a scrape costs at most one query. */
    private static final class Cached<T> {
        private final Supplier<T> source;
        private final AtomicReference<T> value = new AtomicReference<>();
        private volatile long readAtNanos;

        Cached(Supplier<T> source) {
            this.source = source;
        }

        T get() {
            T current = value.get();
            if (current == null || System.nanoTime() - readAtNanos > CACHE.toNanos()) {
                try {
                    current = source.get();
                    value.set(current);
                    readAtNanos = System.nanoTime();
                } catch (RuntimeException e) {
                    if (current == null) {
                        throw e; // nothing to show yet: the gauge reports NaN
                    }
                }
            }
            return current;
        }

        void invalidate() {
            readAtNanos = 0;
        }
    }
}
