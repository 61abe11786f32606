package io.riptide.trigger.lifecycle;

import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.trigger.PromotionOutbox;
import io.riptide.trigger.api.OpsAlerts;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.MonitoringStore;
import io.riptide.trigger.store.StoredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Applies the {@link RollbackRule} on each live performance report of a production version: gathers its live and
 * validated AUC and the previous version's record, and where the rule says so makes the previous version production
 * again (serving history with the reason, the outbox publishes it) and raises an AUTOMATIC_ROLLBACK ops alert.
 */
public final class AutomaticRollback {
    private static final Logger LOG = LoggerFactory.getLogger(AutomaticRollback.class);
    public static final String ACTOR = "retrain-trigger";

    private final RollbackRule.Settings settings;
    private final RollbackRule rule;
    private final ModelRegistryStore registry;
    private final MonitoringStore monitoring;
    private final PromotionOutbox outbox;
    private final OpsAlerts alerts;

    public AutomaticRollback(RollbackRule.Settings settings, ModelRegistryStore registry, MonitoringStore monitoring,
                             PromotionOutbox outbox, OpsAlerts alerts) {
        this.settings = settings;
        this.rule = new RollbackRule(settings);
        this.registry = registry;
        this.monitoring = monitoring;
        this.outbox = outbox;
        this.alerts = alerts;
    }

    /** @return the version rolled back to, if this report made the trigger roll back */
    public Optional<Integer> onPerformance(PerformanceReport report) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        String key = report.getModelKey();
        Optional<StoredModel> production = registry.production(key);
        if (production.isEmpty() || production.get().version() != report.getModelVersion()) {
            return Optional.empty(); // a report on a version that no longer serves
        }
        Optional<Integer> previousVersion = registry.previousServingVersion(key);
        if (previousVersion.isEmpty()) {
            return Optional.empty();
        }
        if (registry.shadowedOrRetired(key, previousVersion.get())) {
            // the replaced version guards this one as its shadow, or the lifecycle retired it (it ranked worse on
            // the same outcomes, or a newer candidate took its place): the paired test decides whether it comes
            // back (ShadowReview), not a comparison with a hold-out from another market
            return Optional.empty();
        }
        int version = production.get().version();
        long upTo = report.getTimeMs();
        RollbackRule.Production current = new RollbackRule.Production(version,
                registry.latestServingAction(key).filter("ROLLBACK"::equals).isPresent(),
                production.get().metrics().getOrDefault("auc", Double.NaN),
                // only what it did in production: a promoted shadow's reports from its probation are left out
                monitoring.liveAuc(key, version, registry.productionSinceMarketMs(key).orElse(Long.MIN_VALUE), upTo,
                        settings.minOutcomes()));
        // the previous version's record is only read where the rule compares with it (off by default)
        RollbackRule.Previous previous = new RollbackRule.Previous(previousVersion.get(),
                Double.isNaN(settings.belowPrevious()) ? RollbackRule.Live.NONE
                        : monitoring.liveAuc(key, previousVersion.get(), Long.MIN_VALUE, upTo, Integer.MAX_VALUE));
        Optional<String> reason = rule.reasonToRollBack(current, Optional.of(previous));
        if (reason.isEmpty()) {
            return Optional.empty();
        }
        int target = previous.version();
        if (!registry.replaceProduction(key, version, target, "ROLLBACK", ACTOR, "automatic: " + reason.get(),
                "automatic rollback from v" + version + ": " + reason.get())) {
            LOG.info("automatic rollback of {} from v{} dropped: the production version changed meanwhile", key,
                    version);
            return Optional.empty();
        }
        outbox.publishPending();
        alerts.automaticRollback(key, version, target, reason.get());
        LOG.warn("{} rolled back automatically from v{} to v{}: {}", key, version, target, reason.get());
        return Optional.of(target);
    }
}
