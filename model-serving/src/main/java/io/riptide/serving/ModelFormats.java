package io.riptide.serving;

/** Names of the model file formats that {@link ModelLoader} understands. */
public final class ModelFormats {

    /** LightGBM's text model format ({@code LGBM_BoosterSaveModelToString}). */
    public static final String LIGHTGBM_TEXT = "lightgbm-text";

    /** XGBoost's JSON model format ({@code Booster.toByteArray("json")}). */
    public static final String XGBOOST_JSON = "xgboost-json";

    /** Format name reported by the rule-based fallback model, which has no file. */
    public static final String RULE_BASED = "rule-based";

    private ModelFormats() {
    }

    /** Throws an {@link IllegalArgumentException} naming the value when {@code format} is not a known file format. */
    public static String requireKnown(String format) {
        if (!LIGHTGBM_TEXT.equals(format) && !XGBOOST_JSON.equals(format)) {
            throw new IllegalArgumentException("unknown model format '" + format + "', expected "
                    + LIGHTGBM_TEXT + " or " + XGBOOST_JSON);
        }
        return format;
    }
}
