package io.riptide.trigger;

import io.riptide.schemas.avro.OpsResponseStatus;

/**
 * What {@link OpsRequestHandler} decided about one ops request.
 *
 * @param status  ACCEPTED (a job was queued: its outcome follows), REFUSED, or SUCCEEDED (a rollback or promotion
 *                was recorded and published)
 * @param message one line: the reason of a refusal, or what was done
 * @param jobId   the queued job, or the queued-or-running job that refused a retrain; null otherwise
 * @param version the version that now serves (rollback, promote); null otherwise
 */
public record OpsDecision(OpsResponseStatus status, String message, Long jobId, Integer version) {

    public static OpsDecision queued(long jobId, String message) {
        return new OpsDecision(OpsResponseStatus.ACCEPTED, message, jobId, null);
    }

    public static OpsDecision refused(String reason, Long jobId) {
        return new OpsDecision(OpsResponseStatus.REFUSED, reason, jobId, null);
    }

    public static OpsDecision done(int version, String message) {
        return new OpsDecision(OpsResponseStatus.SUCCEEDED, message, null, version);
    }

    /** Whether nothing more will happen for this request (everything but an accepted retrain). */
    public boolean terminal() {
        return status != OpsResponseStatus.ACCEPTED;
    }
}
