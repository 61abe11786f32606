package io.riptide.serving;

import java.util.List;
import java.util.Objects;

/**
 * The last link of the fallback chain: a fixed logistic rule over liquidation and volatility features, so the
 * pipeline never stops predicting for lack of a trained model.
 *
 * <p>Each term reads one feature by name when the feature set has it; a missing feature or a NaN value
 * contributes 0. Heavy-tailed inputs (notional, counts) are log-compressed and every term is clamped so that
 * one absurd value cannot saturate the score on its own. The weights are documented in docs/MODELS.md.
 */
public final class RuleBasedLiquidationModel implements Model {

    static final double INTERCEPT = -4.0;

    private final int numFeatures;
    private final int rv;
    private final int notional5m;
    private final int notional15m;
    private final int count15m;
    private final int cascade;
    private final int spread;

    public RuleBasedLiquidationModel(List<String> featureNames) {
        Objects.requireNonNull(featureNames, "featureNames");
        this.numFeatures = featureNames.size();
        this.rv = featureNames.indexOf("rv_close_30");
        this.notional5m = featureNames.indexOf("liq_notional_5m");
        this.notional15m = featureNames.indexOf("liq_notional_15m");
        this.count15m = featureNames.indexOf("liq_count_15m");
        this.cascade = featureNames.indexOf("liq_cascade_intensity");
        this.spread = featureNames.indexOf("spread_bps");
    }

    /** The log-odds of the rule; {@link #predict} is its sigmoid. */
    public double logit(double[] f) {
        double z = INTERCEPT;
        z += 60.0 * clamp(value(f, rv), 0.0, 0.1);
        z += 0.6 * Math.log1p(clamp(value(f, notional5m), 0.0, 1e12) / 50_000.0);
        z += 0.4 * Math.log1p(clamp(value(f, notional15m), 0.0, 1e12) / 150_000.0);
        z += 0.3 * Math.log1p(clamp(value(f, count15m), 0.0, 1e6));
        z += 1.0 * clamp(value(f, cascade), 0.0, 5.0);
        z += 0.05 * clamp(value(f, spread), 0.0, 50.0);
        return z;
    }

    @Override
    public double predict(double[] features) {
        if (features.length != numFeatures) {
            throw new IllegalArgumentException("row has " + features.length + " features, rule-based model expects "
                    + numFeatures);
        }
        return 1.0 / (1.0 + Math.exp(-logit(features)));
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        double[] row = new double[numFeatures];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowsRowMajor, r * numFeatures, row, 0, numFeatures);
            out[r] = predict(row);
        }
    }

    private static double value(double[] f, int index) {
        if (index < 0) {
            return 0.0;
        }
        double v = f[index];
        return Double.isNaN(v) ? 0.0 : v;
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.RULE_BASED;
    }

    @Override
    public void close() {
    }
}
