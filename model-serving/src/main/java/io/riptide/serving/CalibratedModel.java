package io.riptide.serving;

import java.util.Objects;

/** A model whose probabilities pass through a {@link Calibrator}. */
public final class CalibratedModel implements Model {

    private final Model model;
    private final Calibrator calibrator;

    public CalibratedModel(Model model, Calibrator calibrator) {
        this.model = Objects.requireNonNull(model, "model");
        this.calibrator = Objects.requireNonNull(calibrator, "calibrator");
    }

    public Calibrator calibrator() {
        return calibrator;
    }

    public Model uncalibrated() {
        return model;
    }

    @Override
    public double predict(double[] features) {
        return calibrator.apply(model.predict(features));
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        model.predictBatch(rowsRowMajor, rows, out);
        for (int i = 0; i < rows; i++) {
            out[i] = calibrator.apply(out[i]);
        }
    }

    @Override
    public int numFeatures() {
        return model.numFeatures();
    }

    @Override
    public String format() {
        return model.format();
    }

    @Override
    public void close() {
        model.close();
    }
}
