package io.riptide.serving.training;

import io.riptide.serving.Model;
import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.SyntheticData;
import io.riptide.serving.internal.NativeLightGbmModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LightGbmTrainerTest {

    private static Dataset train;
    private static Dataset valid;

    @BeforeAll
    static void data() {
        Dataset all = SyntheticData.dataset(5_000, 6, 11);
        TimeSplit.Split split = TimeSplit.purged(all.timesMs(), 0, 0.3, 0);
        train = all.select(split.train());
        valid = all.select(split.test());
    }

    private static String text(ModelArtifact a) {
        return new String(a.bytes(), StandardCharsets.UTF_8);
    }

    private static int trees(ModelArtifact a) {
        return (int) text(a).lines().filter(l -> l.startsWith("Tree=")).count();
    }

    @Test
    void learnsTheSignalAndReportsValidationMetrics() {
        TrainingResult r = new LightGbmTrainer().train(train, valid, TrainingParams.defaults().withNumRounds(100));
        assertEquals(ModelFormats.LIGHTGBM_TEXT, r.artifact().format());
        assertTrue(r.metrics().get("auc") > 0.8, "auc " + r.metrics());
        assertEquals(valid.rows(), r.metrics().get("rows_eval"));
        for (String key : new String[] {"pr_auc", "f1", "precision", "recall", "accuracy", "brier", "log_loss", "ece"}) {
            assertTrue(r.metrics().containsKey(key), key);
        }
        assertEquals(r.bestIteration(), trees(r.artifact()));
    }

    @Test
    void isDeterministicForASeedAndChangesWithIt() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(30);
        ModelArtifact a = new LightGbmTrainer().train(train, null, p).artifact();
        ModelArtifact b = new LightGbmTrainer().train(train, null, p).artifact();
        ModelArtifact c = new LightGbmTrainer().train(train, null, p.withSeed(7)).artifact();
        assertEquals(a.sha256(), b.sha256());
        assertNotEquals(a.sha256(), c.sha256());
    }

    @Test
    void earlyStoppingKeepsTheBestRound() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(500).withLearningRate(0.5)
                .withEarlyStoppingRounds(5);
        TrainingResult r = new LightGbmTrainer().train(train, valid, p);
        assertTrue(r.bestIteration() < 100, "best " + r.bestIteration());
        assertEquals(r.bestIteration(), trees(r.artifact()));
    }

    @Test
    void referenceDistributionsCoverEveryFeatureAndTheScore() {
        TrainingResult r = new LightGbmTrainer().train(train, valid, TrainingParams.defaults().withNumRounds(20));
        assertEquals(train.cols() + 1, r.referenceDistributions().size());
        FeatureDistribution f1 = r.distribution("f1");
        assertTrue(f1.missingFraction() > 0.05 && f1.missingFraction() < 0.15, "missing " + f1.missingFraction());
        FeatureDistribution score = r.distribution("score");
        assertEquals(1.0, Arrays.stream(score.binFractions()).sum(), 1e-9);
        assertTrue(score.binEdges()[0] >= 0 && score.binEdges()[score.binEdges().length - 1] <= 1);
        double[] edges = r.distribution("f0").binEdges();
        for (int i = 1; i < edges.length; i++) {
            assertTrue(edges[i] > edges[i - 1]);
        }
    }

    @Test
    void warmStartContinuesFromThePreviousTrees() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(10).withEarlyStoppingRounds(0);
        ModelArtifact first = new LightGbmTrainer().train(train, null, p).artifact();
        TrainingResult second = new LightGbmTrainer().train(train, valid, p.withWarmStart(first));
        assertEquals(20, trees(second.artifact()));
        String firstTree0 = text(first).split("Tree=1")[0].split("Tree=0")[1];
        assertTrue(text(second.artifact()).contains(firstTree0), "first model's trees come first");
        assertThrows(IllegalArgumentException.class, () -> new LightGbmTrainer().train(train, null,
                p.withWarmStart(new ModelArtifact(ModelFormats.XGBOOST_JSON, new byte[] {1}))));
    }

    @Test
    void classWeightingRaisesPositiveScores() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(30);
        double plain = meanScore(new LightGbmTrainer().train(train, null, p).artifact());
        double weighted = meanScore(new LightGbmTrainer().train(train, null, p.withScalePosWeight(4)).artifact());
        double unbalanced = meanScore(new LightGbmTrainer().train(train, null, p.withUnbalanced(true)).artifact());
        assertTrue(weighted > plain + 0.05, plain + " vs " + weighted);
        assertNotEquals(plain, unbalanced);
        double[] w = new double[train.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = train.labels()[i] == 1 ? 4 : 1;
        }
        Dataset weightedRows = new Dataset(train.matrix(), train.rows(), train.featureNames(), train.labels(), w, null);
        double sampleWeighted = meanScore(new LightGbmTrainer().train(weightedRows, null, p).artifact());
        assertTrue(sampleWeighted > plain + 0.05, plain + " vs " + sampleWeighted);
    }

    private static double meanScore(ModelArtifact a) {
        try (Model m = NativeLightGbmModel.fromString(text(a))) {
            double[] out = new double[valid.rows()];
            m.predictBatch(valid.matrix(), valid.rows(), out);
            return Arrays.stream(out).average().orElseThrow();
        }
    }

    @Test
    void rejectsASingleClassTrainingSet() {
        Dataset oneClass = new Dataset(new double[] {1, 2, 3}, 3, java.util.List.of("a"), new double[] {1, 1, 1}, null,
                null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LightGbmTrainer().train(oneClass, null, TrainingParams.defaults()));
        assertTrue(e.getMessage().contains("only one class"));
    }

    @Test
    void batchAndSingleRowPredictionsAgree() {
        ModelArtifact a = new LightGbmTrainer().train(train, null, TrainingParams.defaults().withNumRounds(20))
                .artifact();
        try (NativeLightGbmModel m = NativeLightGbmModel.fromString(text(a))) {
            int n = 50;
            double[] out = new double[n];
            m.predictBatch(valid.matrix(), n, out);
            double[] row = new double[valid.cols()];
            double[] single = new double[n];
            for (int i = 0; i < n; i++) {
                valid.row(i, row);
                single[i] = m.predict(row);
                assertEquals(1 / (1 + Math.exp(-m.predictRaw(row))), single[i], 1e-12);
            }
            assertArrayEquals(out, single, 1e-15);
            assertFalse(Arrays.stream(out).anyMatch(v -> v <= 0 || v >= 1));
        }
    }
}
