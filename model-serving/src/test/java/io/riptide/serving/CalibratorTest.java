package io.riptide.serving;

import io.riptide.serving.metrics.BinaryMetrics;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TimeSplit;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.TrainingResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibratorTest {

    /** Scores that are systematically overconfident: true probability q, reported score sigmoid(3 * logit(q)). */
    private static double[][] overconfident(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double q = r.nextDouble(0.05, 0.95);
            y[i] = r.nextDouble() < q ? 1 : 0;
            double z = Math.log(q / (1 - q));
            s[i] = 1 / (1 + Math.exp(-3 * z));
        }
        return new double[][] {s, y};
    }

    @Test
    void plattRecoversTheDistortion() {
        double[][] d = overconfident(20_000, 1);
        Calibrator c = Calibrator.platt(d[0], d[1]);
        Calibrator.Platt p = (Calibrator.Platt) c;
        assertEquals(1.0 / 3, p.a(), 0.03);
        assertEquals(0.0, p.b(), 0.05);
        double[][] test = overconfident(20_000, 2);
        double[] calibrated = java.util.Arrays.stream(test[0]).map(c::apply).toArray();
        assertTrue(BinaryMetrics.ece(calibrated, test[1], 10) < 0.5 * BinaryMetrics.ece(test[0], test[1], 10));
    }

    @Test
    void isotonicIsMonotoneAndMatchesPoolAdjacentViolatorsByHand() {
        // sorted scores 0.1..0.5 with labels 1,0,1,0,1 -> PAV blocks {0.1}=1? no: 1 > 0 violates -> pool {0.1,0.2}=0.5,
        // then 1 > 0 at 0.3/0.4 -> pool {0.3,0.4}=0.5, equal to previous block -> pooled {0.1..0.4}=0.5, then 0.5=1
        Calibrator c = Calibrator.isotonic(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, new double[] {1, 0, 1, 0, 1});
        assertEquals(0.5, c.apply(0.1));
        assertEquals(0.5, c.apply(0.4));
        assertEquals(1.0, c.apply(0.5));
        assertEquals(0.75, c.apply(0.45), 1e-12);
        assertEquals(0.5, c.apply(0.0));
        assertEquals(1.0, c.apply(0.9));
        double[][] d = overconfident(5_000, 3);
        Calibrator iso = Calibrator.isotonic(d[0], d[1]);
        double prev = -1;
        for (double p = 0; p <= 1.0; p += 0.001) {
            double v = iso.apply(p);
            assertTrue(v >= prev - 1e-15, "not monotone at " + p);
            prev = v;
        }
    }

    @Test
    void roundTripsThroughBytes() {
        double[][] d = overconfident(2_000, 4);
        for (Calibrator c : new Calibrator[] {Calibrator.identity(), Calibrator.platt(d[0], d[1]),
                Calibrator.isotonic(d[0], d[1])}) {
            Calibrator back = Calibrator.fromBytes(c.toBytes());
            assertEquals(c.method(), back.method());
            for (double p = 0.01; p < 1; p += 0.01) {
                assertEquals(c.apply(p), back.apply(p), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Calibrator.fromBytes("sigmoid 1".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> Calibrator.fit("beta", d[0], d[1]));
    }

    @Test
    void refusesPublishedCalibratorBytesThatAreNotACalibrator() {
        for (String bad : new String[] {"isotonic 2147483647 0.5 0.5", "isotonic 0", "isotonic -3 0.1 0.2",
            "isotonic 2 0.5 0.2 0.1 0.9", "isotonic 2 0.1 0.9 0.5 0.2", "isotonic 1 0.5 1.5", "isotonic 1 NaN 0.5",
            "platt NaN 1", "platt 1", "platt 1 2 3", "platt 1 Infinity", "none 1", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Calibrator.fromBytes(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(e.getMessage().startsWith("calibrator bytes do not parse"), e.getMessage());
        }
        Calibrator ties = Calibrator.fromBytes("isotonic 3 0.1 0.2 0.1 0.3 0.9 0.3".getBytes(StandardCharsets.UTF_8));
        assertEquals(0.3, ties.apply(0.5), 1e-12);
    }

    @Test
    void trainerFitsCalibrationOnValidationAndServesItWithTheModel() throws Exception {
        Dataset all = SyntheticData.dataset(6_000, 5, 8);
        TimeSplit.Split s = TimeSplit.purged(all.timesMs(), 0, 0.3, 0);
        TrainingResult r = new LightGbmTrainer().train(all.select(s.train()), all.select(s.test()),
                TrainingParams.defaults().withNumRounds(60).withCalibration("isotonic"));
        assertEquals("isotonic", r.calibrator().method());
        assertTrue(r.metrics().get("ece") <= r.metrics().get("ece_uncalibrated") + 1e-12, r.metrics().toString());
        Model raw = ModelLoader.load(r.artifact(), r.artifact().sha256(), "h", "h", 5);
        try (Model served = new CalibratedModel(raw, Calibrator.fromBytes(r.calibrator().toBytes()))) {
            double[] row = {0.3, -0.2, 0.0, 1.0, 0.5};
            assertEquals(r.calibrator().apply(raw.predict(row)), served.predict(row), 0.0);
        }
    }

    @Test
    void aCalibratorIsKeptOnlyWhenOneFittedOnTheOlderHalfAlsoCalibratesTheNewerHalf() {
        double[][] stable = overconfident(4_000, 5);
        Calibrator kept = Calibrator.fitIfItHoldsUp("platt", stable[0], stable[1]);
        assertEquals("platt", kept.method(), "the same distortion throughout: calibration holds up");

        // the market changes half-way: the same scores turn from overconfident to underconfident (outcomes follow
        // them more sharply than they say), so shrinking them as the older half asks makes the newer half worse
        double[][] shifted = overconfident(4_000, 6);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 2_000; i < 4_000; i++) {
            double z = Math.log(shifted[0][i] / (1 - shifted[0][i]));
            shifted[1][i] = r.nextDouble() < 1 / (1 + Math.exp(-3 * z)) ? 1 : 0;
        }
        double[] older = java.util.Arrays.copyOfRange(shifted[0], 0, 2_000);
        double[] olderLabels = java.util.Arrays.copyOfRange(shifted[1], 0, 2_000);
        Calibrator fittedOnOlder = Calibrator.platt(older, olderLabels);
        double[] newer = java.util.Arrays.copyOfRange(shifted[0], 2_000, 4_000);
        double[] newerLabels = java.util.Arrays.copyOfRange(shifted[1], 2_000, 4_000);
        double[] newerCalibrated = java.util.Arrays.stream(newer).map(fittedOnOlder::apply).toArray();
        assertTrue(BinaryMetrics.ece(newerCalibrated, newerLabels, 10) > BinaryMetrics.ece(newer, newerLabels, 10),
                "the premise: calibrating on the older half hurts the newer half");
        assertEquals("none", Calibrator.fitIfItHoldsUp("platt", shifted[0], shifted[1]).method());

        assertEquals("none", Calibrator.fitIfItHoldsUp("none", stable[0], stable[1]).method());
        assertEquals("none", Calibrator.fitIfItHoldsUp("platt", new double[] {0.2, 0.8}, new double[] {0, 1}).method(),
                "too few scores to check");
    }
}
