package io.riptide.serving;

/**
 * A binary classifier that turns a feature vector into a probability.
 *
 * <p>Implementations are thread-safe for prediction. Rows are laid out in the feature-set order the model
 * was trained on; a NaN value means "missing".
 */
public interface Model extends AutoCloseable {

    /** Probability of the positive class in [0,1], the objective transform (sigmoid) applied. */
    double predict(double[] features);

    /**
     * Predicts {@code rows} rows laid out row-major in {@code rowsRowMajor} (length {@code rows * numFeatures()})
     * into {@code out[0..rows)}.
     */
    void predictBatch(double[] rowsRowMajor, int rows, double[] out);

    /** Number of features the model expects per row. */
    int numFeatures();

    /** One of {@link ModelFormats}, or a descriptive name for models without a file format. */
    String format();

    @Override
    void close();
}
