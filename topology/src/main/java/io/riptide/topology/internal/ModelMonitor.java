package io.riptide.topology.internal;

import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.schemas.avro.SampleKind;
import io.riptide.schemas.avro.Severity;
import io.riptide.serving.metrics.BinaryMetrics;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches each model version's traffic (re-keyed by model key so one task sees all of it, and put back in
 * event-time order by {@link SampleReorder}): every
 * {@code driftWindow} predictions it compares the score and feature distributions with the version's training
 * reference (PSI) and emits drift events; every {@code performanceWindow} resolved outcomes it emits a performance
 * report over the last window.
 */
public final class ModelMonitor implements Processor<String, MonitoringSample, String, Object> {
    static final double PSI_WARNING = 0.1;
    static final double PSI_CRITICAL = 0.25;
    /** Standard-normal quantiles of the chance a stable feature is flagged anyway: 1e-3 (warning), 1e-5 (critical). */
    private static final double Z_WARNING = 3.090;
    private static final double Z_CRITICAL = 4.265;
    static final String SCORE = "score";

    private final StreamConfig config;
    private final LiveModels liveModels;
    private final Map<String, Integer> featureIndex = new java.util.HashMap<>();
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
        this.store = context.getStateStore(NodeNames.MODEL_MONITOR_STORE);
        this.reorder = new SampleReorder(store, config.input().idleWallMs(), config.input().idleEventMs());
        context.schedule(java.time.Duration.ofSeconds(1), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                wallNow -> reorder.release(wallNow, this::monitor));
    }

    @Override
    public void process(Record<String, MonitoringSample> record) {
        reorder.offer(record.value(), context.currentSystemTimeMs(), this::monitor);
    }

    /** One sample, in event-time order. */
    private void monitor(MonitoringSample sample) {
        long timestamp = sample.getAtMs();
        String stateKey = sample.getModelKey() + "@" + sample.getModelVersion();
        byte[] stored = store.get(stateKey);
        MonitorState state = stored == null ? MonitorState.empty(config.monitoring().performanceWindow())
                : MonitorState.fromBytes(stored);
        if (sample.getKind() == SampleKind.PREDICTION) {
            onPrediction(sample, state, timestamp);
        } else {
            onOutcome(sample, state, timestamp);
        }
        store.put(stateKey, state.toBytes());
    }

    private void onPrediction(MonitoringSample sample, MonitorState state, long timestamp) {
        Optional<ServingModel> model = liveModels.find(sample.getModelKey(), sample.getModelVersion());
        if (model.isEmpty() || model.get().references().isEmpty()) {
            return; // the fallback has no training reference to drift from
        }
        List<ReferenceDistribution> references = model.get().references();
        state.ensureDriftBins(references);
        for (int r = 0; r < references.size(); r++) {
            double value = valueOf(references.get(r).getName(), sample);
            if (!Double.isNaN(value)) {
                state.driftCounts[r][binOf(references.get(r).getBinEdges(), value)]++;
            }
        }
        state.driftSamples++;
        if (state.driftSamples >= config.monitoring().driftWindow()) {
            emitDrift(sample, state, references, timestamp);
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

    private void emitDrift(MonitoringSample sample, MonitorState state, List<ReferenceDistribution> references,
                           long timestamp) {
        for (int r = 0; r < references.size(); r++) {
            ReferenceDistribution reference = references.get(r);
            long[] counts = state.driftCounts[r];
            double psi = psi(reference.getBinFractions(), counts);
            long n = java.util.Arrays.stream(counts).sum();
            int bins = reference.getBinFractions().size();
            double warning = warningThreshold(bins, n);
            double critical = criticalThreshold(bins, n);
            boolean isScore = SCORE.equals(reference.getName());
            if (!isScore && psi < warning) {
                continue; // stable features are summarised by the score's event; only movers are reported
            }
            Severity severity = psi >= critical ? Severity.CRITICAL : psi >= warning ? Severity.WARNING : Severity.INFO;
            context.forward(new Record<>(sample.getModelKey(), DriftEvent.newBuilder()
                    .setEventId(sample.getModelKey() + "@" + sample.getModelVersion() + "|" + reference.getName()
                            + "|" + timestamp)
                    .setTimeMs(timestamp).setModelKey(sample.getModelKey()).setModelVersion(sample.getModelVersion())
                    .setDetector("PSI").setSubject(reference.getName()).setStatistic(psi)
                    .setThreshold(psi >= critical ? critical : warning).setSeverity(severity)
                    .setWindowSize((int) state.driftSamples).build(), timestamp), NodeNames.DRIFT_SINK);
        }
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

    private void onOutcome(MonitoringSample sample, MonitorState state, long timestamp) {
        state.addOutcome(sample.getProbability(), sample.getLabel() == null ? 0 : sample.getLabel(),
                sample.getTimeMs());
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
                .setReportId(sample.getModelKey() + "@" + sample.getModelVersion() + "|" + timestamp)
                .setTimeMs(timestamp).setModelKey(sample.getModelKey()).setModelVersion(sample.getModelVersion())
                .setWindowStartMs(state.windowStartMs()).setWindowEndMs(sample.getTimeMs())
                .setN(scores.length).setPositives(positives)
                .setAuc(Double.isNaN(auc) ? null : auc)
                .setF1(m.get("f1")).setPrecision(m.get("precision")).setRecall(m.get("recall"))
                .setBrier(m.get("brier")).setLogLoss(m.get("log_loss")).build(), timestamp),
                NodeNames.PERFORMANCE_SINK);
    }
}
