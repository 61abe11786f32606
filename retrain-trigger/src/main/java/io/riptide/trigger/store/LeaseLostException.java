package io.riptide.trigger.store;

/** A job's runner no longer holds its lease: another runner took the job over, and this one must stop. */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(TrainingJob job) {
        super("job " + job.id() + " (" + job.modelKey() + ") is no longer leased to " + job.leaseOwner()
                + ": another runner took it over");
    }
}
