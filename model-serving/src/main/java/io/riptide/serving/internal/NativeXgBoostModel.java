package io.riptide.serving.internal;

import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;

/**
 * An XGBoost JSON model served by xgboost4j's native library through {@code inplace_predict} (no DMatrix).
 * Rows are converted to float, as XGBoost evaluates in single precision; NaN means missing.
 */
public final class NativeXgBoostModel implements Model {

    /** Iteration range (0, 0): every tree of the model. */
    private static final int[] FULL_MODEL = {0, 0};

    private final Booster booster;
    private final int numFeatures;
    private volatile boolean closed;

    private NativeXgBoostModel(Booster booster, int numFeatures) {
        this.booster = booster;
        this.numFeatures = numFeatures;
    }

    /** Loads XGBoost model bytes (JSON or UBJSON) with the native library. */
    public static NativeXgBoostModel fromBytes(byte[] bytes) {
        try {
            Booster booster = XGBoost.loadModel(bytes);
            booster.setParam("nthread", 1);
            return new NativeXgBoostModel(booster, (int) booster.getNumFeature());
        } catch (XGBoostError | IOException e) {
            throw new IllegalArgumentException("XGBoost cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public double predict(double[] features) {
        if (features.length != numFeatures) {
            throw new IllegalArgumentException("row has " + features.length + " features, model expects " + numFeatures);
        }
        float[] row = new float[numFeatures];
        for (int i = 0; i < numFeatures; i++) {
            row[i] = (float) features[i];
        }
        return inplace(row, 1, false)[0][0];
    }

    /** The margin (log-odds) of one row. */
    public double predictMargin(double[] features) {
        float[] row = new float[numFeatures];
        for (int i = 0; i < numFeatures; i++) {
            row[i] = (float) features[i];
        }
        return inplace(row, 1, true)[0][0];
    }

    /** Predicts rows already in float, without conversion: the cheapest native call, for benchmarks. */
    public float[][] predictFloats(float[] rowsRowMajor, int rows) {
        return inplace(rowsRowMajor, rows, false);
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        if (rows == 0) {
            return;
        }
        float[] data = new float[rows * numFeatures];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rowsRowMajor[i];
        }
        float[][] result = inplace(data, rows, false);
        for (int r = 0; r < rows; r++) {
            out[r] = result[r][0];
        }
    }

    /** Margins of a row-major batch. */
    public void predictBatchMargin(double[] rowsRowMajor, int rows, double[] out) {
        float[] data = new float[rows * numFeatures];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rowsRowMajor[i];
        }
        float[][] result = inplace(data, rows, true);
        for (int r = 0; r < rows; r++) {
            out[r] = result[r][0];
        }
    }

    private float[][] inplace(float[] data, int rows, boolean margin) {
        if (closed) {
            throw new IllegalStateException("XGBoost model is closed");
        }
        try {
            return booster.inplace_predict(data, rows, numFeatures, Float.NaN, FULL_MODEL,
                    margin ? Booster.PredictionType.kMargin : Booster.PredictionType.kValue, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost inplace_predict failed: " + e.getMessage(), e);
        }
    }

    public Booster booster() {
        return booster;
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.XGBOOST_JSON;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            booster.dispose();
        }
    }
}
