package io.riptide.trigger.store;

/** A row of ml_training_jobs as the runner needs it. */
public record TrainingJob(long id, String modelKey, String trigger, String reason, String requestedBy, boolean force) {
}
