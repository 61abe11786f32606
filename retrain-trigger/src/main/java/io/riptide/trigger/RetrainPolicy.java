package io.riptide.trigger;

import io.riptide.serving.ModelKey;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.Severity;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.ModelRegistryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns signals into jobs: critical drift, live AUC under the floor, the schedule (and the first model of a key
 * once enough data exists), and ops' manual requests. Automatic triggers respect a per-key cooldown; the database
 * dedupes to one queued-or-running job per key; manual requests skip the cooldown and jump the queue. Schedules and
 * cooldowns run on the given clock, market time in the service ({@link MarketClock}). With
 * {@code trigger.automatic.retrain=false} only the first model of each key is trained automatically (a frozen
 * champion, as the backtest's {@code frozen} arm runs it).
 */
public final class RetrainPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainPolicy.class);
    private static final int MANUAL_PRIORITY = 10;
    private static final int SIGNAL_PRIORITY = 5;

    private final TriggerConfig config;
    private final JobStore jobs;
    private final ExampleStore examples;
    private final ModelRegistryStore registry;
    private final Clock clock;

    public RetrainPolicy(TriggerConfig config, JobStore jobs, ExampleStore examples, ModelRegistryStore registry,
                         Clock clock) {
        this.config = config;
        this.jobs = jobs;
        this.examples = examples;
        this.registry = registry;
        this.clock = clock;
    }

    public Optional<Long> onPerformance(PerformanceReport report) {
        if (!config.modelKeys().contains(report.getModelKey()) || report.getAuc() == null) {
            return Optional.empty();
        }
        if (report.getAuc() >= config.performanceAucFloor()
                || registry.shadowedOrRetired(report.getModelKey(), report.getModelVersion())) {
            return Optional.empty(); // a shadow's poor live AUC is the promotion test's business: it is retired
        }
        return automatic(report.getModelKey(), "performance", String.format(
                "live AUC %.3f of v%d over %d outcomes is below the floor %.2f", report.getAuc(),
                report.getModelVersion(), report.getN(), config.performanceAucFloor()));
    }

    public Optional<Long> onDrift(DriftEvent event) {
        if (!config.modelKeys().contains(event.getModelKey()) || event.getSeverity() != Severity.CRITICAL
                || registry.shadowedOrRetired(event.getModelKey(), event.getModelVersion())) {
            return Optional.empty();
        }
        return automatic(event.getModelKey(), "drift", String.format("%s of %s is %.3f (critical above %.2f) for v%d",
                event.getDetector(), event.getSubject(), event.getStatistic(), event.getThreshold(),
                event.getModelVersion()));
    }

    /** Bootstrap keys without a model once they have enough data, and retrain keys whose schedule is due. */
    public void onSchedule() {
        for (String key : config.modelKeys()) {
            if (registry.production(key).isEmpty()) {
                automatic(key, "bootstrap", "no model yet");
            } else if (config.automaticRetraining() && config.scheduleIntervalMs() > 0) {
                long last = jobs.lastFinishedMarketMs(key).orElse(Long.MIN_VALUE / 2);
                if (clock.millis() > last + config.scheduleIntervalMs()) {
                    automatic(key, "schedule", "last job finished at market time " + Instant.ofEpochMilli(last)
                            + "; schedule every " + config.scheduleIntervalMs() + " ms");
                }
            }
        }
    }

    /** An ops request: no cooldown, highest priority. */
    public Optional<Long> manual(String modelKey, String requestedBy, String reason, boolean force) {
        ModelKey.parse(modelKey);
        Optional<Long> id = jobs.enqueue(modelKey, "manual", reason, requestedBy, force, MANUAL_PRIORITY,
                clock.millis());
        LOG.info("manual retrain of {} by {} ({}): {}", modelKey, requestedBy, reason,
                id.map(i -> "queued as job " + i).orElse("a job is already queued or running"));
        return id;
    }

    private Optional<Long> automatic(String modelKey, String trigger, String reason) {
        if (!trigger.equals("bootstrap") && !config.automaticRetraining()) {
            return Optional.empty(); // a frozen champion: only the first model of a key is trained automatically
        }
        ModelKey parsed = ModelKey.parse(modelKey);
        long[] counts = examples.countAndPositives(parsed);
        if (counts[0] < config.minExamples(parsed.task()) || counts[1] < config.minPositives()) {
            LOG.debug("{} trigger for {} ignored: {} examples with {} positives stored so far", trigger, modelKey,
                    counts[0], counts[1]);
            return Optional.empty(); // a job now could only be rejected for lack of data
        }
        if (parsed.instrumentScope() == null && parsed.regimeScope() == null) {
            ExampleStore.Labels labels = examples.labels(parsed.task(), parsed.horizonMinutes(), config.maxExamples());
            String shortfall = labels.timesMs().length == 0 ? " no examples;" : TrainingSplits.shortfall(
                    TrainingSplits.of(labels.timesMs(), parsed.horizonMs(), config.holdoutFraction()),
                    labels.labels(), TrainingJobRunner.minSplitRows(config, parsed.task()),
                    config.gates().of(modelKey));
            if (!shortfall.isEmpty()) {
                LOG.debug("{} trigger for {} ignored: a job could not train yet:{}", trigger, modelKey, shortfall);
                return Optional.empty(); // judged per class and split, as the job will judge it
            }
        }
        String why = reason + "; " + counts[0] + " examples with " + counts[1] + " positives stored";
        Optional<Long> last = jobs.lastFinishedMarketMs(modelKey);
        if (last.isPresent() && clock.millis() < last.get() + config.cooldownMs()) {
            LOG.debug("{} trigger for {} ignored: in cooldown since market time {}", trigger, modelKey, last.get());
            return Optional.empty();
        }
        Optional<Long> id = jobs.enqueue(modelKey, trigger, why, "retrain-trigger", false, SIGNAL_PRIORITY,
                clock.millis());
        id.ifPresent(i -> LOG.info("{} job {} queued for {}: {}", trigger, i, modelKey, why));
        return id;
    }
}
