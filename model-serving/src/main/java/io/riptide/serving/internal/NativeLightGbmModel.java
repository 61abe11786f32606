package io.riptide.serving.internal;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;

/**
 * A LightGBM text model served by the official native library (lightgbmlib JNI).
 *
 * <p>Single rows go through {@code LGBM_BoosterPredictForMatSingleRowFast} with a prepared fast config;
 * batches through {@code LGBM_BoosterPredictForMat}. Calls are serialised: the fast config owns one
 * native row buffer, and closing must not race a prediction.
 */
public final class NativeLightGbmModel implements Model {

    private final int numFeatures;
    private final String parameters;
    private SWIGTYPE_p_void booster;
    private SWIGTYPE_p_void fastNormal;
    private SWIGTYPE_p_void fastRaw;
    private final SWIGTYPE_p_long_long outLength;
    private final SWIGTYPE_p_double outValue;

    private NativeLightGbmModel(SWIGTYPE_p_void booster, int numFeatures, int numThreads) {
        this.booster = booster;
        this.numFeatures = numFeatures;
        this.parameters = "num_threads=" + numThreads;
        this.outLength = lightgbmlib.new_int64_tp();
        this.outValue = lightgbmlib.new_doubleArray(1);
        this.fastNormal = fastConfig(lightgbmlibConstants.C_API_PREDICT_NORMAL);
        this.fastRaw = fastConfig(lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
    }

    /** Parses a LightGBM text model with the native library. */
    public static NativeLightGbmModel fromString(String modelText) {
        LightGbmNative.ensureLoaded();
        SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
        SWIGTYPE_p_p_void handle = lightgbmlib.new_voidpp();
        SWIGTYPE_p_int features = lightgbmlib.new_intp();
        try {
            LightGbmNative.check(lightgbmlib.LGBM_BoosterLoadModelFromString(modelText, iterations, handle),
                    "LGBM_BoosterLoadModelFromString");
            SWIGTYPE_p_void booster = lightgbmlib.voidpp_value(handle);
            LightGbmNative.check(lightgbmlib.LGBM_BoosterGetNumFeature(booster, features), "LGBM_BoosterGetNumFeature");
            SWIGTYPE_p_int classes = lightgbmlib.new_intp();
            try {
                LightGbmNative.check(lightgbmlib.LGBM_BoosterGetNumClasses(booster, classes), "LGBM_BoosterGetNumClasses");
                if (lightgbmlib.intp_value(classes) != 1) {
                    lightgbmlib.LGBM_BoosterFree(booster);
                    throw new IllegalArgumentException("LightGBM model has " + lightgbmlib.intp_value(classes)
                            + " classes; only binary models (one output) are served");
                }
            } finally {
                lightgbmlib.delete_intp(classes);
            }
            return new NativeLightGbmModel(booster, lightgbmlib.intp_value(features), 1);
        } finally {
            lightgbmlib.delete_intp(iterations);
            lightgbmlib.delete_voidpp(handle);
            lightgbmlib.delete_intp(features);
        }
    }

    private SWIGTYPE_p_void fastConfig(int predictType) {
        SWIGTYPE_p_p_void handle = lightgbmlib.new_voidpp();
        try {
            LightGbmNative.check(lightgbmlib.LGBM_BoosterPredictForMatSingleRowFastInit(booster, predictType, 0, -1,
                    lightgbmlibConstants.C_API_DTYPE_FLOAT64, numFeatures, parameters, handle),
                    "LGBM_BoosterPredictForMatSingleRowFastInit");
            return lightgbmlib.voidpp_value(handle);
        } finally {
            lightgbmlib.delete_voidpp(handle);
        }
    }

    @Override
    public synchronized double predict(double[] features) {
        return predictSingle(features, fastNormal);
    }

    /** Raw score (log-odds) before the sigmoid, as LightGBM computes it. */
    public synchronized double predictRaw(double[] features) {
        return predictSingle(features, fastRaw);
    }

    private double predictSingle(double[] features, SWIGTYPE_p_void fast) {
        ensureOpen();
        requireLength(features.length);
        LightGbmNative.check(lightgbmlib.LGBM_BoosterPredictForMatSingleRowFastCriticalSWIG(features, fast,
                outLength, outValue), "LGBM_BoosterPredictForMatSingleRowFast");
        return lightgbmlib.doubleArray_getitem(outValue, 0);
    }

    @Override
    public synchronized void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        predictMat(rowsRowMajor, rows, out, lightgbmlibConstants.C_API_PREDICT_NORMAL);
    }

