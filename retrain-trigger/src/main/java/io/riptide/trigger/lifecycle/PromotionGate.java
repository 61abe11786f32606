package io.riptide.trigger.lifecycle;

import io.riptide.serving.metrics.DeLong;

import java.time.Duration;
import java.util.Locale;

/**
 * Whether a shadow version replaces the production version of its key, judged on live outcomes both scored: the
 * shadow is promoted once, on at least {@link Settings#minOutcomes()} resolved outcomes, DeLong's paired test says it
 * ranks better at the configured significance; it is retired when the test says it ranks worse, or when its
 * probation (market time) ends without either. The caller passes only outcomes whose label is final, their horizon
 * passed, so promotion never rests on a label that could still change.
 * {@link ShadowReview} applies it in the trigger.
 */
public final class PromotionGate {

    /**
     * @param minOutcomes    the fewest paired outcomes a decision is made on. 500 by default: with a quarter of them
     *                       positive, a live AUC near 0.7 has a standard error of about 0.03; the paired difference of
     *                       two models whose errors correlate at 0.8 has 0.63 of that, so a real gain of 0.03 reaches
     *                       one-sided significance 0.05 at about 500 outcomes
     * @param significance   the one-sided p-value DeLong's test must reach, either way
     * @param maxProbationMs market time after which a shadow that has shown nothing is retired
     */
    public record Settings(int minOutcomes, double significance, long maxProbationMs) {
        public static final Settings DEFAULTS = new Settings(500, 0.05, Duration.ofHours(24).toMillis());
    }

    public enum Action { WAIT, PROMOTE, RETIRE }

    /** @param statistics the paired test on the outcomes so far, shadow as A and production as B */
    public record Decision(Action action, String reason, DeLong.Comparison statistics) {
    }

    private final Settings settings;

    public PromotionGate(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param shadowScores     the shadow's probability for each resolved outcome
     * @param productionScores production's for the same outcomes
     * @param labels           each outcome's final label (1 or 0)
     * @param probationMs      market time since the shadow started serving
     */
    public Decision decide(double[] shadowScores, double[] productionScores, int[] labels, long probationMs) {
        DeLong.Comparison c = DeLong.compare(shadowScores, productionScores, labels);
        String measured = String.format(Locale.ROOT, "shadow AUC %.4f vs production %.4f on %d outcomes (%d positive): "
                + "DeLong z %.2f", c.aucA(), c.aucB(), labels.length, c.positives(), c.z());
        boolean enough = labels.length >= settings.minOutcomes() && c.positives() > 0 && c.negatives() > 0;
        if (enough && c.pAGreater() <= settings.significance()) {
            return new Decision(Action.PROMOTE, String.format(Locale.ROOT, "%s, p %.4f <= %.3f: the shadow ranks better",
                    measured, c.pAGreater(), settings.significance()), c);
        }
        if (enough && c.pBGreater() <= settings.significance()) {
            return new Decision(Action.RETIRE, String.format(Locale.ROOT, "%s, p %.4f <= %.3f: the shadow ranks worse",
                    measured, c.pBGreater(), settings.significance()), c);
        }
        if (probationMs >= settings.maxProbationMs()) {
            return new Decision(Action.RETIRE, String.format(Locale.ROOT, "probation of %d min ended without a "
                    + "significant difference: %s", settings.maxProbationMs() / 60_000, measured), c);
        }
        return new Decision(Action.WAIT, enough ? measured + ": not significant yet"
                : measured + ": fewer than " + settings.minOutcomes() + " outcomes of both classes", c);
    }
}
