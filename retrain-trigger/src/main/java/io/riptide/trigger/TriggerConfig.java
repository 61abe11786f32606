package io.riptide.trigger;

import io.riptide.features.Pattern;
import io.riptide.features.Regime;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.serving.ModelKey;
import io.riptide.trigger.gate.GateRules;
import io.riptide.trigger.lifecycle.PromotionGate;
import io.riptide.trigger.lifecycle.RollbackRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed configuration of the retrain-trigger service, validated at start-up.
 *
 * @param modelKeys           the keys this trigger trains: by default one per liquidation horizon and one per
 *                            pattern time barrier, with one per regime (liquidation-15m, pattern-30m,
 *                            pattern-30m@trending)
 * @param minExamples         fewest stored examples a training job needs
 * @param minPositives        fewest positive labels a training job needs
 * @param maxExamples         most recent examples used per job
 * @param cooldownMs          after a finished job, how long automatic triggers for the same key are ignored
 * @param scheduleIntervalMs  retrain each key at least this often (0 = never on schedule)
 * @param pollIntervalMs      how often the scheduler and the job runner look for work
 * @param performanceAucFloor a live AUC below this triggers retraining
 * @param gates               what a candidate must show on its hold-out, per key ({@code trigger.gate.*})
 * @param holdoutFraction     the most recent share of examples held out for the champion/candidate comparison
 * @param trainer             lightgbm or xgboost
 * @param inlineArtifactMaxBytes artifacts (gzip) up to this size travel inside the ModelVersion record
 * @param calibration         none, platt or isotonic: fitted on the validation scores and published with the model
 * @param automaticRetraining false: only the first model of each key is trained automatically (drift, performance
 *                            and the schedule no longer retrain it; ops still can): a frozen champion
 * @param trainingHalfLifeMs  training rows weigh 2^(-age / half-life), age in market time before the newest row, so a
 *                            retrain after a shift learns mostly the new market yet keeps the old one's structure; 0
 *                            weighs every row the same
 * @param signing             signs every published version (models.signing.*; docs/SECURITY.md)
 * @param minExamplesByTask   per task, {@code trigger.min.examples.<task>} where it differs from minExamples
 * @param rollback            when a production version goes back to the one it replaced by itself
 *                            ({@code trigger.rollback.*})
 * @param jobs                how this instance runs jobs ({@code trigger.jobs.*}, {@code trigger.instance.id})
 * @param lifecycle           what a candidate that passed its gates serves as, and how a shadow is judged
 *                            ({@code trigger.lifecycle*}, {@code trigger.promotion.*})
 * @param training            what a job does beyond fixed parameters ({@code trigger.search.*},
 *                            {@code trigger.class.weights}, {@code trigger.warm.start})
 */
