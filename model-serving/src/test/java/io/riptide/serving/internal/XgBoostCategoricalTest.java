package io.riptide.serving.internal;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XGBoost categorical splits (trained by xgboost4j with feature type "c"): the pure-Java evaluator against
 * xgboost4j on 10,000 rows whose categorical columns hold NaN, negative, non-integer and out-of-range values.
 */
class XgBoostCategoricalTest {

    private static final int ROWS = 10_000;
    private static final int COLS = 6;
    /** Columns 2 (30 categories) and 3 (4 categories) are categorical. */
    private static final String[] TYPES = {"q", "q", "c", "c", "q", "q"};

    static double[] trainingRows(int rows, long seed, double[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[rows * COLS];
        for (int i = 0; i < rows; i++) {
            int o = i * COLS;
            for (int c = 0; c < COLS; c++) {
                m[o + c] = r.nextGaussian();
            }
            m[o + 2] = r.nextInt(0, 30);
            m[o + 3] = r.nextInt(0, 4);
            if (r.nextDouble() < 0.05) {
                m[o + 2] = Double.NaN;
            }
            if (r.nextDouble() < 0.05) {
                m[o + 1] = Double.NaN;
            }
            double z = m[o] + (((int) m[o + 2]) % 3 == 0 ? 1.2 : -0.8) + (m[o + 3] == 2 ? 1.0 : 0.0)
                    + (Double.isNaN(m[o + 2]) ? 0.7 : 0.0);
            labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1.0 : 0.0;
        }
        return m;
    }

    /** Typical values mixed with NaN, negative, non-integer and out-of-range categories, infinities, -0. */
    static double[] hostileRows(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] odd = {Double.NaN, -1, -0.5, -0.0, -3, 2.5, 7.9, 29.99, 30, 31, 32, 63, 64, 100, 1e6, 16777215,
            16777216, 16777218, 1e30, -1e30, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-40, -1e-40};
        double[] m = new double[ROWS * COLS];
        for (int i = 0; i < m.length; i++) {
            int col = i % COLS;
            double u = r.nextDouble();
            if (col == 2 || col == 3) {
                m[i] = u < 0.4 ? odd[r.nextInt(odd.length)] : r.nextInt(0, col == 2 ? 30 : 4);
            } else {
                m[i] = u < 0.1 ? Double.NaN : u < 0.15 ? 0.0 : r.nextGaussian() * 2;
            }
        }
        return m;
    }

    static byte[] train(int onehotBelow, long seed) throws Exception {
        int rows = 4_000;
        double[] labels = new double[rows];
        double[] m = trainingRows(rows, seed, labels);
        float[] data = new float[m.length];
        float[] y = new float[rows];
        for (int i = 0; i < m.length; i++) {
            data[i] = (float) m[i];
        }
        for (int i = 0; i < rows; i++) {
            y[i] = (float) labels[i];
        }
        DMatrix d = new DMatrix(data, rows, COLS, Float.NaN);
        try {
            d.setLabel(y);
            d.setFeatureTypes(TYPES);
            Map<String, Object> p = new HashMap<>();
            p.put("objective", "binary:logistic");
            p.put("tree_method", "hist");
            p.put("max_depth", 5);
            p.put("eta", 0.3);
            p.put("nthread", 1);
            p.put("seed", seed);
            p.put("verbosity", 0);
            p.put("max_cat_to_onehot", onehotBelow);
            Booster b = XGBoost.train(d, p, 40, new HashMap<>(), null, null);
            try {
                return b.toByteArray("json");
            } finally {
                b.dispose();
            }
        } finally {
            d.dispose();
        }
    }

    @ParameterizedTest(name = "max_cat_to_onehot={0}")
    @ValueSource(ints = {1, 5, 64})
    void categoricalSplitsEqualNative(int onehotBelow) throws Exception {
        byte[] json = train(onehotBelow, 11);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"split_type\":[") && text.matches("(?s).*\"split_type\":\\[[^]]*1.*"),
                "model has categorical splits");
        double[] rows = hostileRows(31);
        XgBoostJavaModel java = XgBoostJavaModel.parse(json);
        XgBoostJavaModel branches = XgBoostJavaModel.parse(json, TreeEvaluator.BRANCHES);
        assertEquals(TreeEvaluator.COMPLETE_TREES, java.evaluator());
        assertEquals(TreeEvaluator.BRANCHES, branches.evaluator());
        assertEquals(TreeEvaluator.BRANCHES, XgBoostJavaModel.parse(json, TreeEvaluator.LOCKSTEP).evaluator(),
                "the earlier lockstep layout has no categorical splits");
        try (NativeXgBoostModel nat = NativeXgBoostModel.fromBytes(json)) {
            double[] expected = new double[ROWS];
            double[] expectedMargin = new double[ROWS];
            double[] actual = new double[ROWS];
            nat.predictBatch(rows, ROWS, expected);
            nat.predictBatchMargin(rows, ROWS, expectedMargin);
            java.predictBatch(rows, ROWS, actual);
            double maxDiff = 0;
            double maxMarginDiff = 0;
            for (int i = 0; i < ROWS; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                maxMarginDiff = Math.max(maxMarginDiff, Math.abs(expectedMargin[i] - java.margin(rows, i * COLS)));
                assertEquals(java.margin(rows, i * COLS), branches.margin(rows, i * COLS), 0.0, "row " + i);
            }
            int categoricalNodes = text.split("\"split_type\":\\[", -1).length - 1 > 0
                    ? (int) Pattern.compile("\"categories_nodes\":\\[\\d").matcher(text).results().count() : 0;
            System.out.println("max_cat_to_onehot=" + onehotBelow + ": " + ROWS + " rows, max |java - native| probability "
                    + maxDiff + ", margin " + maxMarginDiff + "; trees with categorical splits: " + categoricalNodes);
            assertTrue(maxDiff <= 1e-6, "max |java - native| probability = " + maxDiff);
            assertTrue(maxMarginDiff <= 1e-5, "max |java - native| margin = " + maxMarginDiff);
            double[] row = new double[COLS];
            for (int i = 0; i < 300; i++) {
                System.arraycopy(rows, i * COLS, row, 0, COLS);
                assertEquals(nat.predict(row), java.predict(row), 1e-6, "single row " + i);
            }
        }
    }
}
