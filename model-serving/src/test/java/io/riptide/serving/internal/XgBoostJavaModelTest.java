package io.riptide.serving.internal;

import io.riptide.serving.SyntheticData;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.XgBoostTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure-Java XGBoost evaluator against xgboost4j, on 10,000 hostile rows per model. */
class XgBoostJavaModelTest {

    private static final int ROWS = 10_000;
    private static final int COLS = 8;

    static Stream<Arguments> models() {
        TrainingParams base = TrainingParams.defaults().withNumRounds(50).withEarlyStoppingRounds(0);
        return Stream.of(
                Arguments.of("depth 2", base.withMaxDepth(2), Map.of(), 0.0),
                Arguments.of("depth 6", base, Map.of(), 0.0),
                Arguments.of("depth 10, unbalanced", base.withMaxDepth(10).withScalePosWeight(3.0), Map.of(), 0.0),
                Arguments.of("lossguide 31 leaves", base.withMaxDepth(0 + 8),
                        Map.<String, Object>of("grow_policy", "lossguide", "max_leaves", 31), 0.0),
                Arguments.of("no NaN in training", base, Map.of(), 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void equalsNativeOnHostileRows(String name, TrainingParams params, Map<String, Object> extra, double fillNaN) {
        Dataset train = SyntheticData.dataset(4_000, COLS, 21);
        if (fillNaN != 0.0) {
            double[] m = train.matrix();
            for (int i = 0; i < m.length; i++) {
                if (Double.isNaN(m[i])) {
                    m[i] = fillNaN;
                }
            }
        }
        byte[] json = new XgBoostTrainer(extra).train(train, null, params).artifact().bytes();
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"learner\""));
        double[] rows = EvaluatorRows.rows(ROWS, COLS, 77, -1);
        XgBoostJavaModel java = XgBoostJavaModel.parse(json);
        try (NativeXgBoostModel nat = NativeXgBoostModel.fromBytes(json)) {
            double[] expected = new double[ROWS];
            nat.predictBatch(rows, ROWS, expected);
            double[] actual = new double[ROWS];
            java.predictBatch(rows, ROWS, actual);
            double[] expectedMargin = new double[ROWS];
            nat.predictBatchMargin(rows, ROWS, expectedMargin);
            double maxDiff = 0;
            double maxMarginDiff = 0;
            for (int i = 0; i < ROWS; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                maxMarginDiff = Math.max(maxMarginDiff, Math.abs(expectedMargin[i] - java.margin(rows, i * COLS)));
            }
            assertTrue(maxDiff <= 1e-6, name + ": max |java - native| probability = " + maxDiff);
            assertTrue(java.branchFree());
            assertEquals(TreeEvaluator.COMPLETE_TREES, java.evaluator());
            XgBoostJavaModel lockstep = XgBoostJavaModel.parse(json, TreeEvaluator.LOCKSTEP);
            assertEquals(TreeEvaluator.LOCKSTEP, lockstep.evaluator());
            for (int i = 0; i < ROWS; i++) {
                assertEquals(java.margin(rows, i * COLS), java.marginByBranches(rows, i * COLS), 0.0, "row " + i);
                assertEquals(java.margin(rows, i * COLS), lockstep.margin(rows, i * COLS), 0.0, "lockstep, row " + i);
            }
            assertTrue(maxMarginDiff <= 1e-5, name + ": max |java - native| margin = " + maxMarginDiff);
            double[] row = new double[COLS];
            for (int i = 0; i < 300; i++) {
                System.arraycopy(rows, i * COLS, row, 0, COLS);
                assertEquals(nat.predict(row), java.predict(row), 1e-6, "single row " + i);
            }
        }
    }

    @Test
    void floatKeysOrderLikeFloats() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] special = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.0f, -1.0f};
        for (int i = 0; i < 200_000; i++) {
            float a = i < special.length * special.length ? special[i % special.length]
                    : Float.intBitsToFloat(r.nextInt());
            float b = i < special.length * special.length ? special[i / special.length]
                    : r.nextBoolean() ? Float.intBitsToFloat(r.nextInt()) : Math.nextUp(a);
            if (Float.isNaN(a) || Float.isNaN(b)) {
                continue;
            }
            long ka = CompleteForest.key(a);
            long kb = CompleteForest.key(b);
            assertEquals(a < b, ka - kb < 0, a + " vs " + b);
            assertTrue(CompleteForest.NAN_LEFT < ka && ka < CompleteForest.NAN_RIGHT);
        }
    }

    @Test
    void readsBothBaseScoreSpellings() {
        assertEquals(0.5f, XgBoostJsonParser.parseBaseScore("5E-1"));
        assertEquals(0.25f, XgBoostJsonParser.parseBaseScore("[2.5E-1]"));
        assertThrows(IllegalArgumentException.class, () -> XgBoostJsonParser.parseBaseScore("[1E-1,2E-1]"));
    }

    @Test
    void rejectsNonProbabilityObjectivesAndGarbage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XgBoostJavaModel.parse("not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("XGBoost model is not JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> XgBoostJavaModel.parse(
                "{\"learner\":{\"objective\":{\"name\":\"reg:squarederror\"}}}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("reg:squarederror"), e.getMessage());
    }
}
