package io.riptide.serving.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a LightGBM text model (header, then one block per tree) into the flat arrays and evaluator layouts a
 * {@link LightGbmJavaModel} is built from, refusing what it cannot serve with a message naming the problem.
 *
 * <p>Nothing is built before everything is checked: the layout of the text ({@link LightGbmText}), the header
 * (feature count within {@link ModelLimits#MAX_FEATURES}, one binary output, a finite positive sigmoid,
 * {@code tree_sizes} against the bytes of every block and their number), then every tree ({@link LightGbmTree}),
 * with the model's node count kept within {@link ModelLimits#MAX_NODES} as they are read.
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
        LightGbmText file = LightGbmText.read(text);
        readHeader(file.header);
        averageOutput = file.averageOutput;
        if (!file.ended) {
            throw new IllegalArgumentException("LightGBM model text has no 'end of trees' line after "
                    + file.trees.size() + " trees (truncated?)");
        }
        if (file.trees.isEmpty()) {
            throw new IllegalArgumentException("LightGBM model text has no trees");
        }
        checkTreeSizes(file);
        // every tree is read and checked before the first is built
        List<LightGbmTree> trees = new ArrayList<>(file.trees.size());
        int nodes = 0;
        for (LightGbmText.Block block : file.trees) {
            LightGbmTree tree = LightGbmTree.read(block, numFeatures, ModelLimits.MAX_NODES - nodes);
            nodes += 2 * tree.numLeaves() - 1;
            trees.add(tree);
        }
        quickScorer = new QuickScorer.Builder(numFeatures);
        rankForest = new RankForestBuilder(numFeatures);
        for (LightGbmTree tree : trees) {
            addTree(tree);
        }
        return new LightGbmJavaModel(this, evaluator);
    }

    private void readHeader(Map<String, String> header) {
        String maxFeature = header.get("max_feature_idx");
        if (maxFeature == null) {
            throw new IllegalArgumentException("LightGBM model text has no max_feature_idx header");
        }
        int maxFeatureIndex = StrictNumbers.parseInt(maxFeature, "LightGBM max_feature_idx");
        if (maxFeatureIndex < 0 || maxFeatureIndex >= ModelLimits.MAX_FEATURES) {
            throw new IllegalArgumentException("LightGBM max_feature_idx is " + maxFeatureIndex + ", outside 0.."
                    + (ModelLimits.MAX_FEATURES - 1));
        }
        numFeatures = maxFeatureIndex + 1;
        String numClass = header.getOrDefault("num_class", "1");
        String perIteration = header.getOrDefault("num_tree_per_iteration", "1");
        if (!numClass.equals("1") || !perIteration.equals("1")) {
            throw new IllegalArgumentException("LightGBM model has num_class=" + StrictNumbers.excerpt(numClass)
                    + " and num_tree_per_iteration=" + StrictNumbers.excerpt(perIteration)
                    + "; only binary models with one tree per iteration are served");
        }
        for (String key : new String[] {"feature_names", "feature_infos"}) {
            String v = header.get(key);
            if (v != null) {
                LightGbmText.values(v, numFeatures, "LightGBM " + key);
            }
        }
        sigmoid = objectiveSigmoid(header.get("objective"));
    }

    /**
     * {@code tree_sizes}, when the header has it, lists the bytes of every tree block: the native loader reads
     * tree i at the sum of the sizes before it, so a list that does not match the blocks (a cut or edited file)
     * would be read differently there. Without it the native loader reads the blocks in order, as here.
     */
    private static void checkTreeSizes(LightGbmText file) {
        String sizes = file.header.get("tree_sizes");
        if (sizes == null) {
            return;
        }
        int count = LightGbmText.count(sizes);
        if (count != file.trees.size()) {
            throw new IllegalArgumentException("LightGBM tree_sizes lists " + count + " trees, the text has "
                    + file.trees.size());
        }
        String[] listed = LightGbmText.values(sizes, count, "LightGBM tree_sizes");
        for (int t = 0; t < listed.length; t++) {
            long bytes = file.trees.get(t).bytes();
            if (!listed[t].equals(Long.toString(bytes))) {
                throw new IllegalArgumentException("LightGBM tree " + t + " is " + bytes + " bytes, tree_sizes says "
                        + StrictNumbers.excerpt(listed[t]));
            }
        }
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
                        double sigmoid = StrictNumbers.parseDouble(p.substring("sigmoid:".length()),
                                "LightGBM sigmoid");
                        if (!(sigmoid > 0 && sigmoid < Double.POSITIVE_INFINITY)) {
                            throw new IllegalArgumentException("LightGBM sigmoid is " + sigmoid
                                    + ", not a finite positive number");
                        }
                        return sigmoid;
                    }
                }
                return 1.0;
            }
            case "cross_entropy":
            case "xentropy":
                return 1.0;
            default:
                throw new IllegalArgumentException("LightGBM objective '" + StrictNumbers.excerpt(objective)
                        + "' does not produce a probability; expected binary or cross_entropy");
        }
    }

    /** Adds a checked tree to the flat arrays and to every evaluator layout. */
    private void addTree(LightGbmTree tree) {
        int numLeaves = tree.numLeaves();
        double[] leaves = tree.leafValue();
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
        int[] splitFeature = tree.splitFeature();
        double[] thresholds = tree.threshold();
        int[] decision = tree.decisionType();
        int[] leftChild = tree.left();
        int[] rightChild = tree.right();
        int[] catBoundaries = tree.catBoundaries();
        int[] bits = tree.catThreshold();
        int catOffset = catBits.size();
        if (bits != null) {
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
            int l = child(leftChild[k], nodeOffset, leafOffset);
            int r = child(rightChild[k], nodeOffset, leafOffset);
            int dt = decision[k];
            double th = thresholds[k];
            boolean categorical = (dt & LightGbmJavaModel.CATEGORICAL_MASK) != 0;
            int missingType = (dt >> 2) & 3;
            boolean fast = !categorical && missingType != LightGbmJavaModel.MISSING_ZERO
                    && !(Math.abs(th) <= LightGbmJavaModel.K_ZERO_THRESHOLD);
            int nan = missingType == LightGbmJavaModel.MISSING_NAN ? ((dt & LightGbmJavaModel.DEFAULT_LEFT_MASK) != 0 ? l : r) : (0.0 <= th ? l : r);
            feature.add(splitFeature[k]);
            threshold.add(th);
            left.add(l);
            right.add(r);
            nanChild.add(nan);
            slow.add(fast ? 0 : 1);
            decisionType.add(dt);
            if (categorical) {
                int catIdx = (int) th;
                catStart.add(catOffset + catBoundaries[catIdx]);
                catWords.add(catBoundaries[catIdx + 1] - catBoundaries[catIdx]);
            } else {
                catStart.add(0);
                catWords.add(0);
            }
        }
        quickScorer.addTree(numLeaves, splitFeature, thresholds, decision, leftChild, rightChild, leaves,
                catBoundaries, bits);
        rankForest.addTree(expandedFeature, splitFeature, thresholds, leftChild, rightChild, leaves,
                tree.categorical());
    }

    /** A child as a global reference: its node index, or ~index of its leaf (children are checked). */
    private static int child(int c, int nodeOffset, int leafOffset) {
        return c >= 0 ? nodeOffset + c : ~(leafOffset + ~c);
    }
}
