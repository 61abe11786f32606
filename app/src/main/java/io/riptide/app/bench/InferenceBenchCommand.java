package io.riptide.app.bench;

import io.riptide.serving.ModelArtifact;
import io.riptide.serving.ModelFormats;
import io.riptide.serving.bench.InferenceFixture;
import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.NativeLightGbmModel;
import io.riptide.serving.internal.NativeXgBoostModel;
import io.riptide.serving.internal.TreeEvaluator;
import io.riptide.serving.internal.XgBoostJavaModel;
import io.riptide.serving.training.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code riptide bench inference}: pure-Java tree evaluation against lightgbmlib and xgboost4j on the same
 * models, single row and batch, plus the largest difference between their outputs. The last line is the
 * machine-readable RESULT line.
 */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = "Benchmark pure-Java model evaluation against the LightGBM and XGBoost native libraries.")
public final class InferenceBenchCommand implements Callable<Integer> {

    @Option(names = "--trees", description = "Boosting rounds of each model (default: ${DEFAULT-VALUE}).")
    int trees = 300;

    @Option(names = "--leaves", description = "LightGBM leaves per tree (default: ${DEFAULT-VALUE}).")
    int leaves = 31;

    @Option(names = "--depth", description = "XGBoost tree depth (default: ${DEFAULT-VALUE}).")
    int depth = 6;

    @Option(names = "--features", description = "Features per row (default: ${DEFAULT-VALUE}).")
    int features = 60;

    @Option(names = "--train-rows", description = "Rows to train each model on (default: ${DEFAULT-VALUE}).")
    int trainRows = 20_000;

    @Option(names = "--check-rows", description = "Hostile rows compared between Java and native (default: ${DEFAULT-VALUE}).")
    int checkRows = 10_000;

    @Option(names = "--batch", description = "Rows per batch for throughput (default: ${DEFAULT-VALUE}).")
    int batch = 256;

    @Option(names = "--seconds", description = "Measured seconds per figure (in 5 rounds, the figures taking turns; the median round counts), after as long again of warm-up (default: ${DEFAULT-VALUE}).")
    double seconds = 2.0;

    @Option(names = "--lightgbm-model", description = "Load this LightGBM text model instead of training one.")
    Path lightGbmModel;

    @Option(names = "--xgboost-model", description = "Load this XGBoost JSON model instead of training one.")
    Path xgBoostModel;

