package io.riptide.serving;

import java.util.List;

/**
 * A weighted average of several models' probabilities, e.g. LightGBM + XGBoost + online learner, or the
 * batch model blended 0.8 / 0.2 with the online learner. Weights are normalised to sum to 1.
 */
public final class WeightedBlend implements Model {

    private final Model[] models;
    private final double[] weights;
    private final int cols;

    public WeightedBlend(List<Model> models, double[] weights) {
        if (models.isEmpty() || models.size() != weights.length) {
            throw new IllegalArgumentException("blend needs one weight per model, got " + models.size() + " models and "
                    + weights.length + " weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("blend weights must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("blend weights sum to 0");
        }
        this.models = models.toArray(Model[]::new);
        this.weights = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            this.weights[i] = weights[i] / sum;
        }
        this.cols = this.models[0].numFeatures();
        for (Model m : this.models) {
            if (m.numFeatures() != cols) {
                throw new IllegalArgumentException("blended models disagree on features: " + cols + " vs "
                        + m.numFeatures());
            }
        }
    }

    /** The online learner's default share of a blend with the batch model. */
    public static final double DEFAULT_ONLINE_WEIGHT = 0.2;

    /** The batch model blended 0.8 / 0.2 with the online learner. */
    public static WeightedBlend withOnline(Model batch, Model online) {
        return withOnline(batch, online, DEFAULT_ONLINE_WEIGHT);
    }

    /** The batch model blended with the online learner: {@code (1 - onlineWeight) * batch + onlineWeight * online}. */
    public static WeightedBlend withOnline(Model batch, Model online, double onlineWeight) {
        if (!(onlineWeight >= 0 && onlineWeight <= 1)) {
            throw new IllegalArgumentException("online weight must be in [0,1], got " + onlineWeight);
        }
        return new WeightedBlend(List.of(batch, online), new double[] {1 - onlineWeight, onlineWeight});
    }

    @Override
    public double predict(double[] features) {
        double p = 0;
        for (int i = 0; i < models.length; i++) {
            p += weights[i] * models[i].predict(features);
        }
        return p;
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        double[] tmp = new double[rows];
        java.util.Arrays.fill(out, 0, rows, 0.0);
        for (int i = 0; i < models.length; i++) {
            models[i].predictBatch(rowsRowMajor, rows, tmp);
            for (int r = 0; r < rows; r++) {
                out[r] += weights[i] * tmp[r];
            }
        }
    }

    @Override
    public int numFeatures() {
        return cols;
    }

    @Override
    public String format() {
        return "blend";
    }

    @Override
    public void close() {
        for (Model m : models) {
            m.close();
        }
    }
}
