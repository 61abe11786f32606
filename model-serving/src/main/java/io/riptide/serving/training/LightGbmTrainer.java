package io.riptide.serving.training;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.internal.LightGbmNative;
import io.riptide.serving.internal.NativeLightGbmModel;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Trains LightGBM (binary objective) through the official C API, deterministically.
 *
 * <p>Warm start follows LightGBM's own {@code init_model}: the previous model's raw scores become the
 * datasets' init scores and its trees are merged in front of the new ones, so the artifact holds both.
 */
public final class LightGbmTrainer implements Trainer {

    private static final long SAVE_BUFFER = 1 << 20;

    private final String extraParameters;

    public LightGbmTrainer() {
        this("");
    }

    /**
     * With extra LightGBM parameters appended verbatim to the booster and dataset parameters, e.g.
     * {@code "categorical_feature=0 zero_as_missing=true"}; later keys override earlier ones.
     */
    public LightGbmTrainer(String extraParameters) {
        this.extraParameters = extraParameters == null ? "" : extraParameters.strip();
    }

    @Override
    public TrainingResult train(Dataset train, Dataset validation, TrainingParams params) {
        TrainingOutcome.requireTrainable(train, validation);
        LightGbmNative.ensureLoaded();
        NativeLightGbmModel previous = warmStartModel(params, train.cols());
        SWIGTYPE_p_void trainSet = null;
        SWIGTYPE_p_void validSet = null;
        SWIGTYPE_p_void booster = null;
        try {
            trainSet = dataset(train, null, previous);
            boolean hasValidation = validation != null && validation.rows() > 0;
            if (hasValidation) {
                validSet = dataset(validation, trainSet, previous);
            }
            booster = createBooster(trainSet, boosterParameters(params, train) + " " + extraParameters);
            if (previous != null) {
                LightGbmNative.check(lightgbmlib.LGBM_BoosterMerge(booster, previous.boosterHandle()),
                        "LGBM_BoosterMerge");
            }
            if (hasValidation) {
                LightGbmNative.check(lightgbmlib.LGBM_BoosterAddValidData(booster, validSet),
                        "LGBM_BoosterAddValidData");
            }
            int bestIteration = boost(booster, params, hasValidation);
            int previousIterations = previous == null ? 0 : iterations(previous.boosterHandle());
            String text = saveToString(booster, previousIterations + bestIteration);
            ModelArtifact artifact = new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, text.getBytes(StandardCharsets.UTF_8));
            try (NativeLightGbmModel model = NativeLightGbmModel.fromString(text)) {
                return TrainingOutcome.of(artifact, model, train, validation, bestIteration, params.calibration());
            }
        } finally {
            if (booster != null) {
                lightgbmlib.LGBM_BoosterFree(booster);
            }
            if (validSet != null) {
                lightgbmlib.LGBM_DatasetFree(validSet);
            }
            if (trainSet != null) {
                lightgbmlib.LGBM_DatasetFree(trainSet);
            }
            if (previous != null) {
                previous.close();
            }
        }
    }

    private static NativeLightGbmModel warmStartModel(TrainingParams params, int cols) {
        ModelArtifact warm = params.warmStart();
        if (warm == null) {
            return null;
        }
        if (!ModelFormats.LIGHTGBM_TEXT.equals(warm.format())) {
            throw new IllegalArgumentException("LightGBM cannot warm-start from a " + warm.format() + " model");
        }
        NativeLightGbmModel model = NativeLightGbmModel.fromString(new String(warm.bytes(), StandardCharsets.UTF_8));
        if (model.numFeatures() != cols) {
            model.close();
            throw new IllegalArgumentException("warm-start model has " + model.numFeatures() + " features, dataset has "
                    + cols);
        }
        return model;
    }

    /** Boosts until numRounds or early stopping; returns the number of rounds to keep. */
    private static int boost(SWIGTYPE_p_void booster, TrainingParams params, boolean hasValidation) {
        SWIGTYPE_p_int finished = lightgbmlib.new_intp();
        SWIGTYPE_p_int evalLength = lightgbmlib.new_intp();
        SWIGTYPE_p_double evalResult = lightgbmlib.new_doubleArray(4);
        try {
            double best = Double.POSITIVE_INFINITY;
            int bestIteration = 0;
            int done = 0;
            for (int i = 1; i <= params.numRounds(); i++) {
                LightGbmNative.check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster, finished), "LGBM_BoosterUpdateOneIter");
                done = i;
                if (hasValidation) {
                    LightGbmNative.check(lightgbmlib.LGBM_BoosterGetEval(booster, 1, evalLength, evalResult),
                            "LGBM_BoosterGetEval");
                    double loss = lightgbmlib.doubleArray_getitem(evalResult, 0);
                    if (loss < best) {
                        best = loss;
                        bestIteration = i;
                    } else if (params.earlyStoppingRounds() > 0 && i - bestIteration >= params.earlyStoppingRounds()) {
                        break;
                    }
                }
                if (lightgbmlib.intp_value(finished) == 1) {
                    break;  // no split improves any more
                }
            }
            return hasValidation && params.earlyStoppingRounds() > 0 ? Math.max(1, bestIteration) : done;
        } finally {
            lightgbmlib.delete_intp(finished);
            lightgbmlib.delete_intp(evalLength);
            lightgbmlib.delete_doubleArray(evalResult);
        }
    }

    static String boosterParameters(TrainingParams p, Dataset train) {
        StringBuilder s = new StringBuilder();
        s.append("objective=binary boosting=gbdt metric=binary_logloss verbose=-1 deterministic=true force_row_wise=true");
        s.append(String.format(Locale.ROOT, " learning_rate=%s num_leaves=%d max_depth=%d min_data_in_leaf=%d",
                Double.toString(p.learningRate()), p.numLeaves(), p.maxDepth(), p.minDataInLeaf()));
        s.append(String.format(Locale.ROOT, " feature_fraction=%s bagging_fraction=%s bagging_freq=%d lambda_l2=%s",
                Double.toString(p.featureFraction()), Double.toString(p.baggingFraction()),
                p.baggingFraction() < 1.0 ? 1 : 0, Double.toString(p.lambdaL2())));
        s.append(" seed=").append(p.seed()).append(" num_threads=").append(p.numThreads());
        if (p.unbalanced()) {
            s.append(" is_unbalance=true");
        } else {
            s.append(" scale_pos_weight=").append(Double.toString(p.scalePosWeight()));
        }
        return s.toString();
    }

    private String datasetParameters() {
        return "max_bin=255 verbose=-1 feature_pre_filter=false min_data_in_bin=3 data_random_seed=1 " + extraParameters;
    }

    private SWIGTYPE_p_void dataset(Dataset data, SWIGTYPE_p_void reference, NativeLightGbmModel previous) {
        SWIGTYPE_p_double matrix = LightGbmNative.toNative(data.matrix(), 0, data.rows() * data.cols());
        SWIGTYPE_p_p_void handle = lightgbmlib.new_voidpp();
        SWIGTYPE_p_void set;
        try {
            LightGbmNative.check(lightgbmlib.LGBM_DatasetCreateFromMat(LightGbmNative.voidPtr(matrix),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT64, data.rows(), data.cols(), 1, datasetParameters(),
                    reference, handle), "LGBM_DatasetCreateFromMat");
            set = lightgbmlib.voidpp_value(handle);
        } finally {
            lightgbmlib.delete_doubleArray(matrix);
            lightgbmlib.delete_voidpp(handle);
        }
        LightGbmNative.check(lightgbmlib.LGBM_DatasetSetFeatureNames(set, data.featureNames().toArray(String[]::new),
                data.cols()), "LGBM_DatasetSetFeatureNames");
        setFloatField(set, "label", data.labels());
        if (data.weights() != null) {
            setFloatField(set, "weight", data.weights());
        }
        if (previous != null) {
            double[] init = new double[data.rows()];
            previous.predictBatchRaw(data.matrix(), data.rows(), init);
            SWIGTYPE_p_double ptr = LightGbmNative.toNative(init, 0, init.length);
            try {
                LightGbmNative.check(lightgbmlib.LGBM_DatasetSetField(set, "init_score", LightGbmNative.voidPtr(ptr),
                        init.length, lightgbmlibConstants.C_API_DTYPE_FLOAT64), "LGBM_DatasetSetField(init_score)");
            } finally {
                lightgbmlib.delete_doubleArray(ptr);
            }
        }
        return set;
    }

    private static void setFloatField(SWIGTYPE_p_void set, String field, double[] values) {
        SWIGTYPE_p_float ptr = LightGbmNative.toNativeFloat(values);
        try {
            LightGbmNative.check(lightgbmlib.LGBM_DatasetSetField(set, field, lightgbmlib.float_to_voidp_ptr(ptr),
                    values.length, lightgbmlibConstants.C_API_DTYPE_FLOAT32), "LGBM_DatasetSetField(" + field + ")");
        } finally {
            lightgbmlib.delete_floatArray(ptr);
        }
    }

    private static SWIGTYPE_p_void createBooster(SWIGTYPE_p_void trainSet, String parameters) {
        SWIGTYPE_p_p_void handle = lightgbmlib.new_voidpp();
        try {
            LightGbmNative.check(lightgbmlib.LGBM_BoosterCreate(trainSet, parameters, handle), "LGBM_BoosterCreate");
            return lightgbmlib.voidpp_value(handle);
        } finally {
            lightgbmlib.delete_voidpp(handle);
        }
    }

    private static int iterations(SWIGTYPE_p_void booster) {
        SWIGTYPE_p_int out = lightgbmlib.new_intp();
        try {
            LightGbmNative.check(lightgbmlib.LGBM_BoosterGetCurrentIteration(booster, out),
                    "LGBM_BoosterGetCurrentIteration");
            return lightgbmlib.intp_value(out);
        } finally {
            lightgbmlib.delete_intp(out);
        }
    }

    private static String saveToString(SWIGTYPE_p_void booster, int numIterations) {
        SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
        try {
            String text = lightgbmlib.LGBM_BoosterSaveModelToStringSWIG(booster, 0, numIterations,
                    lightgbmlibConstants.C_API_FEATURE_IMPORTANCE_SPLIT, SAVE_BUFFER, length);
            if (text == null || text.isEmpty()) {
                throw new IllegalStateException("LightGBM LGBM_BoosterSaveModelToString returned nothing: "
                        + lightgbmlib.LGBM_GetLastError());
            }
            return text;
        } finally {
            lightgbmlib.delete_int64_tp(length);
        }
    }
}
