package io.riptide.app.backtest;

import io.riptide.schemas.avro.BarrierHit;
import io.riptide.schemas.avro.Direction;
import io.riptide.schemas.avro.PatternOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PatternEvaluationTest {

    private static PatternOutcome outcome(int i, int version, double base, double ml, int label, double ret) {
        return PatternOutcome.newBuilder().setSignalId("s" + i).setInstrument("SIM:A").setPattern("pattern_hammer")
                .setDirection(Direction.LONG).setRegime("sideways").setSignalTimeMs(i * 60_000L)
                .setResolvedAtMs(i * 60_000L + 300_000).setBarrier(label == 1 ? BarrierHit.PROFIT : BarrierHit.STOP)
                .setLabel(label).setEntryPrice(100).setExitPrice(100 * (1 + ret)).setRealizedReturn(ret)
                .setBarsToHit(5).setTimeToHitMs(300_000).setModelKey("pattern-30m").setModelVersion(version)
                .setBaseConfidence(base).setMlConfidence(ml).build();
    }

    @Test
    void aModelThatRanksSuccessesFirstBeatsAConstantPriorOnTheSameSignals() {
        List<PatternOutcome> outcomes = new ArrayList<>();
        outcomes.add(outcome(0, 0, 0.55, 0.55, 1, 0.02)); // served by the prior only: not judged
        for (int i = 1; i <= 20; i++) {
            boolean win = i % 4 == 0;
            // the model puts all 5 successes above every failure; the prior is the same for all
            outcomes.add(outcome(i, 1, 0.55, win ? 0.6 + i / 100.0 : 0.2, win ? 1 : 0, win ? 0.02 : -0.01));
        }
        PatternEvaluation e = PatternEvaluation.of(outcomes);
        assertEquals(21, e.signals());
        assertEquals(20, e.scored());
        assertEquals(0.25, e.successRate(), 1e-12);
        assertEquals(1.0, e.aucMl(), 1e-12);
        assertEquals(0.5, e.aucBase(), 1e-12);
        assertEquals(1.0, e.topDecileMl(), 1e-12, "the top 2 by the model are successes");
        // the prior ties everything: the top decile is the first two signals met, failures both
        assertEquals(0.0, e.topDecileBase(), 1e-12);
        assertEquals(5, e.takenMl());
        assertEquals(0.02 - PatternEvaluation.ROUND_TRIP_FEE, e.meanNetReturnTakenMl(), 1e-12);
        assertEquals(20, e.takenBase(), "a prior of 0.55 takes every signal");
        assertEquals(e.meanNetReturnAll(), e.meanNetReturnTakenBase(), 1e-12);
        assertEquals((5 * 0.02 - 15 * 0.01) / 20 - PatternEvaluation.ROUND_TRIP_FEE, e.meanNetReturnAll(), 1e-12);
    }

    @Test
    void withNoScoredSignalThereIsNothingToJudge() {
        PatternEvaluation e = PatternEvaluation.of(List.of(outcome(1, 0, 0.6, 0.6, 1, 0.01)));
        assertEquals(0, e.scored());
        assertNull(e.json().get("auc_ml"));
        assertNull(e.json().get("mean_net_return_taken_ml"));
    }
}
