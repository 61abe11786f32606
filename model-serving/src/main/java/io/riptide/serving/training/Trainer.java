package io.riptide.serving.training;

/** Trains a binary classifier. Implementations are deterministic given {@link TrainingParams#seed()}. */
public interface Trainer {

    /**
     * Trains on {@code train}; with a {@code validation} set, early stopping watches its log-loss and the
     * metrics are computed on it (else on {@code train}).
     */
    TrainingResult train(Dataset train, Dataset validation, TrainingParams params);
}
