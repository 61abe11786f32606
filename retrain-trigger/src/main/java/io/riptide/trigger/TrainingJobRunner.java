package io.riptide.trigger;

import io.riptide.serving.ModelKey;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.serving.CalibratedModel;
import io.riptide.serving.Calibrator;
import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.ModelLoader;
import io.riptide.serving.ModelRejectedException;
import io.riptide.serving.RuleBasedLiquidationModel;
import io.riptide.serving.metrics.BinaryMetrics;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.FeatureDistribution;
import io.riptide.serving.training.HyperparameterSearch;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TimeSplit;
import io.riptide.serving.training.Trainer;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.TrainingResult;
import io.riptide.serving.training.XgBoostTrainer;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.LeaseLostException;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import io.riptide.trigger.store.TrainingJob;
import io.riptide.trigger.store.TrainingRows;
import io.riptide.trigger.gate.CandidateGate;
import io.riptide.trigger.gate.GateRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one training job end to end: load the key's examples, split them in time (purged and embargoed by the label
 * horizon), train a candidate, score candidate and champion on the same hold-out, apply the quality gates, record
 * the decision, and publish an accepted candidate as the new production version.
 */
public final class TrainingJobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobRunner.class);
    private static final double DECISION_THRESHOLD = 0.5;

    private final TriggerConfig config;
    private final ExampleStore examples;
    private final JobStore jobs;
    private final ModelRegistryStore registry;
    private final JobReporter reporter;
    private final java.time.Clock clock;

    /**
     * @param reporter  where progress, ends and promotions go
     * @param clock     market time, for when jobs finish (cooldowns run on it)
     */
    public TrainingJobRunner(TriggerConfig config, ExampleStore examples, JobStore jobs, ModelRegistryStore registry,
                             JobReporter reporter, java.time.Clock clock) {
        this.config = config;
        this.clock = clock;
        this.examples = examples;
        this.jobs = jobs;
        this.registry = registry;
        this.reporter = reporter;
    }

    /**
     * Runs the job and records its final status; never throws for a job-level failure.
     *
     * @throws LeaseLostException when another runner took the job over: this one stopped at its next step, before
     *                            any decision of its own was recorded, and the other finishes the job
     */
    public JobStatus run(TrainingJob job) {
        try {
            return runChecked(job);
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException | ModelRejectedException e) {
            LOG.error("job {} for {} failed", job.id(), job.modelKey(), e);
            return fail(job, "failed: " + e.getMessage());
        }
    }

    private JobStatus fail(TrainingJob job, String message) {
        end(job, JobStatus.FAILED, message, null, true, Map.of());
        return JobStatus.FAILED;
    }

    /**
     * Ends a job whose process died before ending it ({@link JobProcess}), by what that process recorded: a
     * version it promoted is published and the job SUCCEEDED; a rejection it decided stands; anything else (a model
     * not yet decided is discarded, and one the gate passed but the process did not promote stays unserved) ends
     * FAILED with the reason. A job that died never puts a version into service.
     *
     * @param death how the process ended ("ran out of memory (heap cap 2048 MB ...)")
     */
    JobStatus diedWithoutEnding(TrainingJob job, String death) {
        Optional<ModelRegistryStore.JobOutcome> earlier = registry.outcomeOfJob(job.id());
        int version = earlier.map(ModelRegistryStore.JobOutcome::version).orElse(0);
        String why = "the job's process " + death;
        switch (JobResumption.of(earlier)) {
            case FINISH_PROMOTED -> {
                reporter.promoted();
                return finish(job, JobStatus.SUCCEEDED, "v" + version + " promoted; then " + why, version, Map.of());
            }
            case FINISH_REJECTED -> {
                return finish(job, JobStatus.REJECTED, "v" + version + " rejected; then " + why, version, Map.of());
            }
            case DISCARD_AND_TRAIN -> registry.discardUndecided(job.id());
            case PROMOTE_AND_FINISH -> why += "; v" + version + " passed the gates but was not promoted";
            case TRAIN -> {
            }
        }
        return fail(job, "failed: " + why);
    }

    private JobStatus runChecked(TrainingJob job) throws ModelRejectedException {
        Optional<ModelRegistryStore.JobOutcome> earlier = registry.outcomeOfJob(job.id());
        int earlierVersion = earlier.map(ModelRegistryStore.JobOutcome::version).orElse(0);
        switch (JobResumption.of(earlier)) {
            case DISCARD_AND_TRAIN -> LOG.warn("job {} was cut off after training v{} and before its decision; "
                    + "discarded {} undecided model(s), training again", job.id(), earlierVersion,
                    registry.discardUndecided(job.id()));
            case FINISH_REJECTED -> {
                return finish(job, JobStatus.REJECTED, "v" + earlierVersion + " rejected (decided before a restart)",
                        earlierVersion, Map.of());
            }
            case PROMOTE_AND_FINISH -> {
                String accepted = accept(job, earlierVersion);
                return finish(job, JobStatus.SUCCEEDED, "v" + earlierVersion + " " + accepted
                        + " (decided before a restart)", earlierVersion, Map.of());
            }
            case FINISH_PROMOTED -> {
                reporter.promoted(); // the killed run may have died before its publication went out
                return finish(job, JobStatus.SUCCEEDED, "v" + earlierVersion + " promoted (before a restart)",
                        earlierVersion, Map.of());
            }
            case TRAIN -> {
            }
        }
        ModelKey key = ModelKey.parse(job.modelKey());
        progress(job, 0.05, "loading examples");
        long stageStart = System.nanoTime();
        TrainingRows rows = examples.load(key.task(), key.horizonMinutes(), key.instrumentScope(),
                key.regimeScope(), config.maxExamples());
        int minExamples = config.minExamples(key.task());
        if (rows.size() < minExamples || rows.positives() < config.minPositives()) {
            return refuse(job, "not enough data: " + rows.size() + " examples with " + rows.positives()
                    + " positives (need " + minExamples + " / " + config.minPositives() + ")");
        }
        Dataset all = new Dataset(rows.rowsRowMajor(), rows.size(), rows.featureNames(), rows.labels(),
                recencyWeights(rows.timesMs(), config.trainingHalfLifeMs()), rows.timesMs());
        TrainingSplits.Plan plan = TrainingSplits.of(rows.timesMs(), key.horizonMs(), config.holdoutFraction());
        GateRules rules = config.gates().of(job.modelKey());
        String tooSmall = TrainingSplits.shortfall(plan, rows.labels(), minSplitRows(config, key.task()), rules);
        if (!tooSmall.isEmpty()) {
            return refuse(job, "not enough data after purging label windows of " + key.horizonMinutes() + " min:"
                    + tooSmall);
        }
        Dataset train = all.select(plan.train());
        Dataset validation = all.select(plan.validation());
        Dataset holdout = all.select(plan.holdout());

        progress(job, 0.2, "training " + config.trainer() + " on " + train.rows() + " rows");
        Optional<StoredModel> champion = registry.production(job.modelKey());
        TrainingParams params = trainingParams(train, champion.filter(c -> c.featureSetHash().equals(
                rows.featureSetHash())));
        stageStart = timed(job, "load", stageStart); // the query and the splits
        Trained trained = train(train, validation, params);
        TrainingResult result = trained.result();
        stageStart = timed(job, "train", stageStart);

        progress(job, 0.7, "scoring candidate and champion on " + holdout.rows() + " hold-out rows");
        ModelArtifact artifact = result.artifact();
        Map<String, Double> candidateMetrics;
        // Calibrated as it will serve: the calibrator is fitted on the validation scores, never on the hold-out, and
        // kept only if one fitted on the older half of them also calibrates the newer half better than no calibrator.
        Calibrator calibrator;
        List<FeatureDistribution> references;
        try (Model raw = ModelLoader.load(artifact, artifact.sha256(), rows.featureSetHash(), rows.featureSetHash(),
                all.cols())) {
            double[] validationScores = new double[validation.rows()];
            raw.predictBatch(validation.matrix(), validation.rows(), validationScores);
            calibrator = Calibrator.fitIfItHoldsUp(config.calibration(), validationScores, validation.labels());
            Model serving = calibrated(raw, calibrator);
            candidateMetrics = new LinkedHashMap<>(evaluate(serving, holdout));
            candidateMetrics.put("ece_uncalibrated", evaluate(raw, holdout).get("ece"));
            // drift monitoring compares live scores, which are calibrated, with this reference
            double[] trainScores = new double[train.rows()];
            serving.predictBatch(train.matrix(), train.rows(), trainScores);
            references = new ArrayList<>(result.referenceDistributions());
            references.removeIf(d -> d.name().equals("score"));
            references.add(FeatureDistribution.of("score", trainScores, FeatureDistribution.REFERENCE_BINS));
        }
        int championVersion = 0;
        Map<String, Double> championMetrics;
        if (champion.isPresent() && champion.get().featureSetHash().equals(rows.featureSetHash())) {
            StoredModel c = champion.get();
            championVersion = c.version();
            try (Model model = calibrated(ModelLoader.load(new ModelArtifact(c.format(), c.artifact()), c.sha256(),
                    c.featureSetHash(), rows.featureSetHash(), all.cols()),
                    Calibrator.fromBytes(c.calibration().getBytes(StandardCharsets.UTF_8)))) {
                championMetrics = evaluate(model, holdout);
            }
        } else {
            try (Model fallback = new RuleBasedLiquidationModel(rows.featureNames())) {
                championMetrics = evaluate(fallback, holdout);
            }
        }

        int holdoutPositives = TrainingSplits.positives(plan.holdout(), rows.labels());
        CandidateGate.Verdict verdict = new CandidateGate(rules).judge(candidateMetrics, championMetrics,
                holdoutPositives, holdout.rows());
        if (Double.isFinite(verdict.chance())) {
            candidateMetrics.put("auc_chance", verdict.chance());
        }
        boolean promote = verdict.passed() || job.force();
        String overridden = !verdict.passed() && job.force() ? " (overridden: forced by " + job.requestedBy() + ")"
                : "";
        String reasons = verdict.reasons() + overridden;
        stageStart = timed(job, "eval", stageStart);
        progress(job, 0.9, "recording the decision"); // checks the lease: a job taken over decides nothing here
        int version = registry.nextVersion(job.modelKey());
        Map<String, Double> metrics = new LinkedHashMap<>(candidateMetrics);
        metrics.put("holdout_n", (double) holdout.rows());
        metrics.put("holdout_positives", (double) holdoutPositives);
        metrics.put("train_n", (double) train.rows());
        metrics.put("best_iteration", (double) result.bestIteration());
        metrics.putAll(trained.described());
        StoredModel stored = new StoredModel(0, job.modelKey(), version, artifact.format(), artifact.sha256(),
                key.task(), rows.featureSetHash(), rows.featureNames(), artifact.bytes(), metrics,
                referencesAsJson(references), rows.size(), rows.timesMs()[0],
                rows.timesMs()[rows.size() - 1], promote ? "CANDIDATE" : "REJECTED", System.currentTimeMillis(),
                new String(calibrator.toBytes(), StandardCharsets.UTF_8));
        long id = registry.insert(stored, job.id());
        registry.recordEvaluation(new ModelRegistryStore.Evaluation(job.id(), job.modelKey(), version,
                championVersion, holdout.timesMs()[0], holdout.timesMs()[holdout.rows() - 1], holdout.rows(),
                candidateMetrics, championMetrics, promote ? "PROMOTE" : "REJECT",
                verdict.summary() + overridden, ModelRegistryStore.Evaluation.OFFLINE));
        if (!promote) {
            timed(job, "publish", stageStart);
            return finish(job, JobStatus.REJECTED, "v" + version + " rejected: " + reasons, version, candidateMetrics);
        }
        String accepted = accept(job, version);
        timed(job, "publish", stageStart);
        LOG.info("{} v{} {} (hold-out AUC {} vs champion v{} {}), row {}", job.modelKey(), version, accepted,
                fmt(candidateMetrics.get("auc")), championVersion, fmt(championMetrics.get("auc")), id);
        return finish(job, JobStatus.SUCCEEDED, "v" + version + " " + accepted + ": " + reasons, version,
                candidateMetrics);
    }

    /**
     * The parameters a job trains with: few, correlated rows (labels overlap in time), so small trees, feature
     * bagging and L2 keep it honest; with {@code trigger.class.weights=balanced} positives weigh negatives /
     * positives, and with {@code trigger.warm.start} boosting goes on from the champion's trees where the champion
     * has the job's feature set and the trainer's format.
     */
    private TrainingParams trainingParams(Dataset train, Optional<StoredModel> sameFeatureSetChampion) {
        TrainingParams params = TrainingParams.defaults().withNumRounds(config.numRounds()).withSeed(config.seed())
                .withEarlyStoppingRounds(50).withNumLeaves(7).withMinDataInLeaf(40).withFeatureFraction(0.5)
                .withLambdaL2(5);
        TriggerConfig.Training training = config.training();
        if (training.balancedClassWeights()) {
            int positives = 0;
            for (double y : train.labels()) {
                positives += y > 0.5 ? 1 : 0;
            }
            if (positives > 0 && positives < train.rows()) {
                params = params.withScalePosWeight((train.rows() - positives) / (double) positives);
            }
        }
        String format = config.trainer().equals("xgboost") ? ModelFormats.XGBOOST_JSON : ModelFormats.LIGHTGBM_TEXT;
        if (training.warmStart() && sameFeatureSetChampion.isPresent()
                && sameFeatureSetChampion.get().format().equals(format)) {
            StoredModel c = sameFeatureSetChampion.get();
            params = params.withWarmStart(new ModelArtifact(c.format(), c.artifact()));
        }
        return params;
    }

    /** What training produced, and how: the parameters kept and the trials a search ran. */
    private record Trained(TrainingResult result, TrainingParams params, int trials) {
        /** Stored with the version's metrics, so the registry says how each version was trained. */
        Map<String, Double> described() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("search_trials", (double) trials);
            m.put("scale_pos_weight", params.scalePosWeight());
            m.put("warm_start", params.warmStart() == null ? 0.0 : 1.0);
            m.put("learning_rate", params.learningRate());
            m.put("num_leaves", (double) params.numLeaves());
            return m;
        }
    }

    /**
     * Trains with {@code params}, or with {@code trigger.search.trials} > 1 searches around them within
     * {@code trigger.search.budget.ms} (HyperparameterSearch: the defaults first, then random sets, the lowest
     * validation log-loss kept; the hold-out is never seen).
     */
    private Trained train(Dataset train, Dataset validation, TrainingParams params) {
        TriggerConfig.Training training = config.training();
        if (training.searchTrials() <= 1) {
            return new Trained(trainer().train(train, validation, params), params, 1);
        }
        HyperparameterSearch.Outcome search = HyperparameterSearch.random(trainer(), train, validation, params,
                training.searchTrials(), Duration.ofMillis(training.searchBudgetMs()), config.seed());
        return new Trained(search.best(), search.bestParams(), search.trials().size());
    }

    /**
     * Puts a candidate that passed its gates into service as the lifecycle says: the key's shadow, judged on live
     * outcomes before it serves ({@code trigger.lifecycle=shadow}), or production at once.
     *
     * @return what it became, for the job's message: "promoted" or "shadowing"
     */
    private String accept(TrainingJob job, int version) {
        String why = job.trigger() + ": " + job.reason();
        if (config.lifecycle().shadows(job.modelKey(), registry.productionVersion(job.modelKey()) != 0)) {
            registry.makeShadow(job.modelKey(), version, job.requestedBy(), why,
                    "shadow from job " + job.id() + " (" + job.trigger() + ")", clock.millis());
            reporter.promoted();
            return "shadowing";
        }
        registry.makeProduction(job.modelKey(), version, "PROMOTE", job.requestedBy(), why,
                "promoted by job " + job.id() + " (" + job.trigger() + ")");
        reporter.promoted();
        return "promoted";
    }

    /** Reports the stage that started at {@code startNanos}; returns now, when the next one starts. */
    private long timed(TrainingJob job, String stage, long startNanos) {
        long now = System.nanoTime();
        reporter.stageTimed(job, stage, now - startNanos);
        return now;
    }

    /** The smallest weight a row gets: old rows still count a little (and never vanish numerically). */
    static final double MIN_WEIGHT = 0.02;

    /**
     * 2^(-age / half-life) per row, age before the newest row in market time, floored at {@value #MIN_WEIGHT}; null
     * (every row weighs 1) when the half-life is 0.
     */
    static double[] recencyWeights(long[] timesMs, long halfLifeMs) {
        if (halfLifeMs <= 0 || timesMs.length == 0) {
            return null;
        }
        long newest = Long.MIN_VALUE;
        for (long t : timesMs) {
            newest = Math.max(newest, t);
        }
        double[] w = new double[timesMs.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(MIN_WEIGHT, Math.pow(2, -(double) (newest - timesMs[i]) / halfLifeMs));
        }
        return w;
    }

    /** The fewest rows a split needs. */
    static int minSplitRows(TriggerConfig config, String task) {
        return config.minExamples(task) / 10;
    }

    /**
     * A job that could not train for lack of data ends REJECTED without starting its key's cooldown: nothing was
     * trained, and the policy queues the next one as soon as the data is there.
     */
    private JobStatus refuse(TrainingJob job, String why) {
        return end(job, JobStatus.REJECTED, why, null, false, Map.of());
    }

    private Trainer trainer() {
        return config.trainer().equals("xgboost") ? new XgBoostTrainer() : new LightGbmTrainer();
    }

    private static Model calibrated(Model model, Calibrator calibrator) {
        return calibrator.method().equals("none") ? model : new CalibratedModel(model, calibrator);
    }

    private static Map<String, Double> evaluate(Model model, Dataset holdout) {
        double[] scores = new double[holdout.rows()];
        model.predictBatch(holdout.matrix(), holdout.rows(), scores);
        return BinaryMetrics.all(scores, holdout.labels(), DECISION_THRESHOLD);
    }

    private static List<Map<String, Object>> referencesAsJson(List<FeatureDistribution> distributions) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (FeatureDistribution d : distributions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("binEdges", d.binEdges());
            m.put("binFractions", d.binFractions());
            json.add(m);
        }
        return json;
    }

    private void progress(TrainingJob job, double progress, String message) {
        jobs.progress(job, progress, message);
        reporter.progress(job, progress, message);
    }

    private JobStatus finish(TrainingJob job, JobStatus status, String message, Integer version,
                             Map<String, Double> metrics) {
        return end(job, status, message, version, true, metrics);
    }

    private JobStatus end(TrainingJob job, JobStatus status, String message, Integer version, boolean startsCooldown,
                          Map<String, Double> metrics) {
        if (!jobs.finish(job, status.name(), message, version, clock.millis(), startsCooldown)) {
            throw new LeaseLostException(job);
        }
        reporter.ended(job, status, message, version, metrics);
        LOG.info("job {} ({}, {}) {}: {}", job.id(), job.modelKey(), job.trigger(), status, message);
        return status;
    }

    private static String fmt(Double value) {
        return value == null || value.isNaN() ? "n/a" : String.format("%.4f", value);
    }
}
