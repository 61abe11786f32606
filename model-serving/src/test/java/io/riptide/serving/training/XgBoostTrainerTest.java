package io.riptide.serving.training;

import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.SyntheticData;
import io.riptide.serving.internal.NativeXgBoostModel;
import io.riptide.serving.internal.XgBoostJavaModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XgBoostTrainerTest {

    private static Dataset train;
    private static Dataset valid;

    @BeforeAll
    static void data() {
        Dataset all = SyntheticData.dataset(5_000, 6, 12);
        TimeSplit.Split split = TimeSplit.purged(all.timesMs(), 0, 0.3, 0);
        train = all.select(split.train());
        valid = all.select(split.test());
    }

    @Test
    void learnsTheSignalWithMetricsAndDistributions() {
        TrainingResult r = new XgBoostTrainer().train(train, valid, TrainingParams.defaults().withNumRounds(80));
        assertEquals(ModelFormats.XGBOOST_JSON, r.artifact().format());
        assertTrue(r.metrics().get("auc") > 0.8, "metrics " + r.metrics());
        assertEquals(train.cols() + 1, r.referenceDistributions().size());
        assertEquals(r.bestIteration(), XgBoostJavaModel.parse(r.artifact().bytes()).numTrees());
    }

    @Test
    void isDeterministicForASeed() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(20);
        ModelArtifact a = new XgBoostTrainer().train(train, null, p).artifact();
        ModelArtifact b = new XgBoostTrainer().train(train, null, p).artifact();
        ModelArtifact c = new XgBoostTrainer().train(train, null, p.withSeed(9)).artifact();
        assertEquals(a.sha256(), b.sha256());
        assertNotEquals(a.sha256(), c.sha256());
    }

    @Test
    void earlyStoppingKeepsOnlyTheBestRounds() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(400).withLearningRate(0.6).withEarlyStoppingRounds(5);
        TrainingResult r = new XgBoostTrainer().train(train, valid, p);
        assertTrue(r.bestIteration() < 100, "best " + r.bestIteration());
        assertEquals(r.bestIteration(), XgBoostJavaModel.parse(r.artifact().bytes()).numTrees());
    }

    @Test
    void warmStartAddsRoundsToThePreviousModel() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(10).withEarlyStoppingRounds(0);
        ModelArtifact first = new XgBoostTrainer().train(train, null, p).artifact();
        ModelArtifact second = new XgBoostTrainer().train(train, null, p.withWarmStart(first)).artifact();
        assertEquals(20, XgBoostJavaModel.parse(second.bytes()).numTrees());
        assertThrows(IllegalArgumentException.class, () -> new XgBoostTrainer().train(train, null,
                p.withWarmStart(new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, new byte[] {1}))));
    }

    @Test
    void positiveWeightRaisesScores() {
        TrainingParams p = TrainingParams.defaults().withNumRounds(20);
        double plain = mean(new XgBoostTrainer().train(train, null, p).artifact());
        double weighted = mean(new XgBoostTrainer().train(train, null, p.withScalePosWeight(4)).artifact());
        double unbalanced = mean(new XgBoostTrainer().train(train, null, p.withUnbalanced(true)).artifact());
        assertTrue(weighted > plain + 0.05, plain + " vs " + weighted);
        assertNotEquals(plain, unbalanced);
    }

    private static double mean(ModelArtifact a) {
        try (NativeXgBoostModel m = NativeXgBoostModel.fromBytes(a.bytes())) {
            double[] out = new double[valid.rows()];
            m.predictBatch(valid.matrix(), valid.rows(), out);
            return Arrays.stream(out).average().orElseThrow();
        }
    }

    @Test
    void parsesTheValidationLogLoss() {
        assertEquals(0.4321, XgBoostTrainer.parseLogLoss("[12]\tvalid-logloss:0.4321"), 0);
        assertThrows(IllegalStateException.class, () -> XgBoostTrainer.parseLogLoss("[1]\ttrain-auc:0.5"));
    }
}
