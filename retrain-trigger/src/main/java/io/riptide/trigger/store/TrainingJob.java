package io.riptide.trigger.store;

/**
 * A row of ml_training_jobs as the runner needs it.
 *
 * @param leaseOwner the runner that claimed it, and whose lease every write of the job checks
 * @param attempts   how many times it was claimed, this claim included (more than 1 after a runner died)
 */
public record TrainingJob(long id, String modelKey, String trigger, String reason, String requestedBy, boolean force,
                          String leaseOwner, int attempts) {
}
