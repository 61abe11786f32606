package io.riptide.topology.internal;

import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.schemas.avro.SampleKind;
import io.riptide.schemas.avro.Severity;
import io.riptide.serving.drift.Adwin;
import io.riptide.serving.drift.BinnedReference;
import io.riptide.serving.drift.Detection;
import io.riptide.serving.drift.DriftDetector;
import io.riptide.serving.drift.DistributionCheck;
import io.riptide.serving.drift.KolmogorovSmirnov;
import io.riptide.serving.drift.PageHinkley;
import io.riptide.serving.metrics.BinaryMetrics;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Watches each model version's traffic (re-keyed by model key so one task sees all of it, and put back in
 * event-time order by {@link SampleReorder}) and reports drift and performance:
 * <ul>
 *   <li>data drift: every {@code stream.drift.window} predictions, PSI and Kolmogorov-Smirnov of the score and of
 *       each feature against the version's training reference (the score's events always, a feature's when it
 *       reaches WARNING). WARNING at most: a market's regimes move feature and score distributions all the time
 *       (the backtest measured dozens of significant windows per calm day), and a distribution that moved while the
 *       model still ranks well is no reason to retrain; data drift explains, concept drift acts;</li>
 *   <li>concept drift: ADWIN and Page-Hinkley on each resolved outcome's log-loss, CRITICAL when the model's
 *       loss rises (ADWIN's cuts to a lower loss are reported as INFO);</li>
 *   <li>performance: every {@code stream.performance.window} outcomes, AUC, F1, precision, recall, Brier and
 *       log-loss of the latest window.</li>
 * </ul>
 * Every drift event names its detector, statistic, threshold and window. The trigger retrains on CRITICAL ones.
 */
public final class ModelMonitor implements Processor<String, MonitoringSample, String, Object> {
    static final double PSI_WARNING = 0.1;
    static final double PSI_CRITICAL = 0.25;
    /** Standard-normal quantiles of the chance a stable feature is flagged anyway: 1e-3 (warning), 1e-5 (critical). */
    private static final double Z_WARNING = 3.090;
    private static final double Z_CRITICAL = 4.265;
    static final String SCORE = "score";
    static final String LOG_LOSS = "log_loss";
    static final String PSI = "PSI";

    private final StreamConfig config;
    private final LiveModels liveModels;
    private final Map<String, Integer> featureIndex = new HashMap<>();
    private final KolmogorovSmirnov ks = new KolmogorovSmirnov();
    /** The states of the versions seen since the task started; the changed ones are written at each commit. */
    private final Map<String, MonitorState> states = new HashMap<>();
    private final java.util.Set<String> changed = new java.util.HashSet<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private SampleReorder reorder;

    public ModelMonitor(StreamConfig config, LiveModels liveModels, List<String> featureNames) {
        this.config = config;
        this.liveModels = liveModels;
        for (int i = 0; i < featureNames.size(); i++) {
            featureIndex.put(featureNames.get(i), i);
        }
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        CommitHookStore durable = context.getStateStore(NodeNames.MODEL_MONITOR_STORE);
        this.store = durable.inner();
        durable.beforeCommit(this::commit);
        this.reorder = new SampleReorder(store, config.input().idleWallMs(), config.input().idleEventMs());
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME,
                wallNow -> reorder.release(wallNow, this::monitor));
    }

    @Override
    public void process(Record<String, MonitoringSample> record) {
        reorder.offer(record.value(), context.currentSystemTimeMs(), this::monitor);
    }

    /** One sample, in event-time order. */
    private void monitor(MonitoringSample sample) {
        String stateKey = sample.getModelKey() + "@" + sample.getModelVersion();
        MonitorState state = states.computeIfAbsent(stateKey, k -> {
            byte[] stored = store.get(k);
            return stored == null ? newState() : MonitorState.fromBytes(stored);
        });
        if (sample.getKind() == SampleKind.PREDICTION) {
            onPrediction(sample, state);
        } else {
            onOutcome(sample, state);
        }
        changed.add(stateKey);
    }

    /** Makes the commit's changes durable: each changed state once, and the samples still waiting for their turn. */
    private void commit() {
        for (String key : changed) {
            store.put(key, states.get(key).toBytes());
        }
        changed.clear();
        reorder.commit();
    }

    private MonitorState newState() {
        StreamConfig.Monitoring m = config.monitoring();
        return MonitorState.empty(m.performanceWindow(),
                new Adwin(Adwin.Config.defaults().withDelta(m.adwinDelta()).withRange(m.lossClip())),
                new PageHinkley(m.phDelta(), m.phLambda()));
    }

    private void onPrediction(MonitoringSample sample, MonitorState state) {
        Optional<ServingModel> model = liveModels.find(sample.getModelKey(), sample.getModelVersion());
        if (model.isEmpty() || model.get().references().isEmpty()) {
            return; // the fallback has no training reference to drift from
        }
        List<ReferenceDistribution> references = model.get().references();
        state.ensureDriftBins(references);
        if (state.driftWindowStartMs == Long.MIN_VALUE) {
            state.driftWindowStartMs = sample.getAtMs();
        }
        for (int r = 0; r < references.size(); r++) {
            double value = valueOf(references.get(r).getName(), sample);
            if (!Double.isNaN(value)) {
                state.driftCounts[r][binOf(references.get(r).getBinEdges(), value)]++;
            }
        }
        state.driftSamples++;
        if (state.driftSamples >= config.monitoring().driftWindow()) {
            emitDataDrift(sample, state, references);
            state.resetDrift();
        }
    }

    private double valueOf(String name, MonitoringSample sample) {
        if (SCORE.equals(name)) {
            return sample.getProbability();
        }
        Integer index = featureIndex.get(name);
        return index == null || index >= sample.getFeatures().size() ? Double.NaN : sample.getFeatures().get(index);
    }

    static int binOf(List<Double> innerEdges, double value) {
        int lo = 0;
        int hi = innerEdges.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value >= innerEdges.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Population stability index with a small floor so empty bins do not explode the logarithm. */
    static double psi(List<Double> expectedFractions, long[] actualCounts) {
        long total = 0;
        for (long c : actualCounts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double psi = 0;
        for (int i = 0; i < actualCounts.length && i < expectedFractions.size(); i++) {
            double expected = Math.max(expectedFractions.get(i), 1e-4);
            double actual = Math.max((double) actualCounts[i] / total, 1e-4);
            psi += (actual - expected) * Math.log(actual / expected);
        }
        return psi;
    }

    private void emitDataDrift(MonitoringSample sample, MonitorState state, List<ReferenceDistribution> references) {
        long at = sample.getAtMs();
        for (int r = 0; r < references.size(); r++) {
            ReferenceDistribution reference = references.get(r);
            long[] counts = state.driftCounts[r];
            long n = java.util.Arrays.stream(counts).sum();
            if (n == 0) {
                continue;
            }
            boolean isScore = SCORE.equals(reference.getName());
            int bins = reference.getBinFractions().size();
            double psi = psi(reference.getBinFractions(), counts);
            double warning = warningThreshold(bins, n);
            double critical = criticalThreshold(bins, n);
            Severity psiSeverity = psi >= warning ? Severity.WARNING : Severity.INFO;
            if (isScore || psiSeverity != Severity.INFO) {
                emit(sample, state, at, PSI, reference.getName(), psi, psi >= critical ? critical : warning,
                        psiSeverity, n, null);
            }
            DistributionCheck check;
            try {
                check = ks.check(BinnedReference.of(reference.getBinEdges(), reference.getBinFractions()), counts);
            } catch (IllegalArgumentException e) {
                continue; // a reference KS cannot read (e.g. one bin): PSI alone speaks for it
            }
            Severity ksSeverity = check.level() == DistributionCheck.Level.NONE ? Severity.INFO : Severity.WARNING;
            if (isScore || ksSeverity != Severity.INFO) {
                emit(sample, state, at, KolmogorovSmirnov.NAME, reference.getName(), check.statistic(),
                        check.threshold(), ksSeverity, n, String.format(Locale.ROOT,
                                "largest CDF gap %.3f at %.4g (reference %.3f, live %.3f)", check.statistic(),
                                check.edge(), check.referenceCdf(), check.liveCdf()));
            }
        }
    }

    private void emit(MonitoringSample sample, MonitorState state, long at, String detector, String subject,
                      double statistic, double threshold, Severity severity, long window, String detail) {
        context.forward(new Record<>(sample.getModelKey(), DriftEvent.newBuilder()
                .setEventId(sample.getModelKey() + "@" + sample.getModelVersion() + "|" + detector + "|" + subject
                        + "|" + at)
                .setTimeMs(at).setModelKey(sample.getModelKey()).setModelVersion(sample.getModelVersion())
                .setDetector(detector).setSubject(subject).setStatistic(statistic).setThreshold(threshold)
                .setSeverity(severity).setWindowSize((int) Math.min(Integer.MAX_VALUE, window))
                .setWindowStartMs(state.driftWindowStartMs == Long.MIN_VALUE ? null : state.driftWindowStartMs)
                .setWindowEndMs(at).setDetail(detail).build(), at), NodeNames.DRIFT_SINK);
    }

    /**
     * The PSI a window of {@code n} values must reach to be a warning: the usual 0.1, or more where sampling alone
     * makes a stable distribution reach 0.1 often. n * PSI of a sample from the reference itself is about
     * chi-square with bins - 1 degrees of freedom (PSI is the symmetric Kullback-Leibler divergence, whose
     * second-order term is Pearson's statistic / n); with 10 bins and 120 values a stable feature passes 0.1 in
     * about one window in four, so the threshold is raised to the chi-square quantile a stable feature would pass
     * once in a thousand windows (PSI's heavier tail makes it a few in a thousand; ModelMonitorTest bounds it).
     */
    static double warningThreshold(int bins, long n) {
        return Math.max(PSI_WARNING, chiSquareQuantile(bins - 1, Z_WARNING) / Math.max(1, n));
    }

    /** As {@link #warningThreshold}, at 0.25 or the quantile a stable feature passes once in 100,000 windows. */
    static double criticalThreshold(int bins, long n) {
        return Math.max(PSI_CRITICAL, chiSquareQuantile(bins - 1, Z_CRITICAL) / Math.max(1, n));
    }

    /** Wilson-Hilferty: the chi-square quantile with {@code dof} degrees of freedom at standard-normal quantile z. */
    static double chiSquareQuantile(int dof, double z) {
        int k = Math.max(1, dof);
        double a = 2.0 / (9.0 * k);
        return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    private void onOutcome(MonitoringSample sample, MonitorState state) {
        int label = sample.getLabel() == null ? 0 : sample.getLabel();
        long at = sample.getAtMs();
        state.addOutcome(sample.getProbability(), label, sample.getTimeMs());
        double loss = BinaryMetrics.clippedLogLoss(sample.getProbability(), label, config.monitoring().lossClip());
        Detection cut = DriftDetector.watchLoss(state.adwin, loss);
        if (cut != null) {
            emit(sample, state, at, Adwin.NAME, LOG_LOSS, cut.statistic(), cut.threshold(),
                    cut.isRise() ? Severity.CRITICAL : Severity.INFO, cut.sizeBefore() + cut.sizeAfter(),
                    String.format(Locale.ROOT, "mean log-loss %.3f -> %.3f over %d | %d outcomes", cut.meanBefore(),
                            cut.meanAfter(), cut.sizeBefore(), cut.sizeAfter()));
        }
        Detection rise = DriftDetector.watchLoss(state.pageHinkley, loss);
        if (rise != null) {
            emit(sample, state, at, PageHinkley.NAME, LOG_LOSS, rise.statistic(), rise.threshold(), Severity.CRITICAL,
                    rise.sizeBefore() + rise.sizeAfter(), String.format(Locale.ROOT,
                            "mean log-loss %.3f -> %.3f (cumulative rise %.1f over the tolerance)", rise.meanBefore(),
                            rise.meanAfter(), rise.statistic()));
        }
        if (state.outcomesSinceReport < config.monitoring().performanceWindow()) {
            return;
        }
        state.outcomesSinceReport = 0;
        double[] scores = state.windowScores();
        double[] labels = state.windowLabels();
        Map<String, Double> m = BinaryMetrics.all(scores, labels, 0.5);
        int positives = 0;
        for (double l : labels) {
            positives += l > 0.5 ? 1 : 0;
        }
        double auc = m.getOrDefault("auc", Double.NaN);
        context.forward(new Record<>(sample.getModelKey(), PerformanceReport.newBuilder()
                .setReportId(sample.getModelKey() + "@" + sample.getModelVersion() + "|" + at)
                .setTimeMs(at).setModelKey(sample.getModelKey()).setModelVersion(sample.getModelVersion())
                .setWindowStartMs(state.windowStartMs()).setWindowEndMs(sample.getTimeMs())
                .setN(scores.length).setPositives(positives)
                .setAuc(Double.isNaN(auc) ? null : auc)
                .setF1(m.get("f1")).setPrecision(m.get("precision")).setRecall(m.get("recall"))
                .setBrier(m.get("brier")).setLogLoss(m.get("log_loss")).build(), at),
                NodeNames.PERFORMANCE_SINK);
    }
}
