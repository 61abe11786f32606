package io.riptide.bench.serving;

import io.riptide.serving.ModelArtifact;
import io.riptide.serving.bench.InferenceFixture;
import io.riptide.serving.internal.LightGbmJavaModel;
import io.riptide.serving.internal.NativeLightGbmModel;
import io.riptide.serving.internal.NativeXgBoostModel;
import io.riptide.serving.internal.TreeEvaluator;
import io.riptide.serving.internal.XgBoostJavaModel;
import io.riptide.serving.training.Dataset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The figures of {@code riptide bench inference} under JMH: nanoseconds per row for the pure-Java evaluators
 * and the native libraries, single row and 256-row batches, on the same models (300 trees, 31 leaves /
 * depth 6, 60 features). Models are trained once and cached under java.io.tmpdir, so forks do not retrain.
 * {@code lightgbmJavaTreeOrderSingle} runs the default LightGBM walk, but adding the leaves in tree order
 * ({@link TreeEvaluator#RANK_LOCKSTEP}, bit for bit LightGBM's raw score).
 * The {@code *JavaLockstepSingle} benchmarks run the previous evaluator (eight trees in lockstep with explicit
 * children, {@link TreeEvaluator#LOCKSTEP}) on the same models and rows, for an old-versus-new comparison
 * within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class InferenceBenchmark {

    private static final int BATCH = 256;
    private static final int ROWS = 4096;

    @Param("300")
    public int trees;

    @Param("60")
    public int features;

    private LightGbmJavaModel javaLgbm;
    private XgBoostJavaModel javaXgb;
    private LightGbmJavaModel treeOrderLgbm;
    private LightGbmJavaModel lockstepLgbm;
    private XgBoostJavaModel lockstepXgb;
    private NativeLightGbmModel nativeLgbm;
    private NativeXgBoostModel nativeXgb;
    private double[][] rows;
    private float[][] floatRows;
    private double[] batchRows;
    private float[] batchFloats;
    private NativeLightGbmModel.NativeMatrix nativeBatch;
    private final double[] out = new double[BATCH];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String lgbm = cached("lgbm-" + trees + "-31-" + features + ".txt", () -> {
            Dataset d = InferenceFixture.dataset(20_000, features, 42);
            return InferenceFixture.trainLightGbm(d, trees, 31);
        });
        String xgb = cached("xgb-" + trees + "-6-" + features + ".json", () -> {
            Dataset d = InferenceFixture.dataset(20_000, features, 42);
            return InferenceFixture.trainXgBoost(d, trees, 6);
        });
        javaLgbm = LightGbmJavaModel.parse(lgbm);
        javaXgb = XgBoostJavaModel.parse(xgb.getBytes(StandardCharsets.UTF_8));
        treeOrderLgbm = LightGbmJavaModel.parse(lgbm, TreeEvaluator.RANK_LOCKSTEP);
        lockstepLgbm = LightGbmJavaModel.parse(lgbm, TreeEvaluator.LOCKSTEP);
        lockstepXgb = XgBoostJavaModel.parse(xgb.getBytes(StandardCharsets.UTF_8), TreeEvaluator.LOCKSTEP);
        nativeLgbm = NativeLightGbmModel.fromString(lgbm);
        nativeXgb = NativeXgBoostModel.fromBytes(xgb.getBytes(StandardCharsets.UTF_8));
        double[] flat = InferenceFixture.typicalRows(ROWS, features, 44);
        rows = new double[ROWS][];
        floatRows = new float[ROWS][features];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * features, (i + 1) * features);
            for (int c = 0; c < features; c++) {
                floatRows[i][c] = (float) rows[i][c];
            }
        }
        batchRows = java.util.Arrays.copyOf(flat, BATCH * features);
        batchFloats = new float[BATCH * features];
        for (int i = 0; i < batchFloats.length; i++) {
            batchFloats[i] = (float) batchRows[i];
        }
        nativeBatch = new NativeLightGbmModel.NativeMatrix(batchRows, BATCH, features);
    }

    @FunctionalInterface
    private interface Producer {
        ModelArtifact get();
    }

    private static String cached(String name, Producer producer) throws IOException {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "riptide-bench-models", name);
        if (!Files.exists(file)) {
            ModelArtifact a = producer.get();
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), name, ".tmp");
            Files.write(tmp, a.bytes());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.readString(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nativeBatch.close();
        nativeLgbm.close();
        nativeXgb.close();
    }

    private int nextRow() {
        return next = (next + 1) & (ROWS - 1);
    }

    @Benchmark
    public double lightgbmJavaSingle() {
        return javaLgbm.predict(rows[nextRow()]);
    }

    @Benchmark
    public double lightgbmJavaTreeOrderSingle() {
        return treeOrderLgbm.predict(rows[nextRow()]);
    }

    @Benchmark
    public double lightgbmJavaLockstepSingle() {
        return lockstepLgbm.predict(rows[nextRow()]);
    }

    @Benchmark
    public double lightgbmNativeSingle() {
        return nativeLgbm.predict(rows[nextRow()]);
    }

    @Benchmark
    public double xgboostJavaSingle() {
        return javaXgb.predict(rows[nextRow()]);
    }

    @Benchmark
    public double xgboostJavaLockstepSingle() {
        return lockstepXgb.predict(rows[nextRow()]);
    }

    @Benchmark
    public float xgboostNativeSingle() {
        return nativeXgb.predictFloats(floatRows[nextRow()], 1)[0][0];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double lightgbmJavaBatch() {
        javaLgbm.predictBatch(batchRows, BATCH, out);
        return out[BATCH - 1];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double lightgbmNativeBatch() {
        nativeLgbm.predictBatch(nativeBatch);
        return nativeBatch.result(BATCH - 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double xgboostJavaBatch() {
        javaXgb.predictBatch(batchRows, BATCH, out);
        return out[BATCH - 1];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float xgboostNativeBatch() {
        return nativeXgb.predictFloats(batchFloats, BATCH)[BATCH - 1][0];
    }
}
