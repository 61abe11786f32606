package io.riptide.trigger.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollbackRuleTest {
    private static final RollbackRule RULE = new RollbackRule(new RollbackRule.Settings(true, 480, 0.10, 0.05));
    private static final Optional<RollbackRule.Previous> PREVIOUS_UNKNOWN = Optional.of(
            new RollbackRule.Previous(4, RollbackRule.Live.NONE));

    private static RollbackRule.Production production(double validated, int outcomes, double liveAuc) {
        return new RollbackRule.Production(5, false, validated, new RollbackRule.Live(outcomes, liveAuc));
    }

    @Test
    void aVersionFarBelowTheAucItWasAcceptedOnGoesBack() {
        Optional<String> reason = RULE.reasonToRollBack(production(0.70, 480, 0.59), PREVIOUS_UNKNOWN);
        assertEquals(Optional.of("live AUC 0.590 of v5 over 480 outcomes is more than 0.10 below the hold-out AUC "
                + "0.700 it was accepted on"), reason);
        assertTrue(RULE.reasonToRollBack(production(0.70, 480, 0.61), PREVIOUS_UNKNOWN).isEmpty());
    }

    @Test
    void tooFewOutcomesDecideNothing() {
        assertTrue(RULE.reasonToRollBack(production(0.70, 479, 0.30), PREVIOUS_UNKNOWN).isEmpty());
        assertTrue(RULE.reasonToRollBack(production(0.70, 480, Double.NaN), PREVIOUS_UNKNOWN).isEmpty());
    }

    @Test
    void aVersionBelowThePreviousVersionsLiveRecordGoesBackOnceThatRecordIsLongEnough() {
        RollbackRule.Production p = production(0.62, 480, 0.60);
        Optional<RollbackRule.Previous> strong = Optional.of(new RollbackRule.Previous(4,
                new RollbackRule.Live(960, 0.66)));
        assertEquals(Optional.of("live AUC 0.600 of v5 over 480 outcomes is more than 0.05 below v4's live AUC 0.660 "
                + "over 960 outcomes"), RULE.reasonToRollBack(p, strong));
        Optional<RollbackRule.Previous> brief = Optional.of(new RollbackRule.Previous(4,
                new RollbackRule.Live(240, 0.66)));
        assertTrue(RULE.reasonToRollBack(p, brief).isEmpty());
        Optional<RollbackRule.Previous> close = Optional.of(new RollbackRule.Previous(4,
                new RollbackRule.Live(960, 0.64)));
        assertTrue(RULE.reasonToRollBack(p, close).isEmpty());
        RollbackRule validatedOnly = new RollbackRule(new RollbackRule.Settings(true, 480, 0.10, Double.NaN));
        assertTrue(validatedOnly.reasonToRollBack(p, strong).isEmpty(), "the comparison with v4 is off");
    }

    @Test
    void nothingToGoBackToAVersionARollbackRestoredAndTheRuleSwitchedOffKeepTheVersion() {
        RollbackRule.Production bad = production(0.90, 1000, 0.40);
        assertTrue(RULE.reasonToRollBack(bad, Optional.empty()).isEmpty());
        RollbackRule.Production restored = new RollbackRule.Production(4, true, 0.90, bad.live());
        assertTrue(RULE.reasonToRollBack(restored, PREVIOUS_UNKNOWN).isEmpty());
        RollbackRule off = new RollbackRule(new RollbackRule.Settings(false, 480, 0.10, 0.05));
        assertTrue(off.reasonToRollBack(bad, PREVIOUS_UNKNOWN).isEmpty());
    }
}
