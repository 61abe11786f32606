package io.riptide.serving;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Logistic regression learned one outcome at a time with FTRL-proximal (McMahan et al., 2013), for blending
 * with the batch model between retrains.
 *
 * <p>Inputs are standardised with running (exponentially decayed) means and variances and clipped to
 * [-5, 5], NaN counting as the mean, so heavy-tailed market features cannot blow up the weights. With
 * {@code decay} < 1 every update first shrinks the accumulated state, so old outcomes fade and the learner
 * tracks regime changes. The whole state serialises to bytes (for a state store). Thread-safe.
 */
public final class OnlineLogisticRegression implements Model {

    private static final int FORMAT_VERSION = 1;
    private static final double CLIP = 5.0;

    private final int dims;
    private final double alpha;
    private final double beta;
    private final double l1;
    private final double l2;
    private final double decay;
    private final double[] z;
    private final double[] n;
    private final double[] mean;
    private final double[] var;
    private double observations;
    private long updates;

    /**
     * @param alpha learning-rate scale (0.05 is a good start), @param beta learning-rate smoothing (1.0),
     * @param l1 and @param l2 regularisation, @param decay per-update forgetting factor in (0,1] (1 = none)
     */
    public OnlineLogisticRegression(int dims, double alpha, double beta, double l1, double l2, double decay) {
        if (dims < 1) {
            throw new IllegalArgumentException("online learner needs >= 1 feature, got " + dims);
        }
        if (!(alpha > 0) || !(beta >= 0) || !(l1 >= 0) || !(l2 >= 0) || !(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("online learner parameters out of range: alpha=" + alpha + " beta=" + beta
                    + " l1=" + l1 + " l2=" + l2 + " decay=" + decay + " (need alpha>0, beta,l1,l2>=0, 0<decay<=1)");
        }
        this.dims = dims;
        this.alpha = alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
        this.decay = decay;
        this.z = new double[dims + 1];
        this.n = new double[dims + 1];
        this.mean = new double[dims];
        this.var = new double[dims];
        Arrays.fill(var, 1.0);
    }

    /** alpha 0.05, beta 1, l1 0, l2 1, decay 0.9995 (half-life of about 1,400 outcomes). */
    public static OnlineLogisticRegression withDefaults(int dims) {
        return new OnlineLogisticRegression(dims, 0.05, 1.0, 0.0, 1.0, 0.9995);
    }

    private double weight(int i) {
        double zi = z[i];
        if (Math.abs(zi) <= l1) {
            return 0.0;
        }
        return -(zi - Math.signum(zi) * l1) / ((beta + Math.sqrt(n[i])) / alpha + l2);
    }

    private double input(double[] x, int i) {
        double v = x[i];
        if (Double.isNaN(v)) {
            return 0.0;
        }
        double s = (v - mean[i]) / Math.sqrt(var[i] + 1e-12);
        return Math.max(-CLIP, Math.min(CLIP, s));
    }

    private double margin(double[] x) {
        double m = weight(dims);  // bias
        for (int i = 0; i < dims; i++) {
            m += weight(i) * input(x, i);
        }
        return m;
    }

    @Override
    public synchronized double predict(double[] x) {
        requireLength(x.length);
        return 1.0 / (1.0 + Math.exp(-Math.max(-35, Math.min(35, margin(x)))));
    }

    /** Learns from one realised outcome (label 0 or 1). */
    public synchronized void learnOne(double[] x, double label) {
        requireLength(x.length);
        if (label != 0.0 && label != 1.0) {
            throw new IllegalArgumentException("online learner label is " + label + ", expected 0 or 1");
        }
        if (decay < 1.0) {
            for (int i = 0; i <= dims; i++) {
                z[i] *= decay;
                n[i] *= decay;
            }
        }
        double p = 1.0 / (1.0 + Math.exp(-Math.max(-35, Math.min(35, margin(x)))));
        double g = p - label;
        for (int i = 0; i <= dims; i++) {
            double xi = i == dims ? 1.0 : input(x, i);
            if (xi == 0.0) {
                continue;
            }
            double gi = g * xi;
            double sigma = (Math.sqrt(n[i] + gi * gi) - Math.sqrt(n[i])) / alpha;
            z[i] += gi - sigma * weight(i);
            n[i] += gi * gi;
        }
        // statistics are updated after the step so the step used the same scaling as the prediction
        observations = observations * decay + 1.0;
        double rate = 1.0 / observations;
        for (int i = 0; i < dims; i++) {
            double v = x[i];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            double d = v - mean[i];
            mean[i] += rate * d;
            var[i] = (1 - rate) * (var[i] + rate * d * d);
            if (observations < 2) {
                var[i] = 1.0;
            }
        }
        updates++;
    }

    public synchronized long updates() {
        return updates;
    }

    /** The complete state: parameters, FTRL accumulators and scaling statistics. */
    public synchronized byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 * 5 + 8 + 8 + 8 * (2 * (dims + 1) + 2 * dims));
        b.putInt(FORMAT_VERSION).putInt(dims).putDouble(alpha).putDouble(beta).putDouble(l1).putDouble(l2)
                .putDouble(decay).putDouble(observations).putLong(updates);
        for (double v : z) {
            b.putDouble(v);
        }
        for (double v : n) {
            b.putDouble(v);
        }
        for (double v : mean) {
            b.putDouble(v);
        }
        for (double v : var) {
            b.putDouble(v);
        }
        return b.array();
    }

    public static OnlineLogisticRegression fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int version = b.getInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("online learner state has format " + version + ", expected "
                        + FORMAT_VERSION);
            }
            int dims = b.getInt();
            OnlineLogisticRegression m = new OnlineLogisticRegression(dims, b.getDouble(), b.getDouble(), b.getDouble(),
                    b.getDouble(), b.getDouble());
            m.observations = b.getDouble();
            m.updates = b.getLong();
            for (int i = 0; i <= dims; i++) {
                m.z[i] = b.getDouble();
            }
            for (int i = 0; i <= dims; i++) {
                m.n[i] = b.getDouble();
            }
            for (int i = 0; i < dims; i++) {
                m.mean[i] = b.getDouble();
            }
            for (int i = 0; i < dims; i++) {
                m.var[i] = b.getDouble();
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("online learner state has " + b.remaining() + " trailing bytes");
            }
            return m;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("online learner state is truncated (" + bytes.length + " bytes)", e);
        }
    }

    @Override
    public void predictBatch(double[] rowsRowMajor, int rows, double[] out) {
        double[] row = new double[dims];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowsRowMajor, r * dims, row, 0, dims);
            out[r] = predict(row);
        }
    }

    private void requireLength(int length) {
        if (length != dims) {
            throw new IllegalArgumentException("row has " + length + " features, online learner expects " + dims);
        }
    }

    @Override
    public int numFeatures() {
        return dims;
    }

    @Override
    public String format() {
        return "online-ftrl";
    }

    @Override
    public void close() {
    }
}
