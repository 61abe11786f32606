package io.riptide.trigger.lifecycle;

import io.riptide.trigger.PromotionOutbox;
import io.riptide.trigger.api.OpsAlerts;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.ModelRegistryStore.ShadowVersion;
import io.riptide.trigger.store.ShadowOutcomeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the {@link PromotionGate} to a key's shadow: gathers the live outcomes it and the current production
 * version both scored, and promotes the shadow to production or retires it where the gate says so. Every decision
 * goes to ml_eval_history (stage LIVE) with its statistics, to the serving history with its reason, to the streams
 * through the outbox, and to ops as a SHADOW_DECIDED alert. A decision that would act on a registry that changed
 * meanwhile (ops promoted or rolled back, a newer shadow replaced this one) changes nothing.
 */
public final class ShadowReview {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowReview.class);
    public static final String ACTOR = "retrain-trigger";

    private final PromotionGate gate;
    private final ModelRegistryStore registry;
    private final ShadowOutcomeStore outcomes;
    private final PromotionOutbox outbox;
    private final OpsAlerts alerts;
    private final Clock marketClock;

    /** @param marketClock market time (probation is counted in it, so a replay judges as a live run would) */
    public ShadowReview(PromotionGate.Settings settings, ModelRegistryStore registry, ShadowOutcomeStore outcomes,
                        PromotionOutbox outbox, OpsAlerts alerts, Clock marketClock) {
        this.gate = new PromotionGate(settings);
        this.registry = registry;
        this.outcomes = outcomes;
        this.outbox = outbox;
        this.alerts = alerts;
        this.marketClock = marketClock;
    }

    /**
     * Judges the key's shadow, if it has one; returns what was decided (WAIT when nothing changed). Synchronized: the
     * outcome listener and the schedule both review, and one decision per shadow is enough.
     */
    public synchronized Optional<PromotionGate.Decision> review(String modelKey) {
        Optional<ShadowVersion> shadow = registry.shadowOf(modelKey);
        if (shadow.isEmpty()) {
            return Optional.empty();
        }
        ShadowVersion s = shadow.get();
        int production = registry.productionVersion(modelKey);
        ShadowOutcomeStore.Paired paired = outcomes.paired(modelKey, s.version(), production);
        long probationMs = Math.max(0, marketClock.millis() - s.sinceMarketMs());
        PromotionGate.Decision decision = gate.decide(paired.shadow(), paired.production(), paired.labels(),
                probationMs);
        boolean acted = switch (decision.action()) {
            case WAIT -> false;
            case PROMOTE -> registry.promoteShadow(modelKey, production == 0 ? null : production, s.version(),
                    ACTOR, "live: " + decision.reason(), "shadow v" + s.version() + " promoted on live outcomes",
                    marketClock.millis());
            case RETIRE -> registry.retireShadow(modelKey, s.version(), ACTOR, decision.reason());
        };
        if (!acted) {
            if (decision.action() != PromotionGate.Action.WAIT) {
                LOG.info("{} shadow v{}: {} dropped, the registry changed meanwhile", modelKey, s.version(),
                        decision.action());
            }
            return Optional.of(decision);
        }
        registry.recordEvaluation(evaluation(s, production, paired, decision));
        outbox.publishPending();
        boolean promoted = decision.action() == PromotionGate.Action.PROMOTE;
        alerts.shadowDecided(modelKey, s.version(), promoted, decision.reason());
        LOG.info("{} shadow v{} {} against v{}: {}", modelKey, s.version(), promoted ? "promoted" : "retired",
                production, decision.reason());
        return Optional.of(decision);
    }

    private static ModelRegistryStore.Evaluation evaluation(ShadowVersion s, int production,
                                                            ShadowOutcomeStore.Paired paired,
                                                            PromotionGate.Decision decision) {
        var c = decision.statistics();
        Map<String, Double> shadowMetrics = new LinkedHashMap<>();
        shadowMetrics.put("auc", c.aucA());
        shadowMetrics.put("delong_z", c.z());
        shadowMetrics.put("p_better", c.pAGreater());
        shadowMetrics.put("p_worse", c.pBGreater());
        shadowMetrics.put("positives", (double) c.positives());
        Map<String, Double> productionMetrics = new LinkedHashMap<>();
        productionMetrics.put("auc", c.aucB());
        return new ModelRegistryStore.Evaluation(s.jobId(), s.modelKey(), s.version(), production,
                paired.size() == 0 ? s.sinceMarketMs() : paired.firstMs(),
                paired.size() == 0 ? s.sinceMarketMs() : paired.lastMs(), paired.size(), finite(shadowMetrics),
                finite(productionMetrics), decision.action() == PromotionGate.Action.PROMOTE ? "PROMOTE" : "RETIRE",
                decision.reason(), ModelRegistryStore.Evaluation.LIVE);
    }

    /** JSON has no NaN: a statistic that could not be computed (one class only) is left out. */
    private static Map<String, Double> finite(Map<String, Double> metrics) {
        metrics.values().removeIf(v -> !Double.isFinite(v));
        return metrics;
    }
}
