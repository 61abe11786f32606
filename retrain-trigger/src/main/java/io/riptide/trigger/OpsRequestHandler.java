package io.riptide.trigger;

import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.StoredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out ops requests: RETRAIN queues a manual job; ROLLBACK re-publishes an earlier version (the given one or
 * the one that served before the current); PROMOTE makes a given version production. Every change is recorded in
 * the serving history before it is published.
 */
public final class OpsRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OpsRequestHandler.class);

    private final RetrainPolicy policy;
    private final ModelRegistryStore registry;
    private final ModelPublisher publisher;

    public OpsRequestHandler(RetrainPolicy policy, ModelRegistryStore registry, ModelPublisher publisher) {
        this.policy = policy;
        this.registry = registry;
        this.publisher = publisher;
    }

    /** @return a one-line account of what was done, for logs and the ops CLI */
    public String handle(RetrainRequest request) {
        String key = request.getModelKey();
        String who = request.getRequestedBy();
        try {
            return switch (request.getAction()) {
                case RETRAIN -> policy.manual(key, who, request.getReason(), request.getForce())
                        .map(id -> "queued job " + id + " for " + key)
                        .orElse("a job for " + key + " is already queued or running");
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
            return "refused: " + e.getMessage();
        }
    }

    private String serve(String key, int version, String action, String who, String reason) {
        StoredModel model = registry.find(key, version)
                .orElseThrow(() -> new IllegalArgumentException(key + " has no version " + version));
        registry.makeProduction(key, version, action, who, reason);
        publisher.publishProduction(model, action.toLowerCase() + " by " + who + ": " + reason);
        LOG.info("{} of {} to v{} by {}: {}", action, key, version, who, reason);
        return action.toLowerCase() + " of " + key + " to v" + version + " published";
    }
}
