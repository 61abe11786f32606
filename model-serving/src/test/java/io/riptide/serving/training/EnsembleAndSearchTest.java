package io.riptide.serving.training;

import io.riptide.serving.Model;
import io.riptide.serving.SyntheticData;
import io.riptide.serving.WeightedBlend;
import io.riptide.serving.metrics.BinaryMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleAndSearchTest {

    @Test
    void stackingFitsAMetaLearnerOnOutOfFoldPredictions() {
        Dataset all = SyntheticData.dataset(4_000, 6, 31);
        TimeSplit.Split s = TimeSplit.purged(all.timesMs(), 0, 0.25, 0);
        Dataset train = all.select(s.train());
        Dataset test = all.select(s.test());
        TrainingParams p = TrainingParams.defaults().withNumRounds(40);
        Stacking.Result r = Stacking.fit(List.of(new LightGbmTrainer(), new XgBoostTrainer()), train, p, 3);
        assertEquals(3, r.metaWeights().length);
        assertTrue(r.metaWeights()[1] > 0 && r.metaWeights()[2] > 0, java.util.Arrays.toString(r.metaWeights()));
        assertTrue(BinaryMetrics.rocAuc(r.outOfFoldScores(), train.labels()) > 0.8);
        try (Model stacked = r.model();
             Model lgbm = Stacking.load(r.baseArtifacts().get(0));
             Model xgb = Stacking.load(r.baseArtifacts().get(1))) {
            double[] out = new double[test.rows()];
            stacked.predictBatch(test.matrix(), test.rows(), out);
            assertTrue(BinaryMetrics.rocAuc(out, test.labels()) > 0.8);
            WeightedBlend blend = new WeightedBlend(List.of(lgbm, xgb), new double[] {1, 1});
            double[] row = new double[test.cols()];
            test.row(0, row);
            assertEquals(0.5 * lgbm.predict(row) + 0.5 * xgb.predict(row), blend.predict(row), 1e-15);
        }
        assertThrows(IllegalArgumentException.class, () -> Stacking.fit(List.of(), train, p, 3));
    }

    @Test
    void randomSearchKeepsTheBestValidationLossWithinItsBudget() {
        Dataset all = SyntheticData.dataset(3_000, 6, 32);
        TimeSplit.Split s = TimeSplit.purged(all.timesMs(), 0, 0.3, 0);
        TrainingParams base = TrainingParams.defaults().withNumRounds(30);
        HyperparameterSearch.Outcome o = HyperparameterSearch.random(new LightGbmTrainer(), all.select(s.train()),
                all.select(s.test()), base, 6, Duration.ofMinutes(1), 5);
        assertEquals(6, o.trials().size());
        double min = o.trials().stream().mapToDouble(HyperparameterSearch.Trial::validationLogLoss).min().orElseThrow();
        assertEquals(min, o.best().metrics().get("log_loss"), 0.0);
        HyperparameterSearch.Outcome quick = HyperparameterSearch.random(new LightGbmTrainer(), all.select(s.train()),
                all.select(s.test()), base, 50, Duration.ZERO, 5);
        assertEquals(1, quick.trials().size(), "a spent budget still runs the first trial only");
        assertEquals(base, quick.bestParams());
    }
}
