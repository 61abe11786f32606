package io.riptide.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.serving.Model;
import io.riptide.serving.ModelFormats;

import java.io.IOException;

/**
 * An XGBoost JSON model (gbtree, binary:logistic or reg:logistic) compiled into flat arrays and evaluated in
 * pure Java, equal to xgboost4j.
 *
 * <p>Mirrors XGBoost's CPU predictor: the row is read in float; a NaN goes to the node's default child,
 * otherwise {@code x < split_condition} goes left; the margin is the float sum, in tree order, of the base
 * margin (logit of base_score) and the leaf values; the probability is XGBoost's float sigmoid.
 */
public final class XgBoostJavaModel implements Model {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int numFeatures;
    private final int[] roots;
    private final int[] feature;
    private final float[] threshold;
    private final int[] left;
    private final int[] right;
    private final int[] defaultChild;
    private final float[] leafValue;
    private final float baseMargin;

    private XgBoostJavaModel(int numFeatures, int[] roots, int[] feature, float[] threshold, int[] left, int[] right,
                             int[] defaultChild, float[] leafValue, float baseMargin) {
        this.numFeatures = numFeatures;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.defaultChild = defaultChild;
        this.leafValue = leafValue;
        this.baseMargin = baseMargin;
    }

    /** Parses and compiles XGBoost JSON model bytes; throws IllegalArgumentException naming what is wrong. */
    public static XgBoostJavaModel parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("XGBoost model is not JSON: " + e.getMessage(), e);
        }
        JsonNode learner = root.path("learner");
        if (learner.isMissingNode()) {
            throw new IllegalArgumentException("XGBoost JSON has no learner object");
        }
        String objective = learner.path("objective").path("name").asText("");
        if (!objective.equals("binary:logistic") && !objective.equals("reg:logistic")) {
            throw new IllegalArgumentException("XGBoost objective '" + objective
                    + "' does not produce a probability; expected binary:logistic or reg:logistic");
        }
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            throw new IllegalArgumentException("XGBoost booster '" + booster.path("name").asText()
                    + "' is not supported; expected gbtree");
        }
        JsonNode param = learner.path("learner_model_param");
        int numFeatures = Integer.parseInt(param.path("num_feature").asText("-1"));
        String numClass = param.path("num_class").asText("0");
        if (!numClass.equals("0") && !numClass.equals("1")) {
            throw new IllegalArgumentException("XGBoost model has num_class=" + numClass + "; only binary models are served");
        }
        float baseScore = parseBaseScore(param.path("base_score").asText());
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IllegalArgumentException("XGBoost base_score " + baseScore + " is not a probability in (0,1)");
        }
        float baseMargin = (float) -Math.log(1.0 / baseScore - 1.0);

        JsonNode trees = booster.path("model").path("trees");
        if (!trees.isArray() || trees.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no trees");
        }
        int totalNodes = 0;
        for (JsonNode tree : trees) {
            totalNodes += tree.path("left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] feature = new int[totalNodes];
        float[] threshold = new float[totalNodes];
        int[] left = new int[totalNodes];
        int[] right = new int[totalNodes];
        int[] defaultChild = new int[totalNodes];
        float[] leafValue = new float[totalNodes];
        int offset = 0;
        int t = 0;
        for (JsonNode tree : trees) {
            JsonNode lc = tree.path("left_children");
            JsonNode rc = tree.path("right_children");
            JsonNode si = tree.path("split_indices");
            JsonNode sc = tree.path("split_conditions");
            JsonNode dl = tree.path("default_left");
            JsonNode st = tree.path("split_type");
            int n = lc.size();
            if (rc.size() != n || si.size() != n || sc.size() != n || dl.size() != n) {
                throw new IllegalArgumentException("XGBoost tree " + t + " has node arrays of different lengths");
            }
            for (int k = 0; k < n; k++) {
                if (st.size() == n && st.get(k).asInt() != 0) {
                    throw new IllegalArgumentException("XGBoost tree " + t + " has a categorical split; not supported");
                }
                int g = offset + k;
                int l = lc.get(k).asInt();
                if (l == -1) {
                    feature[g] = 0;
                    leafValue[g] = (float) sc.get(k).asDouble();
                    continue;
                }
                int r = rc.get(k).asInt();
                int f = si.get(k).asInt();
                if (l < 0 || l >= n || r < 0 || r >= n || f < 0 || f >= numFeatures) {
                    throw new IllegalArgumentException("XGBoost tree " + t + " node " + k + " has an invalid child or feature");
                }
                feature[g] = f;
                threshold[g] = (float) sc.get(k).asDouble();
                left[g] = ref(lc, l, offset);
                right[g] = ref(lc, r, offset);
                defaultChild[g] = dl.get(k).asInt() != 0 ? left[g] : right[g];
            }
            roots[t++] = ref(lc, 0, offset);
            offset += n;
        }
        return new XgBoostJavaModel(numFeatures, roots, feature, threshold, left, right, defaultChild, leafValue,
                baseMargin);
    }

    /** A child reference: its global node index, or ~index when it is a leaf. */
    private static int ref(JsonNode leftChildren, int local, int offset) {
        return leftChildren.get(local).asInt() == -1 ? ~(offset + local) : offset + local;
    }

    /** XGBoost 2+ writes base_score as "[5E-1]" (a vector), older versions as "5E-1". */
    static float parseBaseScore(String s) {
        String v = s.strip();
        if (v.startsWith("[")) {
            v = v.substring(1, v.length() - 1).strip();
            if (v.contains(",")) {
                throw new IllegalArgumentException("XGBoost base_score " + s + " has several targets; one is served");
            }
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("XGBoost JSON has no base_score");
        }
        return Float.parseFloat(v);
    }

    /** The margin of the row starting at {@code offset}, summed in float as XGBoost does. */
    public float margin(double[] x, int offset) {
        final int[] roots = this.roots;
        final int[] feature = this.feature;
        final float[] threshold = this.threshold;
        final int[] left = this.left;
        final int[] right = this.right;
        final int[] defaultChild = this.defaultChild;
        final float[] leafValue = this.leafValue;
        float sum = baseMargin;
        for (int t = 0; t < roots.length; t++) {
            int n = roots[t];
            while (n >= 0) {
                float f = (float) x[offset + feature[n]];
                n = f < threshold[n] ? left[n] : f >= threshold[n] ? right[n] : defaultChild[n];
            }
            sum += leafValue[~n];
        }
        return sum;
    }

    /** XGBoost's {@code common::Sigmoid}, in float. */
    static float sigmoid(float margin) {
        float x = Math.min(-margin, 88.7f);
        float denominator = (float) Math.exp(x) + 1.0f + 1e-16f;
        return 1.0f / denominator;
    }

    @Override
    public double predict(double[] x) {
        if (x.length != numFeatures) {
            throw new IllegalArgumentException("row has " + x.length + " features, model expects " + numFeatures);
        }
        return sigmoid(margin(x, 0));
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        if (rowsRowMajor.length < (long) rows * numFeatures || out.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + (long) rows * numFeatures
                    + " values and " + rows + " outputs, got " + rowsRowMajor.length + " and " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = sigmoid(margin(rowsRowMajor, r * numFeatures));
        }
    }

    public int numTrees() {
        return roots.length;
    }

    /** Bytes held by the compiled arrays. */
    public long memoryBytes() {
        return ArraySizes.of(roots) + ArraySizes.of(feature) + ArraySizes.of(threshold) + ArraySizes.of(left)
                + ArraySizes.of(right) + ArraySizes.of(defaultChild) + ArraySizes.of(leafValue);
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public String format() {
        return ModelFormats.XGBOOST_JSON;
    }

    @Override
    public void close() {
    }
}