    @Option(names = "--seed", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PrintStream out;

    public InferenceBenchCommand() {
        this(System.out);
    }

    InferenceBenchCommand(PrintStream out) {
        this.out = out;
    }

    /** Runs the command on its own, before (or without) its registration under {@code riptide bench}. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new InferenceBenchCommand()).execute(args));
    }

    /** One timed operation over row {@code i}; returns something so the JIT cannot drop the work. */
    @FunctionalInterface
    interface RowOp {
        double run(int i);
    }

    @Override
    public Integer call() throws IOException {
        if (trees < 1 || features < 1 || batch < 1 || seconds <= 0 || checkRows < 1) {
            throw new IllegalArgumentException("--trees, --features, --batch, --check-rows and --seconds must be positive");
        }
        ModelArtifact lgbm;
        ModelArtifact xgb;
        Dataset data = null;
        if (lightGbmModel == null || xgBoostModel == null) {
            data = InferenceFixture.dataset(trainRows, features, seed);
        }
        long t0 = System.nanoTime();
        lgbm = lightGbmModel != null
                ? new ModelArtifact(ModelFormats.LIGHTGBM_TEXT, Files.readAllBytes(lightGbmModel))
                : InferenceFixture.trainLightGbm(data, trees, leaves);
        long t1 = System.nanoTime();
        xgb = xgBoostModel != null
                ? new ModelArtifact(ModelFormats.XGBOOST_JSON, Files.readAllBytes(xgBoostModel))
                : InferenceFixture.trainXgBoost(data, trees, depth);
        long t2 = System.nanoTime();
        out.printf(Locale.ROOT, "models: LightGBM %s (%d bytes, %.1f s), XGBoost %s (%d bytes, %.1f s)%n",
                lightGbmModel != null ? "loaded" : "trained " + trees + " trees x " + leaves + " leaves", lgbm.bytes().length,
                (t1 - t0) / 1e9, xgBoostModel != null ? "loaded" : "trained " + trees + " trees depth " + depth,
                xgb.bytes().length, (t2 - t1) / 1e9);

        LightGbmJavaModel javaLgbm = LightGbmJavaModel.parse(new String(lgbm.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        XgBoostJavaModel javaXgb = XgBoostJavaModel.parse(xgb.bytes());
        int cols = javaLgbm.numFeatures();
        if (javaXgb.numFeatures() != cols) {
            throw new IllegalArgumentException("LightGBM model has " + cols + " features, XGBoost model "
                    + javaXgb.numFeatures() + "; they must match");
        }
        // the same walk adding the leaves in LightGBM's tree order (bit for bit its raw score), and the previous
        // evaluator (eight trees in lockstep with explicit children), timed in the same run
        LightGbmJavaModel treeOrderLgbm = LightGbmJavaModel.parse(
                new String(lgbm.bytes(), java.nio.charset.StandardCharsets.UTF_8), TreeEvaluator.RANK_LOCKSTEP);
        LightGbmJavaModel lockstepLgbm = LightGbmJavaModel.parse(
                new String(lgbm.bytes(), java.nio.charset.StandardCharsets.UTF_8), TreeEvaluator.LOCKSTEP);
        XgBoostJavaModel lockstepXgb = XgBoostJavaModel.parse(xgb.bytes(), TreeEvaluator.LOCKSTEP);
        out.printf(Locale.ROOT, "pure-Java footprint: LightGBM %d trees %d nodes %.1f KiB (%s), XGBoost %d trees "
                        + "%.1f KiB (%s)%n", javaLgbm.numTrees(), javaLgbm.numNodes(), javaLgbm.memoryBytes() / 1024.0,
                javaLgbm.evaluator(), javaXgb.numTrees(), javaXgb.memoryBytes() / 1024.0, javaXgb.evaluator());

        String lgbmText = new String(lgbm.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        long heapLgbm = heapPerModel(() -> LightGbmJavaModel.parse(lgbmText));
        long heapXgb = heapPerModel(() -> XgBoostJavaModel.parse(xgb.bytes()));
        out.printf(Locale.ROOT, "pure-Java heap measured (GC'd used heap over %d copies): LightGBM %.1f KiB, "
                + "XGBoost %.1f KiB per model%n", HEAP_COPIES, heapLgbm / 1024.0, heapXgb / 1024.0);

        try (NativeLightGbmModel nativeLgbm = NativeLightGbmModel.fromString(
                new String(lgbm.bytes(), java.nio.charset.StandardCharsets.UTF_8));
             NativeXgBoostModel nativeXgb = NativeXgBoostModel.fromBytes(xgb.bytes())) {
            double[] hostile = InferenceFixture.hostileRows(checkRows, cols, seed + 1);
            double diffLgbm = maxAbsDiff(hostile, checkRows, cols, javaLgbm::predictBatch, nativeLgbm::predictBatch);
            double diffLgbmRaw = maxAbsDiff(hostile, checkRows, cols, javaLgbm::predictBatchRaw,
                    nativeLgbm::predictBatchRaw);
            double diffTreeOrderRaw = maxAbsDiff(hostile, checkRows, cols, treeOrderLgbm::predictBatchRaw,
                    nativeLgbm::predictBatchRaw);
            double diffXgb = maxAbsDiff(hostile, checkRows, cols, javaXgb::predictBatch, nativeXgb::predictBatch);
            out.printf(Locale.ROOT, "equality on %d hostile rows (NaN, zeros, +/-1e30, out of range): "
                    + "LightGBM max |diff| probability %s raw %s (%s: raw %s), XGBoost max |diff| probability %s%n",
                    checkRows, diffLgbm, diffLgbmRaw, treeOrderLgbm.evaluator(), diffTreeOrderRaw, diffXgb);

            int n = 4096;
            double[] rows = InferenceFixture.typicalRows(n, cols, seed + 2);
            double[][] rowArrays = new double[n][];
            float[][] floatRows = new float[n][];
            for (int i = 0; i < n; i++) {
                rowArrays[i] = java.util.Arrays.copyOfRange(rows, i * cols, (i + 1) * cols);
                floatRows[i] = new float[cols];
                for (int c = 0; c < cols; c++) {
                    floatRows[i][c] = (float) rowArrays[i][c];
                }
            }
            int mask = n - 1;
            double[] single = perCall(1,
                    i -> javaLgbm.predict(rowArrays[i & mask]),
                    i -> javaXgb.predict(rowArrays[i & mask]),
                    i -> treeOrderLgbm.predict(rowArrays[i & mask]),
                    i -> lockstepLgbm.predict(rowArrays[i & mask]),
                    i -> lockstepXgb.predict(rowArrays[i & mask]),
                    i -> nativeLgbm.predict(rowArrays[i & mask]),
                    i -> nativeXgb.predictFloats(floatRows[i & mask], 1)[0][0]);
            double javaLgbmNs = single[0];
            double javaXgbNs = single[1];
            double treeOrderLgbmNs = single[2];
            double lockstepLgbmNs = single[3];
            double lockstepXgbNs = single[4];
            double lgbmNs = single[5];
            double xgbNs = single[6];
            out.printf(Locale.ROOT, "single row, ns per prediction (1 thread):%n");
            out.printf(Locale.ROOT, "  pure-Java LightGBM evaluator        %10.0f  (%s)%n", javaLgbmNs,
                    javaLgbm.evaluator());
            out.printf(Locale.ROOT, "  ... leaves added in tree order      %10.0f  (%s)%n", treeOrderLgbmNs,
                    treeOrderLgbm.evaluator());
            out.printf(Locale.ROOT, "  lightgbmlib PredictForMatSingleRowFast %7.0f%n", lgbmNs);
            out.printf(Locale.ROOT, "  pure-Java XGBoost evaluator         %10.0f%n", javaXgbNs);
            out.printf(Locale.ROOT, "  xgboost4j inplace_predict (1 row)   %10.0f%n", xgbNs);
            out.printf(Locale.ROOT, "  previous Java evaluators (%s): LightGBM %.0f, XGBoost %.0f%n",
                    lockstepLgbm.evaluator(), lockstepLgbmNs, lockstepXgbNs);

            int batches = n / batch;
            if (batches == 0) {
                throw new IllegalArgumentException("--batch must be <= " + n);
            }
            double[] result = new double[batch];
            float[][] floatBatches = new float[batches][batch * cols];
            double[][] javaBatches = new double[batches][];
            NativeLightGbmModel.NativeMatrix[] nativeBatches = new NativeLightGbmModel.NativeMatrix[batches];
            for (int b = 0; b < batches; b++) {
                for (int k = 0; k < batch * cols; k++) {
                    floatBatches[b][k] = (float) rows[b * batch * cols + k];
                }
                javaBatches[b] = java.util.Arrays.copyOfRange(rows, b * batch * cols, (b + 1) * batch * cols);
                nativeBatches[b] = new NativeLightGbmModel.NativeMatrix(javaBatches[b], batch, cols);
            }
            try {
                double[] batched = perCall(batch,
                        i -> {
                            javaLgbm.predictBatch(javaBatches[i % batches], batch, result);
                            return result[0];
                        },
                        i -> {
                            javaXgb.predictBatch(javaBatches[i % batches], batch, result);
                            return result[0];
                        },
                        i -> {
                            NativeLightGbmModel.NativeMatrix m = nativeBatches[i % batches];
                            nativeLgbm.predictBatch(m);
                            return m.result(0);
                        },
                        i -> nativeXgb.predictFloats(floatBatches[i % batches], batch)[0][0]);
                double javaLgbmBatch = batched[0];
                double javaXgbBatch = batched[1];
                double lgbmBatch = batched[2];
                double xgbBatch = batched[3];
                out.printf(Locale.ROOT, "batch of %d rows, rows per second (1 thread):%n", batch);
                out.printf(Locale.ROOT, "  pure-Java LightGBM evaluator   %,14.0f%n", 1e9 / javaLgbmBatch);
                out.printf(Locale.ROOT, "  lightgbmlib PredictForMat      %,14.0f%n", 1e9 / lgbmBatch);
                out.printf(Locale.ROOT, "  pure-Java XGBoost evaluator    %,14.0f%n", 1e9 / javaXgbBatch);
                out.printf(Locale.ROOT, "  xgboost4j inplace_predict      %,14.0f%n", 1e9 / xgbBatch);
            } finally {
                for (NativeLightGbmModel.NativeMatrix m : nativeBatches) {
                    m.close();
                }
            }
            out.printf(Locale.ROOT, "RESULT java_ns=%.0f lgbm_single_ns=%.0f xgb_single_ns=%.0f speedup_vs_lgbm=%.1f "
                            + "speedup_vs_xgb=%.1f max_abs_diff_lgbm=%s max_abs_diff_xgb=%s%n",
                    javaLgbmNs, lgbmNs, xgbNs, lgbmNs / javaLgbmNs, xgbNs / javaXgbNs, diffLgbm, diffXgb);
        }
        out.flush();
        return 0;
    }

    @FunctionalInterface
    interface BatchPredictor {
        void predict(double[] rows, int count, double[] out);
    }

    private static double maxAbsDiff(double[] rows, int n, int cols, BatchPredictor a, BatchPredictor b) {
        double[] x = new double[n];
        double[] y = new double[n];
        a.predict(rows, n, x);
        b.predict(rows, n, y);
        double max = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.abs(x[i] - y[i]);
            if (!(d <= max)) {
                max = d;  // NaN differences propagate as the maximum
            }
        }
        return max;
    }

    private static final int HEAP_COPIES = 20;

    /** Used heap after a full GC, per model, over {@link #HEAP_COPIES} live copies. */
    private static long heapPerModel(java.util.function.Supplier<Object> parse) {
        Object[] keep = new Object[HEAP_COPIES];
        long before = usedAfterGc();
        for (int i = 0; i < keep.length; i++) {
            keep[i] = parse.get();
        }
        long after = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(keep);  // the copies stay live until measured
        return (after - before) / keep.length;
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static volatile double sink;
    private static final int ROUNDS = 5;

    /**
     * Nanoseconds per row for each op: each is warmed up for {@code seconds}, then timed in {@link #ROUNDS} rounds
     * of {@code seconds / ROUNDS}, the ops taking turns, and its median round is returned. Taking turns spreads
     * a passing load on the machine over all ops instead of one, and the median drops a disturbed round.
     */
    private double[] perCall(int rowsPerCall, RowOp... ops) {
        double acc = 0;
        int i = 0;
        for (RowOp op : ops) {
            long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < warmEnd) {
                for (int k = 0; k < 64; k++) {
                    acc += op.run(i++);
                }
            }
        }
        double[][] rounds = new double[ops.length][ROUNDS];
        long budget = (long) (seconds * 1e9 / ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
            for (int o = 0; o < ops.length; o++) {
                long calls = 0;
                long start = System.nanoTime();
                long now;
                do {
                    for (int k = 0; k < 64; k++) {
                        acc += ops[o].run(i++);
                    }
                    calls += 64;
                    now = System.nanoTime();
                } while (now - start < budget);
                rounds[o][round] = (now - start) / (double) (calls * rowsPerCall);
            }
        }
        sink = acc;
        double[] medians = new double[ops.length];
        for (int o = 0; o < ops.length; o++) {
            java.util.Arrays.sort(rounds[o]);
            medians[o] = rounds[o][ROUNDS / 2];
        }
        return medians;
    }
}