    /** Raw scores of a row-major batch. */
    public synchronized void predictBatchRaw(double[] rowsRowMajor, int rows, double[] out) {
        predictMat(rowsRowMajor, rows, out, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
    }

    private void predictMat(double[] rowsRowMajor, int rows, double[] out, int predictType) {
        ensureOpen();
        if (rows == 0) {
            return;
        }
        if (rowsRowMajor.length < (long) rows * numFeatures || out.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + (long) rows * numFeatures
                    + " values and " + rows + " outputs, got " + rowsRowMajor.length + " and " + out.length);
        }
        SWIGTYPE_p_double data = LightGbmNative.toNative(rowsRowMajor, 0, rows * numFeatures);
        SWIGTYPE_p_double result = lightgbmlib.new_doubleArray(rows);
        try {
            LightGbmNative.check(lightgbmlib.LGBM_BoosterPredictForMat(booster, LightGbmNative.voidPtr(data),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT64, rows, numFeatures, 1, predictType, 0, -1, parameters,
                    outLength, result), "LGBM_BoosterPredictForMat");
            for (int i = 0; i < rows; i++) {
                out[i] = lightgbmlib.doubleArray_getitem(result, i);
            }
        } finally {
            lightgbmlib.delete_doubleArray(data);
            lightgbmlib.delete_doubleArray(result);
        }
    }

    /**
     * Rows already copied into native memory, so that a benchmark can time LightGBM's batch prediction
     * without the per-value JNI copy the SWIG binding needs to get a Java array there.
     */
    public static final class NativeMatrix implements AutoCloseable {
        private final SWIGTYPE_p_double data;
        private final SWIGTYPE_p_double result;
        private final int rows;

        public NativeMatrix(double[] rowsRowMajor, int rows, int cols) {
            LightGbmNative.ensureLoaded();
            this.data = LightGbmNative.toNative(rowsRowMajor, 0, rows * cols);
            this.result = lightgbmlib.new_doubleArray(rows);
            this.rows = rows;
        }

        public int rows() {
            return rows;
        }

        public double result(int i) {
            return lightgbmlib.doubleArray_getitem(result, i);
        }

        @Override
        public void close() {
            lightgbmlib.delete_doubleArray(data);
            lightgbmlib.delete_doubleArray(result);
        }
    }

    /** Probabilities of every row of a {@link NativeMatrix}, left in its native result buffer. */
    public synchronized void predictBatch(NativeMatrix matrix) {
        ensureOpen();
        LightGbmNative.check(lightgbmlib.LGBM_BoosterPredictForMat(booster, LightGbmNative.voidPtr(matrix.data),
                lightgbmlibConstants.C_API_DTYPE_FLOAT64, matrix.rows, numFeatures, 1,
                lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, parameters, outLength, matrix.result),
                "LGBM_BoosterPredictForMat");
    }

    /** The native booster handle, for trainers that continue from this model. */
    public SWIGTYPE_p_void boosterHandle() {
        ensureOpen();
        return booster;
    }

    private void requireLength(int length) {
        if (length != numFeatures) {
            throw new IllegalArgumentException("row has " + length + " features, model expects " + numFeatures);
        }
    }

    private void ensureOpen() {
        if (booster == null) {
            throw new IllegalStateException("LightGBM model is closed");
        }
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.LIGHTGBM_TEXT;
    }

    @Override
    public synchronized void close() {
        if (booster == null) {
            return;
        }
        lightgbmlib.LGBM_FastConfigFree(fastNormal);
        lightgbmlib.LGBM_FastConfigFree(fastRaw);
        lightgbmlib.LGBM_BoosterFree(booster);
        lightgbmlib.delete_int64_tp(outLength);
        lightgbmlib.delete_doubleArray(outValue);
        booster = null;
    }
}