public record TriggerConfig(KafkaSettings kafka, Database database, String groupId, List<String> modelKeys,
                            int minExamples, int minPositives, int maxExamples, long cooldownMs,
                            long scheduleIntervalMs, long pollIntervalMs, double performanceAucFloor,
                            GateRules.PerKey gates, double holdoutFraction, String trainer,
                            int numRounds, long seed, int inlineArtifactMaxBytes, String calibration,
                            boolean automaticRetraining, long trainingHalfLifeMs, ModelSigning signing,
                            Map<String, Integer> minExamplesByTask, RollbackRule.Settings rollback, Jobs jobs,
                            Lifecycle lifecycle, Training training) {

    /**
     * @param searchTrials  parameter sets a job tries (the fixed defaults first, then random ones), the one with the
     *                      lowest validation log-loss kept; 1 trains the defaults only
     * @param searchBudgetMs wall time after which no further trial starts (the first always runs): the number of
     *                      trials, and so the model, then depends on the machine's speed
     * @param balancedClassWeights positives weigh negatives / positives of the training rows
     * @param warmStart     boost on from the champion's trees when it has the feature set and the trainer's format
     */
    public record Training(int searchTrials, long searchBudgetMs, boolean balancedClassWeights, boolean warmStart) {
    }

    /**
     * @param shadowFirst       a candidate that passed the offline gates serves as SHADOW and is promoted on live
     *                          outcomes ({@code trigger.lifecycle=shadow}, the default); {@code direct} makes it
     *                          production at once
     * @param shadowFirstModel  whether a key's first model (the rule-based fallback serves it) goes through shadow
     *                          too ({@code trigger.lifecycle.bootstrap=shadow}); by default it serves at once, since
     *                          the fallback has earned nothing on live outcomes either and a gated model beat it on the
     *                          hold-out
     * @param promotion         the live promotion test ({@code trigger.promotion.*})
     */
    public record Lifecycle(boolean shadowFirst, boolean shadowFirstModel, PromotionGate.Settings promotion) {
        /**
         * Whether a candidate for {@code modelKey} that passed its gates serves as shadow, given whether its key has a
         * model yet. Only keys the stream scores a shadow for can: the unscoped liquidation keys. A pattern key or a
         * scoped key would wait out its probation with no outcome and be retired, so it is promoted at once.
         */
        public boolean shadows(String modelKey, boolean keyHasModel) {
            ModelKey key = ModelKey.parse(modelKey);
            return shadowFirst && (keyHasModel || shadowFirstModel) && key.task().equals(ModelKey.LIQUIDATION)
                    && !key.isScoped();
        }
    }

    /** Where PostgreSQL is. */
    public record Database(String jdbcUrl, String user, String password) {
        public Database {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("invalid value '" + jdbcUrl + "' for db.url: expected jdbc:postgresql://...");
            }
        }
    }

    /**
     * @param instanceId    who holds the leases of the jobs this instance runs; unique per running instance.
     *                      Stable across restarts (a StatefulSet pod name), a restart takes its own jobs back at
     *                      once; by default a new one per start, and a killed instance's jobs wait for their leases
     *                      to expire
     * @param leaseMs       how long a claimed job stays leased without a renewal (renewed every third of it)
     * @param maxConcurrent jobs run at once by this instance
     * @param ownProcess    each job runs in a JVM of its own ({@code trigger.jobs.process}), so a native crash, an
     *                      out-of-memory error or a hang fails the job and not the service; false runs jobs on the
     *                      service's threads (a backtest always does)
     * @param heapMb        the heap cap of a job's JVM
     * @param timeoutMs     a job's JVM still running after this is killed and the job FAILED
     * @param settings      every setting the service was started with, handed to each job's JVM
     */
    public record Jobs(String instanceId, long leaseMs, int maxConcurrent, boolean ownProcess, int heapMb,
                       long timeoutMs, Map<String, String> settings) {
        public Jobs {
            settings = Map.copyOf(settings);
        }

        @Override
        public String toString() { // the settings hold secrets
            return "Jobs[instanceId=" + instanceId + ", leaseMs=" + leaseMs + ", maxConcurrent=" + maxConcurrent
                    + ", ownProcess=" + ownProcess + ", heapMb=" + heapMb + ", timeoutMs=" + timeoutMs + "]";
        }
    }

    public TriggerConfig {
        if (!trainer.equals("lightgbm") && !trainer.equals("xgboost")) {
            throw new ConfigException("invalid value '" + trainer + "' for trigger.trainer: expected lightgbm or xgboost");
        }
        if (modelKeys.isEmpty()) {
            throw new ConfigException("trigger.model.keys must name at least one model key");
        }
        modelKeys = List.copyOf(modelKeys);
        minExamplesByTask = Map.copyOf(minExamplesByTask);
        if (!List.of("none", "platt", "isotonic").contains(calibration)) {
            throw new ConfigException("invalid value '" + calibration
                    + "' for trigger.calibration: expected none, platt or isotonic");
        }
    }

    public static TriggerConfig from(Settings s) {
        List<String> keys = new ArrayList<>(s.intList("stream.horizons.minutes", List.of(5, 15, 30, 60), 1, 24 * 60)
                .stream().map(h -> ModelKey.liquidation(h).key()).toList());
        if (s.booleanValue(Pattern.SIGNALS_SETTING, true)) {
            for (Pattern.Family family : Pattern.Family.values()) {
                if (family != Pattern.Family.NONE) {
                    ModelKey key = ModelKey.pattern(s.intValue(family.settingsPrefix() + Pattern.BARS_SETTING,
                            Pattern.DEFAULT_TIME_BARRIER_BARS, 1, 24 * 60));
                    if (!keys.contains(key.key())) {
                        keys.add(key.key());
                        // a pattern's odds depend on the regime it fires in: one model per regime, where it has data
                        for (Regime regime : Regime.values()) {
                            if (regime != Regime.UNKNOWN) {
                                keys.add(key.scopedTo(regime.label()).key());
                            }
                        }
                    }
                }
            }
        }
        String explicitKeys = s.string("trigger.model.keys", null);
        if (explicitKeys != null) {
            keys = List.of(explicitKeys.split("\\s*,\\s*"));
        }
        return new TriggerConfig(
                KafkaSettings.from(s),
                new Database(s.requiredString("db.url"), s.string("db.user", "riptide"), s.string("db.password", "")),
                s.string("trigger.group.id", "riptide-trigger"),
                keys,
                s.intValue("trigger.min.examples", 400, 50, Integer.MAX_VALUE),
                s.intValue("trigger.min.positives", 20, 5, Integer.MAX_VALUE),
                s.intValue("trigger.max.examples", 200_000, 100, 50_000_000),
                s.longValue("trigger.cooldown.ms", 3_600_000, 0, Long.MAX_VALUE),
                s.longValue("trigger.schedule.interval.ms", 6 * 3_600_000L, 0, Long.MAX_VALUE),
                s.longValue("trigger.poll.interval.ms", 1_000, 50, 600_000),
                s.doubleValue("trigger.performance.auc.floor", 0.6, 0, 1),
                GateRules.from(s, keys),
                s.doubleValue("trigger.holdout.fraction", 0.25, 0.05, 0.5),
                s.string("trigger.trainer", "lightgbm"),
                s.intValue("trigger.num.rounds", 200, 1, 100_000),
                s.longValue("trigger.seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                s.intValue("trigger.artifact.inline.max.bytes", 8 * 1024 * 1024, 0, 15 * 1024 * 1024),
                s.string("trigger.calibration", "platt"),
                s.booleanValue("trigger.automatic.retrain", true),
                s.longValue("trigger.training.half.life.ms", 0, 0, 365L * 86_400_000L),
                ModelSigning.from(s),
                minExamplesByTask(s),
                new RollbackRule.Settings(s.booleanValue("trigger.rollback.automatic", true),
                        s.intValue("trigger.rollback.min.outcomes", 480, 1, Integer.MAX_VALUE),
                        s.doubleValue("trigger.rollback.below.validated.auc", 0.10, 0, 1),
                        "off".equalsIgnoreCase(s.string("trigger.rollback.below.previous.auc", "off")) ? Double.NaN
                                : s.doubleValue("trigger.rollback.below.previous.auc", 0, 0, 1)),
                new Jobs(s.string("trigger.instance.id", "trigger-" + java.util.UUID.randomUUID()),
                        s.longValue("trigger.jobs.lease.ms", 60_000, 3_000, 3_600_000),
                        s.intValue("trigger.jobs.max.concurrent", 2, 1, 64),
                        s.booleanValue("trigger.jobs.process", true),
                        s.intValue("trigger.jobs.heap.mb", 2048, 128, 1 << 20),
                        s.longValue("trigger.jobs.timeout.ms", 30 * 60_000L, 1_000, 7 * 86_400_000L),
                        s.withPrefix("")),
                new Lifecycle("shadow".equals(s.choice("trigger.lifecycle", "shadow", List.of("shadow", "direct"))),
                        "shadow".equals(s.choice("trigger.lifecycle.bootstrap", "direct",
                                List.of("direct", "shadow"))),
                        new PromotionGate.Settings(
                                s.intValue("trigger.promotion.min.outcomes", 500, 30, Integer.MAX_VALUE),
                                s.doubleValue("trigger.promotion.significance", 0.05, 1e-6, 0.5),
                                s.longValue("trigger.promotion.max.probation.ms", 24 * 3_600_000L, 60_000,
                                        365L * 86_400_000L))),
                new Training(s.intValue("trigger.search.trials", 1, 1, 200),
                        s.longValue("trigger.search.budget.ms", 60_000, 1, 86_400_000L),
                        "balanced".equals(s.choice("trigger.class.weights", "none", List.of("none", "balanced"))),
                        s.booleanValue("trigger.warm.start", false)));
    }

    /** {@code trigger.min.examples.<task>} for each task that sets it. */
    private static Map<String, Integer> minExamplesByTask(Settings s) {
        Map<String, Integer> byTask = new LinkedHashMap<>();
        for (String task : List.of(ModelKey.LIQUIDATION, ModelKey.PATTERN)) {
            String name = "trigger.min.examples." + task;
            if (s.string(name, null) != null) {
                byTask.put(task, s.intValue(name, 0, 50, Integer.MAX_VALUE));
            }
        }
        return byTask;
    }

    /** The fewest stored examples a job of this task needs. */
    public int minExamples(String task) {
        return minExamplesByTask.getOrDefault(task, minExamples);
    }

    public TriggerConfig with(KafkaSettings newKafka, Database newDatabase) {
        return new TriggerConfig(newKafka, newDatabase, groupId, modelKeys, minExamples, minPositives, maxExamples,
                cooldownMs, scheduleIntervalMs, pollIntervalMs, performanceAucFloor, gates,
                holdoutFraction, trainer, numRounds, seed, inlineArtifactMaxBytes, calibration, automaticRetraining,
                trainingHalfLifeMs, signing, minExamplesByTask, rollback, jobs, lifecycle, training);
    }
}
