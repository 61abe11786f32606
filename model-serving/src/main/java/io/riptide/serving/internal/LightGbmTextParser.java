package io.riptide.serving.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a LightGBM text model (header, then one block per tree) into the flat arrays and evaluator layouts a
 * {@link LightGbmJavaModel} is built from, refusing what it cannot serve with a message naming the problem.
 */
final class LightGbmTextParser {
    int numFeatures = -1;
    double sigmoid = Double.NaN;
    boolean averageOutput;
    final List<Integer> roots = new ArrayList<>();
    final IntList feature = new IntList();
    final DoubleList threshold = new DoubleList();
    final IntList left = new IntList();
    final IntList right = new IntList();
    final IntList nanChild = new IntList();
    final IntList slow = new IntList();
    final IntList decisionType = new IntList();
    final IntList catStart = new IntList();
    final IntList catWords = new IntList();
    final IntList catBits = new IntList();
    final DoubleList leafValue = new DoubleList();
    final ForestLayout.Builder layout = new ForestLayout.Builder();
    QuickScorer.Builder quickScorer;
    RankForestBuilder rankForest;
    final boolean[] variantUsed = new boolean[LightGbmJavaModel.VARIANTS];
    boolean branchFree = true;

    LightGbmJavaModel parse(String text, TreeEvaluator evaluator) {
        String[] lines = text.split("\n");
        int i = 0;
        Map<String, String> header = new HashMap<>();
        while (i < lines.length && !lines[i].startsWith("Tree=")) {
            String line = lines[i++].strip();
            if (line.equals("average_output")) {
                averageOutput = true;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                header.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!header.containsKey("max_feature_idx")) {
            throw new IllegalArgumentException("LightGBM model text has no max_feature_idx header");
        }
        numFeatures = Integer.parseInt(header.get("max_feature_idx").strip()) + 1;
        String numClass = header.getOrDefault("num_class", "1").strip();
        if (!numClass.equals("1") || !header.getOrDefault("num_tree_per_iteration", "1").strip().equals("1")) {
            throw new IllegalArgumentException("LightGBM model has num_class=" + numClass
                    + "; only binary models with one tree per iteration are served");
        }
        sigmoid = objectiveSigmoid(header.get("objective"));
        quickScorer = new QuickScorer.Builder(numFeatures);
        rankForest = new RankForestBuilder(numFeatures);
        while (i < lines.length) {
            String line = lines[i].strip();
            if (line.startsWith("end of trees")) {
                break;
            }
            if (line.startsWith("Tree=")) {
                Map<String, String> tree = new HashMap<>();
                i++;
                while (i < lines.length && !lines[i].startsWith("Tree=") && !lines[i].startsWith("end of trees")) {
                    String l = lines[i++].strip();
                    int eq = l.indexOf('=');
                    if (eq > 0) {
                        tree.put(l.substring(0, eq), l.substring(eq + 1));
                    }
                }
                addTree(tree, roots.size());
            } else {
                i++;
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("LightGBM model text has no trees");
        }
        return new LightGbmJavaModel(this, evaluator);
    }

    private static double objectiveSigmoid(String objective) {
        if (objective == null) {
            throw new IllegalArgumentException("LightGBM model text names no objective");
        }
        String[] parts = objective.strip().split(" ");
        switch (parts[0]) {
            case "binary": {
                for (String p : parts) {
                    if (p.startsWith("sigmoid:")) {
                        return Double.parseDouble(p.substring("sigmoid:".length()));
                    }
                }
                return 1.0;
            }
            case "cross_entropy":
            case "xentropy":
                return 1.0;
            default:
                throw new IllegalArgumentException("LightGBM objective '" + objective
                        + "' does not produce a probability; expected binary or cross_entropy");
        }
    }

    private void addTree(Map<String, String> tree, int index) {
        int numLeaves = Integer.parseInt(require(tree, "num_leaves", index));
        if ("1".equals(tree.getOrDefault("is_linear", "0").strip())) {
            throw new IllegalArgumentException("LightGBM tree " + index + " is a linear tree; not supported");
        }
        double[] leaves = doubles(require(tree, "leaf_value", index), numLeaves, "leaf_value", index);
        int leafOffset = leafValue.size();
        for (double v : leaves) {
            leafValue.add(v);
        }
        if (numLeaves == 1) {
            roots.add(~leafOffset);
            layout.addTree(new int[0], new double[0], new int[0], new int[0], leaves);
            quickScorer.addTree(1, new int[0], new double[0], new int[0], new int[0], new int[0], leaves, null, null);
            rankForest.addTree(new int[0], new int[0], new double[0], new int[0], new int[0], leaves, false);
            return;
        }
        int inner = numLeaves - 1;
        int[] splitFeature = ints(require(tree, "split_feature", index), inner, "split_feature", index);
        double[] thresholds = doubles(require(tree, "threshold", index), inner, "threshold", index);
        int[] decision = ints(require(tree, "decision_type", index), inner, "decision_type", index);
        int[] leftChild = ints(require(tree, "left_child", index), inner, "left_child", index);
        int[] rightChild = ints(require(tree, "right_child", index), inner, "right_child", index);
        int numCat = Integer.parseInt(tree.getOrDefault("num_cat", "0").strip());
        int[] catBoundaries = null;
        int[] bits = null;
        int catOffset = catBits.size();
        if (numCat > 0) {
            catBoundaries = ints(require(tree, "cat_boundaries", index), numCat + 1, "cat_boundaries", index);
            bits = ints(require(tree, "cat_threshold", index), catBoundaries[numCat], "cat_threshold", index);
            for (int b : bits) {
                catBits.add(b);
            }
        }
        int nodeOffset = feature.size();
        roots.add(nodeOffset);
        int[] expandedFeature = new int[inner];
        double[] cleanThreshold = new double[inner];
        for (int k = 0; k < inner; k++) {
            int dtk = decision[k];
            int mt = (dtk >> 2) & 3;
            boolean defaultLeft = (dtk & LightGbmJavaModel.DEFAULT_LEFT_MASK) != 0;
            int variant = mt == LightGbmJavaModel.MISSING_NAN ? (defaultLeft ? 1 : 2) : mt == LightGbmJavaModel.MISSING_ZERO ? (defaultLeft ? 3 : 4) : 0;
            variantUsed[variant] = true;
            expandedFeature[k] = variant * numFeatures + splitFeature[k];
            double th = thresholds[k];
            // -0.0 -> +0.0 keeps the sign-bit comparison exact; a +inf threshold (LightGBM writes them)
            // sends every real value left, as MAX_VALUE does once real infinities are clamped to it
            cleanThreshold[k] = th == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : th + 0.0;
            if ((dtk & LightGbmJavaModel.CATEGORICAL_MASK) != 0 || Double.isNaN(th) || th == Double.NEGATIVE_INFINITY
                    || Math.abs(th) == Double.MAX_VALUE) {
                branchFree = false;
            }
        }
        layout.addTree(expandedFeature, cleanThreshold, leftChild, rightChild, leaves);
        for (int k = 0; k < inner; k++) {
            int f = splitFeature[k];
            if (f < 0 || f >= numFeatures) {
                throw new IllegalArgumentException("LightGBM tree " + index + " splits on feature " + f
                        + " outside 0.." + (numFeatures - 1));
            }
            int l = child(leftChild[k], nodeOffset, leafOffset, inner, numLeaves, index);
            int r = child(rightChild[k], nodeOffset, leafOffset, inner, numLeaves, index);
            int dt = decision[k];
            double th = thresholds[k];
            boolean categorical = (dt & LightGbmJavaModel.CATEGORICAL_MASK) != 0;
            int missingType = (dt >> 2) & 3;
            boolean fast = !categorical && missingType != LightGbmJavaModel.MISSING_ZERO
                    && !(Math.abs(th) <= LightGbmJavaModel.K_ZERO_THRESHOLD);
            int nan = missingType == LightGbmJavaModel.MISSING_NAN ? ((dt & LightGbmJavaModel.DEFAULT_LEFT_MASK) != 0 ? l : r) : (0.0 <= th ? l : r);
            feature.add(f);
            threshold.add(th);
            left.add(l);
            right.add(r);
            nanChild.add(nan);
            slow.add(fast ? 0 : 1);
            decisionType.add(dt);
            if (categorical) {
                int catIdx = (int) th;
                if (catBoundaries == null || catIdx < 0 || catIdx >= numCat) {
                    throw new IllegalArgumentException("LightGBM tree " + index + " categorical split " + k
                            + " refers to missing category set " + catIdx);
                }
                catStart.add(catOffset + catBoundaries[catIdx]);
                catWords.add(catBoundaries[catIdx + 1] - catBoundaries[catIdx]);
            } else {
                catStart.add(0);
                catWords.add(0);
            }
        }
        quickScorer.addTree(numLeaves, splitFeature, thresholds, decision, leftChild, rightChild, leaves,
                catBoundaries, bits);
        boolean anyCategorical = false;
        for (int dt : decision) {
            anyCategorical |= (dt & LightGbmJavaModel.CATEGORICAL_MASK) != 0;
        }
        rankForest.addTree(expandedFeature, splitFeature, thresholds, leftChild, rightChild, leaves, anyCategorical);
    }

    private static int child(int c, int nodeOffset, int leafOffset, int inner, int numLeaves, int tree) {
        if (c >= 0) {
            if (c >= inner) {
                throw new IllegalArgumentException("LightGBM tree " + tree + " child " + c + " out of range");
            }
            return nodeOffset + c;
        }
        int leaf = ~c;
        if (leaf >= numLeaves) {
            throw new IllegalArgumentException("LightGBM tree " + tree + " leaf " + leaf + " out of range");
        }
        return ~(leafOffset + leaf);
    }

    private static String require(Map<String, String> tree, String key, int index) {
        String v = tree.get(key);
        if (v == null) {
            throw new IllegalArgumentException("LightGBM tree " + index + " has no " + key);
        }
        return v.strip();
    }

    private static double[] doubles(String s, int expected, String key, int tree) {
        String[] parts = s.isEmpty() ? new String[0] : s.split(" ");
        if (parts.length != expected) {
            throw new IllegalArgumentException("LightGBM tree " + tree + " " + key + " has " + parts.length
                    + " values, expected " + expected);
        }
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parseDouble(parts[i]);
        }
        return out;
    }

    private static double parseDouble(String s) {
        switch (s) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                return Double.parseDouble(s);
        }
    }

    private static int[] ints(String s, int expected, String key, int tree) {
        String[] parts = s.isEmpty() ? new String[0] : s.split(" ");
        if (parts.length != expected) {
            throw new IllegalArgumentException("LightGBM tree " + tree + " " + key + " has " + parts.length
                    + " values, expected " + expected);
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (int) Long.parseLong(parts[i]);
        }
        return out;
    }
}
