package io.riptide.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.TreeEvaluator;
import io.riptide.serving.internal.XgBoostJavaModel;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.XgBoostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile artifacts through the loader. Five real models are trained here (LightGBM numerical and categorical;
 * XGBoost hist, exact with pruned nodes, and categorical) and 12,000 seeded mutations of them are loaded: byte
 * flips, cuts, duplicated, deleted and swapped lines, numbers replaced (huge, negative, NaN, infinite, malformed),
 * child indexes pointed at the root, an ancestor, the node itself, another node's child or out of range, JSON
 * array elements swapped, removed and duplicated, header fields edited (tree_sizes, num_leaves, num_trees,
 * num_feature, ...), trees dropped or duplicated; tree-local LightGBM edits get a matching tree_sizes half the
 * time, so that the checks behind it are reached too.
 *
 * <p>Every mutant must either be refused with a {@link ModelRejectedException} or load and predict probabilities
 * in [0,1] on rows of NaN, infinities, +/-1e30, +/-MAX_VALUE, zeros and random values, through every pure-Java
 * evaluator (the tree-order ones bit for bit equal, LightGBM's lane sums within rounding), and through the native
 * path, which {@link ModelLoader#loadNative} only hands what the Java reader accepted (the native libraries may
 * crash on garbage: LightGBM aborted the JVM on a malformed number in a field the evaluator does not read, until the
 * reader checked those too); natives may refuse a mutant the Java reader accepted, and must agree with it otherwise
 * (every accepted LightGBM mutant, every second XGBoost one). No other Throwable may escape. The counts (accepted,
 * refused by reason) are printed.
 */
class ModelArtifactFuzzTest {

    private static final long SEED = 20_261_123L;
    private static final String HASH = "fuzz";
    private static final int COLS = 6;
    private static final int CATEGORICAL_COLUMN = 3;

    private record Seed(String name, String format, byte[] bytes, int mutants) {
    }

    private record Mutant(String operator, String detail, byte[] bytes) {
    }

    private interface Mutator {
        Mutant mutate(SplittableRandom r);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyMutantIsRefusedCleanlyOrServesProbabilitiesEverywhere() {
        long start = System.nanoTime();
        List<Seed> seeds = seeds();
        double[][] rows = hostileRows(new SplittableRandom(SEED));
        SplittableRandom random = new SplittableRandom(SEED);
        Tally tally = new Tally();
        for (Seed seed : seeds) {
            Mutator mutator = seed.format().equals(ModelFormats.LIGHTGBM_TEXT)
                    ? new LightGbmMutator(new String(seed.bytes(), StandardCharsets.UTF_8))
                    : new XgBoostMutator(seed.bytes());
            for (int i = 0; i < seed.mutants(); i++) {
                Mutant mutant;
                try {
                    mutant = mutator.mutate(random);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the test's own mutator failed on " + seed.name(), e);
                }
                tally.record(seed, mutant, check(seed, mutant, rows, tally));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        tally.print(seconds);
        assertTrue(tally.total >= 10_000, "mutants: " + tally.total);
        assertTrue(tally.failures.isEmpty(), tally.failures.size() + " mutants broke the loader's promise, e.g.:\n"
                + String.join("\n", tally.failures.subList(0, Math.min(10, tally.failures.size()))));
        for (String format : new String[] {ModelFormats.LIGHTGBM_TEXT, ModelFormats.XGBOOST_JSON}) {
            int[] counts = tally.byFormat.get(format);
            assertTrue(counts[0] > 100 && counts[1] > 100, format + ": both outcomes exercised, accepted " + counts[0]
                    + ", refused " + counts[1]);
        }
    }

    /** Null when the mutant was refused cleanly or served well; else what went wrong. */
    private static String check(Seed seed, Mutant mutant, double[][] rows, Tally tally) {
        ModelArtifact artifact = new ModelArtifact(seed.format(), mutant.bytes());
        Model model;
        try {
            model = ModelLoader.load(artifact, artifact.sha256(), HASH, HASH, COLS);
        } catch (ModelRejectedException e) {
            tally.refused(e.getMessage());
            return null;
        } catch (Throwable t) {
            return "load threw " + t;
        }
        try (model) {
            double[] served = probabilities(model, rows, "the loaded model");
            double[] reference = seed.format().equals(ModelFormats.LIGHTGBM_TEXT)
                    ? lightGbmVariantsAgree(new String(mutant.bytes(), StandardCharsets.UTF_8), rows, served)
                    : xgBoostVariantsAgree(mutant.bytes(), rows);
            nativeAgrees(seed, artifact, rows, reference, tally);
            return null;
        } catch (Throwable t) {
            return "serving failed: " + t;
        }
    }

    /** Each row's probability, checked to be in [0,1] and the same alone and in a batch. */
    private static double[] probabilities(Model model, double[][] rows, String what) {
        double[] single = new double[rows.length];
        double[] flat = new double[rows.length * COLS];
        for (int r = 0; r < rows.length; r++) {
            single[r] = model.predict(rows[r]);
            if (!(single[r] >= 0.0 && single[r] <= 1.0)) {
                throw new AssertionError(what + " predicts " + single[r] + " for row " + Arrays.toString(rows[r]));
            }
            System.arraycopy(rows[r], 0, flat, r * COLS, COLS);
        }
        double[] batch = new double[rows.length];
        model.predictBatch(flat, rows.length, batch);
        for (int r = 0; r < rows.length; r++) {
            if (batch[r] != single[r]) {
                throw new AssertionError(what + " predicts " + batch[r] + " in a batch, " + single[r] + " alone, row "
                        + Arrays.toString(rows[r]));
            }
        }
        return single;
    }

    /** Each row's probability from one batch, checked to be in [0,1]: the natives' single rows cost a call each. */
    private static double[] batchProbabilities(Model model, double[][] rows) {
        double[] flat = new double[rows.length * COLS];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * COLS, COLS);
        }
        double[] batch = new double[rows.length];
        model.predictBatch(flat, rows.length, batch);
        for (int r = 0; r < rows.length; r++) {
            if (!(batch[r] >= 0.0 && batch[r] <= 1.0)) {
                throw new AssertionError("the native model predicts " + batch[r] + " for row "
                        + Arrays.toString(rows[r]));
            }
        }
        return batch;
    }

    /**
     * The branchy walk's probabilities, after checking that every other evaluator gives the same raw scores (the
     * tree-order ones bit for bit, lane sums within rounding) and that the served ones are among them.
     */
    private static double[] lightGbmVariantsAgree(String text, double[][] rows, double[] served) {
        LightGbmJavaModel branches = LightGbmJavaModel.parse(text, TreeEvaluator.BRANCHES);
        double[] reference = probabilities(branches, rows, "BRANCHES");
        for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.RANK_LANES, TreeEvaluator.RANK_LOCKSTEP,
                TreeEvaluator.QUICKSCORER, TreeEvaluator.LOCKSTEP}) {
            LightGbmJavaModel variant = LightGbmJavaModel.parse(text, evaluator);
            probabilities(variant, rows, evaluator.name());
            double tolerance = variant.evaluator() == TreeEvaluator.RANK_LANES ? 1e-12 : 0.0;
            for (int r = 0; r < rows.length; r++) {
                double raw = variant.predictRaw(rows[r]);
                double expected = branches.predictRaw(rows[r]);
                if (!(Math.abs(raw - expected) <= tolerance * Math.max(1.0, Math.abs(expected)))) {
                    throw new AssertionError(variant.evaluator() + " raw score " + raw + ", branchy walk " + expected
                            + ", row " + Arrays.toString(rows[r]));
                }
            }
        }
        for (int r = 0; r < rows.length; r++) {
            if (!(Math.abs(served[r] - reference[r]) <= 1e-12)) {
                throw new AssertionError("served " + served[r] + ", branchy walk " + reference[r] + ", row " + r);
            }
        }
        return reference;
    }

    private static double[] xgBoostVariantsAgree(byte[] json, double[][] rows) {
        XgBoostJavaModel branches = XgBoostJavaModel.parse(json, TreeEvaluator.BRANCHES);
        double[] reference = probabilities(branches, rows, "BRANCHES");
        for (TreeEvaluator evaluator : new TreeEvaluator[] {TreeEvaluator.FASTEST, TreeEvaluator.COMPLETE_TREES,
                TreeEvaluator.LOCKSTEP}) {
            XgBoostJavaModel variant = XgBoostJavaModel.parse(json, evaluator);
            probabilities(variant, rows, evaluator.name());
            for (int r = 0; r < rows.length; r++) {
                float margin = variant.margin(rows[r], 0);
                float expected = branches.margin(rows[r], 0);
                if (Float.compare(margin, expected) != 0) {
                    throw new AssertionError(variant.evaluator() + " margin " + margin + ", branchy walk " + expected
                            + ", row " + Arrays.toString(rows[r]));
                }
            }
        }
        return reference;
    }

    /** The native path: refused by the library, or probabilities that agree with the Java reader's. */
    private static void nativeAgrees(Seed seed, ModelArtifact artifact, double[][] rows, double[] reference,
                                     Tally tally) {
        // xgboost4j takes some 10 ms to load even a small model (LightGBM 2 ms): every second XGBoost one is enough
        if (artifact.format().equals(ModelFormats.XGBOOST_JSON) && tally.xgBoostAccepted++ % 2 == 1) {
            return;
        }
        Model nat;
        try {
            nat = ModelLoader.loadNative(artifact, artifact.sha256(), HASH, HASH, COLS);
        } catch (ModelRejectedException e) {
            tally.nativeRefused++;
            return;
        }
        try (nat) {
            double[] p = batchProbabilities(nat, rows);
            double tolerance = artifact.format().equals(ModelFormats.LIGHTGBM_TEXT) ? 1e-12 : 1e-6;
            for (int r = 0; r < rows.length; r++) {
                if (!(Math.abs(p[r] - reference[r]) <= tolerance)) {
                    if (baseScoreEdited(seed, artifact)) {
                        tally.nativeBaseScore++;
                        return;
                    }
                    tally.nativeDisagreed++;
                    throw new AssertionError("native predicts " + p[r] + ", Java " + reference[r] + ", row "
                            + Arrays.toString(rows[r]));
                }
            }
            tally.nativeAgreed++;
        }
    }

    /**
     * Whether an XGBoost mutant's base_score differs from its seed's. The native library reads two spellings its own
     * way: XGBoost 3.1's vector {@code "[5E-1]"}, which the Java reader reads and the bundled xgboost4j 3.0.4 silently
     * takes as 0.5, and scores within a few float ulps of 0 or 1, whose logit it computes in float (the Java reader
     * in double). Known differences of the libraries, not misreadings of a hostile file, so counted apart.
     */
    private static boolean baseScoreEdited(Seed seed, ModelArtifact artifact) {
        return artifact.format().equals(ModelFormats.XGBOOST_JSON)
                && !XgBoostJsonEdits.modelParam(XgBoostJsonEdits.read(artifact.bytes())).path("base_score")
                .equals(XgBoostJsonEdits.modelParam(XgBoostJsonEdits.read(seed.bytes())).path("base_score"));
    }

    /** NaN, infinities, +/-1e30, +/-MAX_VALUE, zeros, tiny values, then random rows with categories in column 3. */
    private static double[][] hostileRows(SplittableRandom r) {
        double[] constants = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -1e30,
            Double.MAX_VALUE, -Double.MAX_VALUE, 1e-36, Double.MIN_VALUE, 1.0};
        double[] odd = {Double.NaN, 0.0, -0.0, 1e-36, 1e30, -1e30, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -1, 31, 32, 1e6, 16777216};
        List<double[]> rows = new ArrayList<>();
        for (double c : constants) {
            double[] row = new double[COLS];
            Arrays.fill(row, c);
            rows.add(row);
        }
        for (int i = 0; i < 20; i++) {
            double[] row = new double[COLS];
            for (int c = 0; c < COLS; c++) {
                double u = r.nextDouble();
                row[c] = u < 0.25 ? odd[r.nextInt(odd.length)]
                        : c == CATEGORICAL_COLUMN ? r.nextInt(0, 30) : r.nextGaussian() * 1.5;
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    private static List<Seed> seeds() {
        Dataset data = SyntheticData.dataset(2_000, COLS, 17);
        Dataset categorical = SyntheticData.dataset(2_000, COLS, 18);
        SplittableRandom r = new SplittableRandom(19);
        double[] m = categorical.matrix();
        for (int i = 0; i < categorical.rows(); i++) {
            m[i * COLS + CATEGORICAL_COLUMN] = r.nextInt(0, 30);
            if (m[i * COLS + CATEGORICAL_COLUMN] % 3 == 0 && r.nextDouble() < 0.5) {
                categorical.labels()[i] = 1.0;
            }
        }
        TrainingParams p = TrainingParams.defaults().withNumRounds(12).withNumLeaves(15).withMaxDepth(4)
                .withEarlyStoppingRounds(0).withMinDataInLeaf(5);
        List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed("LightGBM numerical", ModelFormats.LIGHTGBM_TEXT,
                new LightGbmTrainer().train(data, null, p.withMaxDepth(-1)).artifact().bytes(), 3_000));
        seeds.add(new Seed("LightGBM categorical", ModelFormats.LIGHTGBM_TEXT,
                new LightGbmTrainer("categorical_feature=" + CATEGORICAL_COLUMN + " cat_smooth=1 min_data_per_group=5")
                        .train(categorical, null, p.withMaxDepth(-1)).artifact().bytes(), 3_000));
        seeds.add(new Seed("XGBoost hist", ModelFormats.XGBOOST_JSON,
                new XgBoostTrainer().train(data, null, p).artifact().bytes(), 2_000));
        seeds.add(new Seed("XGBoost exact, pruned", ModelFormats.XGBOOST_JSON,
                new XgBoostTrainer(Map.of("tree_method", "exact", "gamma", 2.0)).train(data, null, p.withMaxDepth(5))
                        .artifact().bytes(), 2_000));
        seeds.add(new Seed("XGBoost categorical", ModelFormats.XGBOOST_JSON, xgBoostCategorical(categorical), 2_000));
        return seeds;
    }

    /** XGBoost with column 3 typed categorical, which the trainer does not offer, through xgboost4j directly. */
    private static byte[] xgBoostCategorical(Dataset data) {
        float[] values = new float[data.matrix().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.matrix()[i];
        }
        float[] labels = new float[data.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (float) data.labels()[i];
        }
        try {
            DMatrix d = new DMatrix(values, data.rows(), COLS, Float.NaN);
            try {
                d.setLabel(labels);
                d.setFeatureTypes(new String[] {"q", "q", "q", "c", "q", "q"});
                Map<String, Object> p = new HashMap<>(Map.of("objective", "binary:logistic", "tree_method", "hist",
                        "max_depth", 4, "eta", 0.3, "nthread", 1, "seed", 3, "verbosity", 0, "max_cat_to_onehot", 4));
                Booster b = XGBoost.train(d, p, 12, new HashMap<>(), null, null);
                try {
                    return b.toByteArray("json");
                } finally {
                    b.dispose();
                }
            } finally {
                d.dispose();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] flipBytes(byte[] bytes, SplittableRandom r) {
        byte[] out = bytes.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(out.length);
            out[at] = r.nextBoolean() ? (byte) (out[at] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
        }
        return out;
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** LightGBM text mutations; tree-local ones get a matching tree_sizes half the time. */
    private static final class LightGbmMutator implements Mutator {
        private static final List<String> ARRAYS = List.of("split_feature", "threshold", "decision_type", "left_child",
                "right_child", "leaf_value", "cat_boundaries", "cat_threshold", "split_gain", "leaf_count",
                "internal_value");
        private static final List<String> SCALARS = List.of("num_leaves", "num_cat", "is_linear", "shrinkage");
        private static final List<String> NUMBERS = List.of("2147483647", "-2147483648", "4294967296", "-1", "-2", "0",
                "1", "1e308", "1e400", "-1e400", "nan", "inf", "-inf", "1e-320", "0x1p3", "1d", "", "3.5", "-0",
                "99999999999999999999");

        private final String text;
        private final byte[] bytes;
        private final int trees;

        LightGbmMutator(String text) {
            this.text = text;
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
            this.trees = LightGbmTextEdits.trees(text);
        }

        @Override
        public Mutant mutate(SplittableRandom r) {
            int op = r.nextInt(9);
            switch (op) {
                case 0:
                    return new Mutant("byte flips", "", flipBytes(bytes, r));
                case 1:
                    return new Mutant("cut", "", Arrays.copyOf(bytes, r.nextInt(bytes.length)));
                case 7: {
                    int keep = r.nextInt(trees);
                    String kept = LightGbmTextEdits.firstTrees(text, keep);
                    boolean match = r.nextBoolean();
                    return new Mutant("first trees kept", keep + (match ? ", tree_sizes matched" : ""),
                            (match ? LightGbmTextEdits.withMatchingTreeSizes(kept) : kept).getBytes(StandardCharsets.UTF_8));
                }
                case 8:
                    return header(r);
                default:
                    break;
            }
            String mutated;
            String operator;
            String[] lines = text.split("\n", -1);
            if (op == 2 || op == 3 || op == 4) {
                int at = r.nextInt(lines.length);
                List<String> out = new ArrayList<>(Arrays.asList(lines));
                if (op == 2) {
                    out.add(at, lines[at]);
                    operator = "line duplicated";
                } else if (op == 3) {
                    out.remove(at);
                    operator = "line deleted";
                } else {
                    int other = r.nextInt(lines.length);
                    out.set(at, lines[other]);
                    out.set(other, lines[at]);
                    operator = "lines swapped";
                }
                mutated = String.join("\n", out);
            } else if (op == 5) {
                int tree = r.nextInt(trees);
                String key = r.nextInt(4) == 0 ? pick(r, SCALARS) : pick(r, ARRAYS);
                String value;
                try {
                    value = LightGbmTextEdits.field(text, tree, key);
                } catch (IllegalArgumentException absent) {
                    key = "leaf_value";
                    value = LightGbmTextEdits.field(text, tree, key);
                }
                String[] parts = value.split(" ", -1);
                int k = r.nextInt(parts.length);
                parts[k] = pick(r, NUMBERS);
                mutated = LightGbmTextEdits.withField(text, tree, key, String.join(" ", parts));
                operator = "number replaced";
            } else {
                mutated = child(r);
                operator = "child index edited";
            }
            boolean match = r.nextBoolean();
            if (match) {
                try {
                    mutated = LightGbmTextEdits.withMatchingTreeSizes(mutated);
                } catch (RuntimeException blocksGone) {
                    match = false;  // the edit broke the layout the helper needs: the mutant stays as it is
                }
            }
            return new Mutant(operator, match ? "tree_sizes matched" : "", mutated.getBytes(StandardCharsets.UTF_8));
        }

        /** Points a child at the root, an ancestor, itself, another node's child, a leaf, or out of range. */
        private String child(SplittableRandom r) {
            int tree = r.nextInt(trees);
            int numLeaves = Integer.parseInt(LightGbmTextEdits.field(text, tree, "num_leaves"));
            if (numLeaves < 2) {
                return LightGbmTextEdits.withField(text, tree, "num_leaves", "2");
            }
            int inner = numLeaves - 1;
            int[] left = Arrays.stream(LightGbmTextEdits.field(text, tree, "left_child").split(" "))
                    .mapToInt(Integer::parseInt).toArray();
            int[] right = Arrays.stream(LightGbmTextEdits.field(text, tree, "right_child").split(" "))
                    .mapToInt(Integer::parseInt).toArray();
            int[] parent = new int[inner];
            Arrays.fill(parent, -1);
            for (int k = 0; k < inner; k++) {
                for (int c : new int[] {left[k], right[k]}) {
                    if (c >= 0) {
                        parent[c] = k;
                    }
                }
            }
            int k = r.nextInt(inner);
            String side = r.nextBoolean() ? "left_child" : "right_child";
            int target;
            switch (r.nextInt(7)) {
                case 0 -> target = 0;
                case 1 -> target = k;
                case 2 -> {
                    int a = k;
                    int up = r.nextInt(1, 4);
                    while (up-- > 0 && parent[a] >= 0) {
                        a = parent[a];
                    }
                    target = a;
                }
                case 3 -> {
                    int j = r.nextInt(inner);
                    target = r.nextBoolean() ? left[j] : right[j];
                }
                case 4 -> target = ~r.nextInt(numLeaves);
                case 5 -> target = r.nextBoolean() ? inner : ~numLeaves;
                default -> target = r.nextInt(-3 * numLeaves, 3 * numLeaves);
            }
            return LightGbmTextEdits.withElement(text, tree, side, k, Integer.toString(target));
        }

        private Mutant header(SplittableRandom r) {
            String out;
            String detail;
            switch (r.nextInt(9)) {
                case 0 -> {
                    String[] sizes = text.replaceFirst("(?s).*?\ntree_sizes=([^\n]*)\n.*", "$1").split(" ");
                    int at = r.nextInt(sizes.length);
                    List<String> edited = new ArrayList<>(Arrays.asList(sizes));
                    switch (r.nextInt(4)) {
                        case 0 -> edited.remove(at);
                        case 1 -> edited.set(at, Long.toString(Long.parseLong(sizes[at]) + r.nextInt(-2, 3)));
                        case 2 -> edited.add(at, sizes[at]);
                        default -> edited.set(at, pick(r, NUMBERS));
                    }
                    out = text.replaceFirst("\ntree_sizes=[^\n]*\n", "\ntree_sizes=" + String.join(" ", edited) + "\n");
                    detail = "tree_sizes";
                }
                case 1 -> {
                    out = text.replaceFirst("\ntree_sizes=[^\n]*\n", "\n");
                    detail = "tree_sizes removed";
                }
                case 2 -> {
                    int tree = r.nextInt(trees);
                    int leaves = Integer.parseInt(LightGbmTextEdits.field(text, tree, "num_leaves"));
                    String v = pick(r, List.of(Integer.toString(leaves - 1), Integer.toString(leaves + 1), "0", "-1",
                            "2147483647", "131073", "1"));
                    out = LightGbmTextEdits.withField(text, tree, "num_leaves", v);
                    if (r.nextBoolean()) {
                        out = LightGbmTextEdits.withMatchingTreeSizes(out);
                    }
                    detail = "num_leaves=" + v;
                }
                case 3 -> {
                    String v = pick(r, List.of("4", "6", "-1", "2147483647", "65535", "65536", "abc", ""));
                    out = text.replaceFirst("\nmax_feature_idx=[^\n]*\n", "\nmax_feature_idx=" + v + "\n");
                    detail = "max_feature_idx=" + v;
                }
                case 4 -> {
                    out = r.nextBoolean() ? text.replaceFirst("\nnum_tree_per_iteration=1\n", "\nnum_tree_per_iteration=2\n")
                            : text.replaceFirst("\nnum_class=1\n", "\nnum_class=" + pick(r, NUMBERS) + "\n");
                    detail = "num_class / num_tree_per_iteration";
                }
                case 5 -> {
                    String v = pick(r, List.of("nan", "0", "-1", "inf", "1e308", "2", "abc"));
                    out = text.replaceFirst("\nobjective=binary sigmoid:1\n", "\nobjective=binary sigmoid:" + v + "\n");
                    detail = "sigmoid:" + v;
                }
                case 6 -> {
                    out = text.replace("end of trees", r.nextBoolean() ? "" : "end of tree");
                    detail = "end of trees removed";
                }
                case 7 -> {
                    out = text.replaceFirst("\nfeature_names=", "\naverage_output\nfeature_names=");
                    detail = "average_output";
                }
                default -> {
                    out = text.replaceFirst("\nfeature_names=f0 ", "\nfeature_names=");
                    detail = "feature_names";
                }
            }
            return new Mutant("header edited", detail, out.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** XGBoost JSON mutations on the JSON tree, plus byte flips and cuts on the bytes. */
    private static final class XgBoostMutator implements Mutator {
        private static final List<String> TREE_ARRAYS = List.of("left_children", "right_children", "parents",
                "split_indices", "split_conditions", "default_left", "split_type", "categories_nodes",
                "categories_segments", "categories_sizes", "categories", "base_weights");
        private static final List<String> PARAMETERS = List.of("2147483647", "0", "-1", "1", "2", "abc", "", "1e3",
                "[5E-1]", "NaN", "99999999999");

        private final byte[] bytes;
        private final ObjectNode original;

        XgBoostMutator(byte[] bytes) {
            this.bytes = bytes;
            this.original = XgBoostJsonEdits.read(bytes);
        }

        private static JsonNode number(SplittableRandom r, int n) {
            return switch (r.nextInt(16)) {
                case 0 -> IntNode.valueOf(Integer.MAX_VALUE);
                case 1 -> LongNode.valueOf(1L << 31);
                case 2 -> IntNode.valueOf(-1);
                case 3 -> IntNode.valueOf(-2);
                case 4 -> IntNode.valueOf(0);
                case 5 -> IntNode.valueOf(n);
                case 6 -> IntNode.valueOf(r.nextInt(-5, n + 5));
                case 7 -> DoubleNode.valueOf(1e300);
                case 8 -> DoubleNode.valueOf(r.nextBoolean() ? 1e39 : -1e39);
                case 9 -> DoubleNode.valueOf(Double.NaN);
                case 10 -> DoubleNode.valueOf(r.nextGaussian());
                case 11 -> TextNode.valueOf("1");
                case 12 -> BooleanNode.TRUE;
                case 13 -> NullNode.instance;
                case 14 -> JsonNodeFactory.instance.objectNode();
                default -> IntNode.valueOf(1);
            };
        }

        @Override
        public Mutant mutate(SplittableRandom r) {
            int op = r.nextInt(8);
            if (op == 0) {
                return new Mutant("byte flips", "", flipBytes(bytes, r));
            }
            if (op == 1) {
                return new Mutant("cut", "", Arrays.copyOf(bytes, r.nextInt(bytes.length)));
            }
            ObjectNode doc = original.deepCopy();
            ArrayNode trees = XgBoostJsonEdits.trees(doc);
            int t = r.nextInt(trees.size());
            ObjectNode tree = (ObjectNode) trees.get(t);
            String operator;
            String detail = "";
            switch (op) {
                case 2, 3, 4 -> {
                    ArrayNode array = r.nextInt(8) == 0
                            ? (ArrayNode) XgBoostJsonEdits.model(doc).path(r.nextBoolean() ? "tree_info" : "iteration_indptr")
                            : (ArrayNode) tree.path(pick(r, TREE_ARRAYS));
                    if (array.isEmpty()) {
                        array = (ArrayNode) tree.path("left_children");
                    }
                    int k = r.nextInt(array.size());
                    if (op == 2) {
                        int j = r.nextInt(array.size());
                        JsonNode a = array.get(k);
                        array.set(k, array.get(j));
                        array.set(j, a);
                        operator = "array elements swapped";
                    } else if (op == 3) {
                        if (r.nextBoolean()) {
                            array.remove(k);
                            operator = "array element removed";
                        } else {
                            array.insert(k, array.get(k));
                            operator = "array element duplicated";
                        }
                    } else {
                        array.set(k, number(r, array.size()));
                        operator = "number replaced";
                    }
                }
                case 5 -> {
                    child(r, tree);
                    operator = "child index edited";
                }
                case 6 -> {
                    detail = header(r, doc, tree);
                    operator = "header edited";
                }
                default -> {
                    detail = trees(r, doc, t);
                    operator = "trees edited";
                }
            }
            return new Mutant(operator, detail, XgBoostJsonEdits.bytes(doc));
        }

        private static void child(SplittableRandom r, ObjectNode tree) {
            int[] left = XgBoostJsonEdits.ints(tree, "left_children");
            int[] right = XgBoostJsonEdits.ints(tree, "right_children");
            int[] parents = XgBoostJsonEdits.ints(tree, "parents");
            int n = left.length;
            List<Integer> internal = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (left[k] != -1) {
                    internal.add(k);
                }
            }
            int k = internal.isEmpty() ? 0 : pick(r, internal);
            String side = r.nextBoolean() ? "left_children" : "right_children";
            int target;
            switch (r.nextInt(8)) {
                case 0 -> target = 0;
                case 1 -> target = k;
                case 2 -> {
                    int a = k;
                    int up = r.nextInt(1, 4);
                    while (up-- > 0 && a > 0 && parents[a] >= 0 && parents[a] < n) {
                        a = parents[a];
                    }
                    target = a;
                }
                case 3 -> {
                    int j = r.nextInt(n);
                    target = r.nextBoolean() ? left[j] : right[j];
                }
                case 4 -> target = n;
                case 5 -> target = -1;
                case 6 -> {
                    // both children gone: the node becomes a leaf and its subtree orphans
                    ((ArrayNode) tree.path("left_children")).set(k, IntNode.valueOf(-1));
                    target = -1;
                }
                default -> target = r.nextInt(-3, n + 3);
            }
            ((ArrayNode) tree.path(side)).set(k, IntNode.valueOf(target));
        }

        private static String header(SplittableRandom r, ObjectNode doc, ObjectNode tree) {
            ObjectNode model = XgBoostJsonEdits.model(doc);
            ObjectNode learnerParam = XgBoostJsonEdits.modelParam(doc);
            String v = pick(r, PARAMETERS);
            String field;
            switch (r.nextInt(10)) {
                case 0 -> ((ObjectNode) model.path("gbtree_model_param")).put(field = "num_trees", v);
                case 1 -> ((ObjectNode) model.path("gbtree_model_param")).put(field = "num_parallel_tree", v);
                case 2 -> learnerParam.put(field = "num_feature",
                        v = r.nextBoolean() ? v : Integer.toString(COLS + r.nextInt(-2, 3)));
                case 3 -> learnerParam.put(field = "base_score", v = pick(r, List.of("0", "1", "[NaN]", "-1", "[5E-1",
                        "2", "[]", "[1E-45]", "[0.99999994]", "5E-1", "1E-45", "0.99999994")));
                case 4 -> learnerParam.put(field = r.nextBoolean() ? "num_class" : "num_target", v);
                case 5 -> ((ObjectNode) doc.path("learner").path("objective")).put(field = "objective",
                        v = pick(r, List.of("reg:squarederror", "binary:logitraw", "reg:logistic", "")));
                case 6 -> ((ObjectNode) tree.path("tree_param")).put(field = pick(r,
                        List.of("num_nodes", "num_deleted", "num_feature", "size_leaf_vector")), v);
                case 7 -> {
                    JsonNode id = number(r, 10);
                    tree.set(field = "id", id);
                    v = id.toString();
                }
                case 8 -> {
                    field = "removed";
                    v = pick(r, List.of("left_children", "parents", "tree_param", "split_conditions", "default_left",
                            "split_type", "categories"));
                    tree.remove(v);
                }
                default -> ((ObjectNode) doc.path("learner").path("gradient_booster")).put(field = "booster",
                        v = pick(r, List.of("dart", "gblinear", "")));
            }
            return field + "=" + v;
        }

        private static String trees(SplittableRandom r, ObjectNode doc, int t) {
            ArrayNode trees = XgBoostJsonEdits.trees(doc);
            boolean consistent = r.nextBoolean();
            String what;
            switch (r.nextInt(3)) {
                case 0 -> {
                    trees.remove(t);
                    what = "tree removed";
                }
                case 1 -> {
                    trees.add(trees.get(t).deepCopy());
                    what = "tree duplicated";
                }
                default -> {
                    int other = r.nextInt(trees.size());
                    JsonNode a = trees.get(t);
                    trees.set(t, trees.get(other));
                    trees.set(other, a);
                    what = "trees swapped";
                }
            }
            if (consistent && !trees.isEmpty()) {
                for (int i = 0; i < trees.size(); i++) {
                    ((ObjectNode) trees.get(i)).put("id", i);
                }
                XgBoostJsonEdits.keepTrees(doc, trees.size());
                what += ", counts and ids matched";
            }
            return what;
        }
    }

    /** Outcomes by format and operator, refusals by reason, and the failures. */
    private static final class Tally {
        int total;
        int nativeAgreed;
        int nativeRefused;
        int nativeDisagreed;
        int nativeBaseScore;
        int xgBoostAccepted;
        final Map<String, int[]> byFormat = new TreeMap<>();
        final Map<String, int[]> byOperator = new TreeMap<>();
        final Map<String, Integer> reasons = new HashMap<>();
        final List<String> failures = new ArrayList<>();
        private boolean lastRefused;

        void refused(String message) {
            lastRefused = true;
            reasons.merge(reasonClass(message), 1, Integer::sum);
        }

        void record(Seed seed, Mutant mutant, String failure) {
            total++;
            int slot = lastRefused ? 1 : 0;
            lastRefused = false;
            byFormat.computeIfAbsent(seed.format(), k -> new int[2])[slot]++;
            byOperator.computeIfAbsent(seed.format() + " / " + mutant.operator(), k -> new int[2])[slot]++;
            if (failure != null) {
                failures.add(seed.name() + ", " + mutant.operator() + " " + mutant.detail() + ": " + failure);
            }
        }

        /** A refusal's message with tree, node and number details taken out, so that like refusals count together. */
        static String reasonClass(String message) {
            String m = message.replaceFirst("^model does not parse as [a-z-]+: ", "")
                    .replaceFirst("^sanity prediction failed: ", "sanity: ")
                    .replaceAll("(LightGBM|XGBoost) tree \\d+", "$1 tree")
                    .replaceAll("'[^']*'", "'.'")
                    .replaceAll("\\(line \\d+, column \\d+\\)", "")
                    .replaceAll("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?", "N");
            String[] words = m.split(" ");
            return String.join(" ", Arrays.copyOf(words, Math.min(words.length, 9)));
        }

        void print(double seconds) {
            StringBuilder s = new StringBuilder();
            s.append(String.format("model artifact fuzz: %d mutants in %.1f s%n", total, seconds));
            for (Map.Entry<String, int[]> e : byFormat.entrySet()) {
                s.append(String.format("  %-14s accepted %5d, refused %5d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            s.append(String.format("  accepted ones on the native path: agreed %d, refused by the library %d,"
                    + " differed on an edited base_score %d, disagreed otherwise %d%n", nativeAgreed, nativeRefused, nativeBaseScore,
                    nativeDisagreed));
            s.append("  by operator (accepted / refused):\n");
            for (Map.Entry<String, int[]> e : byOperator.entrySet()) {
                s.append(String.format("    %-45s %5d / %5d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            s.append("  refusals by reason:\n");
            reasons.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> s.append(String.format("    %5d  %s%n", e.getValue(), e.getKey())));
            System.out.print(s);
        }
    }
}
