package io.riptide.serving;

import io.riptide.serving.metrics.BinaryMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineLogisticRegressionTest {

    private static double[] row(SplittableRandom r) {
        return new double[] {r.nextGaussian() * 1000, r.nextGaussian(), r.nextDouble() < 0.1 ? Double.NaN : r.nextGaussian()};
    }

    private static double label(double[] x, SplittableRandom r, double sign) {
        double z = sign * (2.0 * x[0] / 1000 - 1.0 * x[1]);
        return r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }

    @Test
    void learnsOneOutcomeAtATimeOnUnscaledFeatures() {
        OnlineLogisticRegression m = OnlineLogisticRegression.withDefaults(3);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 5_000; i++) {
            double[] x = row(r);
            m.learnOne(x, label(x, r, 1));
        }
        double[] s = new double[2_000];
        double[] y = new double[2_000];
        for (int i = 0; i < s.length; i++) {
            double[] x = row(r);
            s[i] = m.predict(x);
            y[i] = label(x, r, 1);
        }
        assertTrue(BinaryMetrics.rocAuc(s, y) > 0.75, "auc " + BinaryMetrics.rocAuc(s, y));
        assertEquals(5_000, m.updates());
    }

    @Test
    void decayLetsItFollowARegimeChange() {
        OnlineLogisticRegression fast = new OnlineLogisticRegression(3, 0.1, 1, 0, 1, 0.995);
        OnlineLogisticRegression none = new OnlineLogisticRegression(3, 0.1, 1, 0, 1, 1.0);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            double[] x = row(r);
            double y = label(x, r, i < 19_000 ? 1 : -1);  // the relationship flips near the end
            fast.learnOne(x, y);
            none.learnOne(x, y);
        }
        double[] sf = new double[2_000];
        double[] sn = new double[2_000];
        double[] y = new double[2_000];
        for (int i = 0; i < y.length; i++) {
            double[] x = row(r);
            sf[i] = fast.predict(x);
            sn[i] = none.predict(x);
            y[i] = label(x, r, -1);
        }
        assertTrue(BinaryMetrics.logLoss(sf, y) < BinaryMetrics.logLoss(sn, y),
                BinaryMetrics.logLoss(sf, y) + " vs " + BinaryMetrics.logLoss(sn, y));
    }

    @Test
    void stateRoundTripsThroughBytesExactly() {
        OnlineLogisticRegression m = OnlineLogisticRegression.withDefaults(3);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            double[] x = row(r);
            m.learnOne(x, label(x, r, 1));
        }
        OnlineLogisticRegression back = OnlineLogisticRegression.fromBytes(m.toBytes());
        assertArrayEquals(m.toBytes(), back.toBytes());
        double[] x = {10, 0.5, Double.NaN};
        assertEquals(m.predict(x), back.predict(x), 0.0);
        back.learnOne(x, 1);
        m.learnOne(x, 1);
        assertEquals(m.predict(x), back.predict(x), 0.0);
        assertThrows(IllegalArgumentException.class, () -> OnlineLogisticRegression.fromBytes(new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> m.learnOne(x, 0.5));
    }

    @Test
    void blendsWithTheBatchModelEightyTwenty() {
        RuleBasedLiquidationModel batch = new RuleBasedLiquidationModel(List.of("a", "b", "c"));
        OnlineLogisticRegression online = OnlineLogisticRegression.withDefaults(3);
        online.learnOne(new double[] {1, 2, 3}, 1);
        WeightedBlend blend = WeightedBlend.withOnline(batch, online, 0.2);
        double[] x = {1, 2, 3};
        assertEquals(0.8 * batch.predict(x) + 0.2 * online.predict(x), blend.predict(x), 1e-15);
        double[] out = new double[1];
        blend.predictBatch(x, 1, out);
        assertEquals(blend.predict(x), out[0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> WeightedBlend.withOnline(batch, online, 1.5));
        assertEquals(blend.predict(x), WeightedBlend.withOnline(batch, online).predict(x), 0.0);
    }
}
