package io.riptide.trigger.api;

import io.riptide.schemas.avro.RetrainRequest;

/**
 * Decides whether an ops request read from Kafka may be carried out, and under whose name: anyone who can produce
 * to {@code ops.retrain-requests} can claim any {@code requestedBy}, so the claim counts for nothing; the
 * request's signature decides (docs/SECURITY.md). Requests through the ops HTTP API are authenticated there.
 */
@FunctionalInterface
public interface OpsRequestAuthority {

    /** Allowed under {@code principal}, or refused ({@code principal} null) with the reason. */
    record Verdict(String principal, String refusal) {
        public static Verdict allowed(String principal) {
            return new Verdict(principal, null);
        }

        public static Verdict refused(String reason) {
            return new Verdict(null, reason);
        }

        public boolean isAllowed() {
            return refusal == null;
        }
    }

    Verdict check(RetrainRequest request);

    /** Refuses every request: a trigger that knows no ops token can verify none. */
    static OpsRequestAuthority refuseAll(String reason) {
        return request -> Verdict.refused(reason);
    }
}
