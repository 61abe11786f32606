package io.riptide.trigger;

import io.riptide.trigger.store.ModelRegistryStore.JobOutcome;

import java.util.Optional;

/**
 * What to do with a job that an earlier trigger process claimed and did not finish (it was killed, and the restart
 * requeued the job), given what that run already recorded. The job's writes come in order: the trained model, the
 * gate's decision, the promotion (with its outbox row), the job's end. Training again after the decision would make a
 * second version from one job, and could promote twice, so a job is trained again only if nothing was decided.
 */
enum JobResumption {
    /** Nothing recorded: train from the start. */
    TRAIN,
    /** A model without a decision: discard it, then train from the start. */
    DISCARD_AND_TRAIN,
    /** The gate rejected the model: end the job as REJECTED. */
    FINISH_REJECTED,
    /** The gate passed the model but it was not made PRODUCTION yet: promote it, then end the job. */
    PROMOTE_AND_FINISH,
    /** The model was promoted (it may have been replaced since): end the job as SUCCEEDED. */
    FINISH_PROMOTED;

    static JobResumption of(Optional<JobOutcome> earlier) {
        if (earlier.isEmpty()) {
            return TRAIN;
        }
        JobOutcome o = earlier.get();
        if (o.decision() == null) {
            return DISCARD_AND_TRAIN;
        }
        if (o.decision().equals("REJECT")) {
            return FINISH_REJECTED;
        }
        return o.status().equals("CANDIDATE") ? PROMOTE_AND_FINISH : FINISH_PROMOTED;
    }
}
