package io.riptide.topology.internal;

import io.riptide.serving.MicroBatcher;
import io.riptide.serving.Model;
import io.riptide.topology.LiveModels;
import io.riptide.topology.ServingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a micro-batch of closed bars for one horizon: each bar with the model its fallback chain picks (the
 * instrument's, its regime's, the global one or the rule), bars that share a model in one batch call. A model
 * that throws or returns a non-finite probability is replaced by the rule-based fallback for those bars, and the
 * fallback is what the prediction then names. Single-threaded (one per stream task); buffers are reused.
 */
final class HorizonScorer {
    private static final Logger LOG = LoggerFactory.getLogger(HorizonScorer.class);

    private final LiveModels liveModels;
    private final int cols;
    private final double[] groupRows;
    private final double[] groupOut;
    private final int[] groupIndex;
    private final boolean[] scored;

    HorizonScorer(LiveModels liveModels, int maxBatch, int cols) {
        this.liveModels = liveModels;
        this.cols = cols;
        this.groupRows = new double[maxBatch * cols];
        this.groupOut = new double[maxBatch];
        this.groupIndex = new int[maxBatch];
        this.scored = new boolean[maxBatch];
    }

    /** Fills {@code served[i]} and {@code probability[i]} (in [0,1]) for every bar of the batch. */
    void score(String baseKey, MicroBatcher.Batch<ClosedBar> batch, ServingModel[] served, double[] probability) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            ClosedBar bar = batch.key(i);
            served[i] = liveModels.select(baseKey, bar.instrument(), bar.regime());
            scored[i] = false;
        }
        double[] rows = batch.rowsRowMajor();
        for (int i = 0; i < n; i++) {
            if (scored[i]) {
                continue;
            }
            Model model = served[i].model();
            int size = 0;
            for (int j = i; j < n; j++) {
                if (!scored[j] && served[j].model() == model) {
                    System.arraycopy(rows, j * cols, groupRows, size * cols, cols);
                    groupIndex[size++] = j;
                    scored[j] = true;
                }
            }
            predictGroup(baseKey, served[i], size, served, probability);
        }
    }

    private void predictGroup(String baseKey, ServingModel model, int size, ServingModel[] served,
                              double[] probability) {
        try {
            model.model().predictBatch(groupRows, size, groupOut);
        } catch (RuntimeException e) {
            LOG.warn("{} failed on a batch of {}: {}; the rule-based fallback serves it", model.servedBy(), size,
                    e.toString());
            java.util.Arrays.fill(groupOut, 0, size, Double.NaN);
        }
        for (int k = 0; k < size; k++) {
            int row = groupIndex[k];
            double p = groupOut[k];
            if (!Double.isFinite(p)) {
                if (!model.isFallback()) {
                    LOG.warn("{} predicted {}; the rule-based fallback serves this bar", model.servedBy(), p);
                }
                liveModels.stats().modelFailed();
                ServingModel fallback = liveModels.fallback(baseKey);
                double[] one = java.util.Arrays.copyOfRange(groupRows, k * cols, (k + 1) * cols);
                served[row] = fallback;
                p = fallback.model().predict(one);
            }
            probability[row] = Math.max(0, Math.min(1, p));
        }
    }
}
