package io.riptide.trigger;

import io.riptide.serving.ModelKey;
import io.riptide.schemas.avro.OpsResponseStatus;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Carries out ops requests: RETRAIN queues a manual job; ROLLBACK re-publishes an earlier version (the given one or
 * the one that served before the current); PROMOTE makes a given version production. Every change is recorded in
 * the serving history before it is published.
 */
public final class OpsRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OpsRequestHandler.class);

    private final RetrainPolicy policy;
    private final ModelRegistryStore registry;
    private final PromotionOutbox outbox;

    public OpsRequestHandler(RetrainPolicy policy, ModelRegistryStore registry, PromotionOutbox outbox) {
        this.policy = policy;
        this.registry = registry;
        this.outbox = outbox;
    }

    /** @return a one-line account of what was done, for logs and the ops CLI */
    public String handle(RetrainRequest request) {
        OpsDecision decision = decide(request);
        return decision.status() == OpsResponseStatus.REFUSED
                ? "refused: " + decision.message() : decision.message();
    }

    /**
     * Carries out the request and says what came of it: a retrain is ACCEPTED with its job id (or REFUSED when a
     * job is already queued or running for the key), a rollback or promotion SUCCEEDED with the version now
     * serving, or the request is REFUSED with the reason (unknown key or version, nothing to roll back to, the
     * version already serves). Errors other than bad input (database, Kafka) are thrown.
     */
    public OpsDecision decide(RetrainRequest request) {
        String key = request.getModelKey();
        String who = request.getRequestedBy();
        try {
            ModelKey.parse(key);
            return switch (request.getAction()) {
                case RETRAIN -> {
                    Optional<Long> id = policy.manual(key, who, request.getReason(), request.getForce());
                    if (id.isPresent()) {
                        yield OpsDecision.queued(id.get(), "queued job " + id.get() + " for " + key
                                + (request.getForce() ? " (forced: the gates will not stop it)" : ""));
                    }
                    yield OpsDecision.refused("a job for " + key + " is already queued or running", null);
                }
                case ROLLBACK -> {
                    Integer target = request.getTargetVersion();
                    if (target == null) {
                        target = registry.previousServingVersion(key).orElseThrow(() ->
                                new IllegalArgumentException("no earlier version of " + key + " to roll back to"));
                    }
                    yield serve(key, target, "ROLLBACK", who, request.getReason());
                }
                case PROMOTE -> {
                    if (request.getTargetVersion() == null) {
                        throw new IllegalArgumentException("PROMOTE needs a targetVersion");
                    }
                    yield serve(key, request.getTargetVersion(), "PROMOTE", who, request.getReason());
                }
            };
        } catch (IllegalArgumentException e) {
            LOG.warn("ops request {} refused: {}", request.getRequestId(), e.getMessage());
            return OpsDecision.refused(e.getMessage(), null);
        }
    }

    private OpsDecision serve(String key, int version, String action, String who, String reason) {
        StoredModel model = registry.find(key, version)
                .orElseThrow(() -> new IllegalArgumentException(key + " has no version " + version));
        if ("PRODUCTION".equals(model.status())) {
            throw new IllegalArgumentException(key + " v" + version + " already serves");
        }
        registry.makeProduction(key, version, action, who, reason, action.toLowerCase() + " by " + who + ": " + reason);
        boolean published = outbox.publishPending() > 0 && registry.pendingPublications().isEmpty();
        LOG.info("{} of {} to v{} by {}: {}", action, key, version, who, reason);
        return OpsDecision.done(version, action.toLowerCase() + " of " + key + " to v" + version
                + (published ? " published" : " committed; its publication is pending and retried"));
    }
}
