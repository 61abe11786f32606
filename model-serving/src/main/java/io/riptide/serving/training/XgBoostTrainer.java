package io.riptide.serving.training;

import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.internal.NativeXgBoostModel;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Trains XGBoost (gbtree, hist, binary:logistic) through xgboost4j's Java API, deterministically.
 *
 * <p>Early stopping watches the validation log-loss round by round; the artifact keeps exactly the best
 * rounds (the run is repeated to that length, which is deterministic, rather than slicing the model).
 * Warm start loads the previous model and continues boosting from its trees.
 */
public final class XgBoostTrainer implements Trainer {

    private final Map<String, Object> extraParameters;

    public XgBoostTrainer() {
        this(Map.of());
    }

    /** With extra XGBoost parameters that override the derived ones (e.g. {@code max_bin}, {@code gamma}). */
    public XgBoostTrainer(Map<String, Object> extraParameters) {
        this.extraParameters = Map.copyOf(extraParameters);
    }

    @Override
    public TrainingResult train(Dataset train, Dataset validation, TrainingParams params) {
        TrainingOutcome.requireTrainable(train, validation);
        if (params.warmStart() != null && !ModelFormats.XGBOOST_JSON.equals(params.warmStart().format())) {
            throw new IllegalArgumentException("XGBoost cannot warm-start from a " + params.warmStart().format()
                    + " model");
        }
        DMatrix dtrain = null;
        DMatrix dvalid = null;
        try {
            dtrain = matrix(train);
            boolean hasValidation = validation != null && validation.rows() > 0;
            dvalid = hasValidation ? matrix(validation) : null;
            Map<String, Object> p = parameters(params, train);
            p.putAll(extraParameters);
            int rounds = params.numRounds();
            int best = rounds;
            if (hasValidation && params.earlyStoppingRounds() > 0) {
                best = bestRounds(dtrain, dvalid, p, params);
            }
            Booster booster = boost(dtrain, p, params, best);
            try {
                byte[] json = booster.toByteArray("json");
                ModelArtifact artifact = new ModelArtifact(ModelFormats.XGBOOST_JSON, json);
                try (NativeXgBoostModel model = NativeXgBoostModel.fromBytes(json)) {
                    return TrainingOutcome.of(artifact, model, train, validation, best, params.calibration());
                }
            } finally {
                booster.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (dtrain != null) {
                dtrain.dispose();
            }
            if (dvalid != null) {
                dvalid.dispose();
            }
        }
    }

    private static int bestRounds(DMatrix dtrain, DMatrix dvalid, Map<String, Object> p, TrainingParams params)
            throws XGBoostError {
        Booster booster = start(dtrain, p, params);
        try {
            int offset = previousRounds(booster, params);
            double bestLoss = Double.POSITIVE_INFINITY;
            int best = 1;
            for (int i = 1; i <= params.numRounds(); i++) {
                booster.update(dtrain, offset + i - 1);
                String eval = booster.evalSet(new DMatrix[] {dvalid}, new String[] {"valid"}, offset + i - 1);
                double loss = parseLogLoss(eval);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    best = i;
                } else if (i - best >= params.earlyStoppingRounds()) {
                    break;
                }
            }
            return best;
        } finally {
            booster.dispose();
        }
    }

    private static Booster boost(DMatrix dtrain, Map<String, Object> p, TrainingParams params, int rounds)
            throws XGBoostError {
        Booster booster = start(dtrain, p, params);
        int offset = previousRounds(booster, params);
        for (int i = 0; i < rounds; i++) {
            booster.update(dtrain, offset + i);
        }
        return booster;
    }

    private static Booster start(DMatrix dtrain, Map<String, Object> p, TrainingParams params) throws XGBoostError {
        if (params.warmStart() == null) {
            return XGBoost.train(dtrain, p, 0, new HashMap<>(), null, null);
        }
        try {
            Booster booster = XGBoost.loadModel(params.warmStart().bytes());
            booster.setParams(p);
            int cols = dtrain.getFeatureNames().length;
            if (booster.getNumFeature() != cols) {
                booster.dispose();
                throw new IllegalArgumentException("warm-start model has " + booster.getNumFeature()
                        + " features, dataset has " + cols);
            }
            return booster;
        } catch (IOException e) {
            throw new IllegalArgumentException("warm-start model does not load: " + e.getMessage(), e);
        }
    }

    private static int previousRounds(Booster booster, TrainingParams params) throws XGBoostError {
        return params.warmStart() == null ? 0 : booster.getNumBoostedRound();
    }

    /** Reads "valid-logloss:0.1234" out of "[3]\tvalid-logloss:0.1234". */
    static double parseLogLoss(String eval) {
        int at = eval.indexOf("valid-logloss:");
        if (at < 0) {
            throw new IllegalStateException("XGBoost evaluation has no valid-logloss: " + eval);
        }
        String rest = eval.substring(at + "valid-logloss:".length()).strip();
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        return Double.parseDouble(rest.substring(0, end));
    }

    static Map<String, Object> parameters(TrainingParams params, Dataset train) {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("eval_metric", "logloss");
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        p.put("eta", params.learningRate());
        p.put("max_depth", params.maxDepth() == -1 ? 6 : params.maxDepth());
        p.put("min_child_weight", Math.max(1.0, params.minDataInLeaf() / 20.0));
        p.put("subsample", params.baggingFraction());
        p.put("colsample_bytree", params.featureFraction());
        p.put("lambda", params.lambdaL2());
        p.put("seed", params.seed());
        p.put("nthread", params.numThreads());
        p.put("verbosity", 0);
        double spw = params.scalePosWeight();
        if (params.unbalanced()) {
            int pos = train.positives();
            spw = (train.rows() - pos) / (double) pos;
        }
        p.put("scale_pos_weight", spw);
        return p;
    }

    private static DMatrix matrix(Dataset d) throws XGBoostError {
        float[] data = new float[d.rows() * d.cols()];
        double[] m = d.matrix();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) m[i];
        }
        DMatrix matrix = new DMatrix(data, d.rows(), d.cols(), Float.NaN);
        float[] labels = new float[d.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (float) d.labels()[i];
        }
        matrix.setLabel(labels);
        if (d.weights() != null) {
            float[] w = new float[d.rows()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) d.weights()[i];
            }
            matrix.setWeight(w);
        }
        matrix.setFeatureNames(d.featureNames().toArray(String[]::new));
        return matrix;
    }
}
