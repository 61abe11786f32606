package io.riptide.trigger.lifecycle;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the production version of a key goes back to the version it replaced, without a person asking: once it
 * has served {@link Settings#minOutcomes()} resolved outcomes, its live AUC over the latest of them is more than a
 * margin below the hold-out AUC it was accepted on, or below the previous version's live AUC over that version's
 * whole time in production.
 *
 * <p>Only a version that a promotion made production is rolled back. One that a rollback restored stays: it served
 * before, so what went wrong since is the market, and retraining (which a low live AUC asks for anyway) is the
 * remedy, where two bad versions would otherwise take turns.
 */
public final class RollbackRule {

    /**
     * @param enabled        false: production versions change only by promotion and by ops
     * @param minOutcomes    the fewest resolved outcomes, of the production version and of the previous one, a
     *                       comparison is made on
     * @param belowValidated how far below its hold-out AUC the live AUC may fall
     * @param belowPrevious  how far below the previous version's live AUC it may fall; NaN: no such check (the
     *                       default, as the two live AUCs come from different market periods)
     */
    public record Settings(boolean enabled, int minOutcomes, double belowValidated, double belowPrevious) {
    }

    /** AUC over resolved outcomes (NaN and 0 outcomes when none were reported). */
    public record Live(int outcomes, double auc) {
        public static final Live NONE = new Live(0, Double.NaN);
    }

    /**
     * @param restoredByRollback the latest change that made it production was a rollback
     * @param validatedAuc       its hold-out AUC when it was accepted (NaN if unknown)
     * @param live               its latest outcomes
     */
    public record Production(int version, boolean restoredByRollback, double validatedAuc, Live live) {
    }

    /** The version that served before, with its live record over its whole time in production. */
    public record Previous(int version, Live live) {
    }

    private final Settings settings;

    public RollbackRule(Settings settings) {
        this.settings = settings;
    }

    /** The reason to roll back, or empty to keep the production version. */
    public Optional<String> reasonToRollBack(Production production, Optional<Previous> previous) {
        if (!settings.enabled() || previous.isEmpty() || production.restoredByRollback()
                || production.live().outcomes() < settings.minOutcomes() || !Double.isFinite(production.live().auc())) {
            return Optional.empty();
        }
        double live = production.live().auc();
        String measured = String.format(Locale.ROOT, "live AUC %.3f of v%d over %d outcomes", live,
                production.version(), production.live().outcomes());
        if (Double.isFinite(production.validatedAuc())
                && live < production.validatedAuc() - settings.belowValidated()) {
            return Optional.of(String.format(Locale.ROOT, "%s is more than %.2f below the hold-out AUC %.3f it was "
                    + "accepted on", measured, settings.belowValidated(), production.validatedAuc()));
        }
        Live before = previous.get().live();
        if (!Double.isNaN(settings.belowPrevious()) && before.outcomes() >= settings.minOutcomes()
                && Double.isFinite(before.auc())
                && live < before.auc() - settings.belowPrevious()) {
            return Optional.of(String.format(Locale.ROOT, "%s is more than %.2f below v%d's live AUC %.3f over %d "
                    + "outcomes", measured, settings.belowPrevious(), previous.get().version(), before.auc(),
                    before.outcomes()));
        }
        return Optional.empty();
    }
}
