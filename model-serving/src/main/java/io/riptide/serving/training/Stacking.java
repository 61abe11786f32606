package io.riptide.serving.training;

import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.LogisticFit;
import io.riptide.serving.internal.XgBoostJavaModel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacking: base learners (e.g. LightGBM and XGBoost) plus a logistic meta-learner over the logits of their
 * probabilities, fitted on out-of-fold predictions so that it never sees a base model's score on the base
 * model's own training rows. Folds are contiguous blocks in row order (time order for time-sorted data).
 */
public final class Stacking {

    /** The fitted ensemble: base artifacts trained on all rows, and the meta-learner's weights (intercept first). */
    public record Result(List<ModelArtifact> baseArtifacts, double[] metaWeights, double[] outOfFoldScores) {

        /** A serving model over the base artifacts (pure-Java evaluators). */
        public Model model() {
            List<Model> bases = new ArrayList<>();
            for (ModelArtifact a : baseArtifacts) {
                bases.add(load(a));
            }
            return new StackedModel(bases, metaWeights);
        }
    }

    private Stacking() {
    }

    public static Result fit(List<Trainer> trainers, Dataset data, TrainingParams params, int folds) {
        if (trainers.isEmpty()) {
            throw new IllegalArgumentException("stacking needs at least one base trainer");
        }
        if (folds < 2 || folds > data.rows()) {
            throw new IllegalArgumentException("stacking needs 2.." + data.rows() + " folds, got " + folds);
        }
        int n = data.rows();
        int m = trainers.size();
        double[][] oof = new double[n][m];
        for (int f = 0; f < folds; f++) {
            int from = (int) ((long) n * f / folds);
            int to = (int) ((long) n * (f + 1) / folds);
            int[] trainIdx = new int[n - (to - from)];
            int[] testIdx = new int[to - from];
            for (int i = 0, a = 0, b = 0; i < n; i++) {
                if (i >= from && i < to) {
                    testIdx[b++] = i;
                } else {
                    trainIdx[a++] = i;
                }
            }
            Dataset foldTrain = data.select(trainIdx);
            Dataset foldTest = data.select(testIdx);
            for (int j = 0; j < m; j++) {
                ModelArtifact a = trainers.get(j).train(foldTrain, null, params.withEarlyStoppingRounds(0)).artifact();
                try (Model model = load(a)) {
                    double[] out = new double[foldTest.rows()];
                    model.predictBatch(foldTest.matrix(), foldTest.rows(), out);
                    for (int k = 0; k < testIdx.length; k++) {
                        oof[testIdx[k]][j] = out[k];
                    }
                }
            }
        }
        double[][] logits = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                logits[i][j] = LogisticFit.logit(oof[i][j]);
            }
        }
        double[] w = LogisticFit.fit(logits, data.labels(), 1e-3, 50);
        double[] oofScores = new double[n];
        for (int i = 0; i < n; i++) {
            double z = w[0];
            for (int j = 0; j < m; j++) {
                z += w[j + 1] * logits[i][j];
            }
            oofScores[i] = 1 / (1 + Math.exp(-z));
        }
        List<ModelArtifact> bases = new ArrayList<>();
        for (Trainer t : trainers) {
            bases.add(t.train(data, null, params.withEarlyStoppingRounds(0)).artifact());
        }
        return new Result(List.copyOf(bases), w, oofScores);
    }

    static Model load(ModelArtifact a) {
        return switch (a.format()) {
            case ModelFormats.LIGHTGBM_TEXT -> LightGbmJavaModel.parse(new String(a.bytes(), StandardCharsets.UTF_8));
            case ModelFormats.XGBOOST_JSON -> XgBoostJavaModel.parse(a.bytes());
            default -> throw new IllegalArgumentException("stacking cannot load a " + a.format() + " model");
        };
    }

    /** sigmoid(w0 + sum_j w_j * logit(p_j)). */
    static final class StackedModel implements Model {
        private final Model[] bases;
        private final double[] w;

        StackedModel(List<Model> bases, double[] w) {
            this.bases = bases.toArray(Model[]::new);
            this.w = w.clone();
        }

        @Override
        public double predict(double[] features) {
            double z = w[0];
            for (int j = 0; j < bases.length; j++) {
                z += w[j + 1] * LogisticFit.logit(bases[j].predict(features));
            }
            return 1 / (1 + Math.exp(-z));
        }

        @Override
        public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
            double[] row = new double[numFeatures()];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(rowsRowMajor, r * row.length, row, 0, row.length);
                out[r] = predict(row);
            }
        }

        @Override
        public int numFeatures() {
            return bases[0].numFeatures();
        }

        @Override
        public String format() {
            return "stacking";
        }

        @Override
        public void close() {
            for (Model b : bases) {
                b.close();
            }
        }
    }
}
