package io.riptide.serving.drift;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * ADWIN2, the adaptive sliding window of Bifet and Gavaldà ("Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM SDM 2007), as MOA implements it ({@code moa.classifiers.core.driftdetection.ADWIN}): it keeps
 * the longest recent window whose mean is consistent with "no change" and drops its older part when two
 * sub-windows differ by more than chance allows.
 *
 * <p>The window is an exponential histogram: row {@code r} holds up to {@code M} buckets of {@code 2^r} values
 * each (a bucket keeps the sum and the sum of squared deviations of its values); when a row reaches {@code M + 1}
 * buckets its two oldest merge into one bucket of the next row. Every {@code clock} values, every boundary between
 * buckets splits the window into an older part (n0 values, mean mu0) and a newer part (n1, mu1), and the older part
 * is cut away when both parts hold more than {@code minSubWindow + 1} values and
 *
 * <pre>
 *   |mu0 - mu1| > epsilon_cut = sqrt(2 * (1/m) * sigma^2 * ln(2/delta')) + 2/3 * (1/m) * range * ln(2/delta')
 *   1/m = 1/(n0 - minSubWindow + 1) + 1/(n1 - minSubWindow + 1),   delta' = delta / ln(n)
 * </pre>
 *
 * with sigma^2 the variance of the whole window and n its length: the Bernstein-style bound of the paper's
 * section 4.1 with MOA's {@code blnCutexpression} choices (delta / ln n, the sub-window lengths shortened by
 * {@code minSubWindow - 1}). Because the bound scales with the observed variance, values outside [0, 1] (log-loss
 * clipped to, say, 10) work; {@code range} (default 1, MOA's implicit value) scales the second term and keeps
 * Bernstein's guarantee for values spread over {@code [a, a + range]}. On a cut MOA drops the oldest bucket and
 * scans again until no boundary cuts; so does this class, and its {@link Detection} reports the strongest of those
 * cuts (sub-window sizes and means, |mu0 - mu1| and the epsilon_cut it exceeded) and the width left.
 *
 * <p>Memory is bounded: at most {@code maxRows} rows of at most {@code M} buckets, so the window holds at most
 * {@code M * (2^maxRows - 1)} values (about 2.1e10 with the defaults); past that the oldest bucket slides out (no
 * alarm). {@link #toBytes()} writes 66 bytes plus 1 per row and 16 per bucket (about 0.7 KB for a
 * 1,000-value window with M = 5). Updates allocate nothing but a {@link Detection} on an alarm (and, at most
 * {@code log2(maxRows)} times in a detector's life, a larger bucket array). Not thread-safe.
 */
public final class Adwin implements DriftDetector {

    public static final String NAME = "ADWIN";
    /** Format byte of {@link #toBytes()}: detector 1, version 1. */
    static final byte FORMAT = 0x11;
    private static final int INITIAL_ROWS = 8;

    /**
     * @param delta        confidence of a cut, in (0, 1); default 0.002 (MOA)
     * @param maxBuckets   M, buckets per row, >= 1; default 5 (MOA)
     * @param clock        a cut is checked every {@code clock} values, >= 1; default 32 (MOA)
     * @param minSubWindow MOA's {@code mintMinWinLength}, >= 1; default 5: both sub-windows must hold more than
     *                     {@code minSubWindow + 1} values
     * @param range        spread of the values in the bound's second term, > 0; default 1
     * @param maxRows      rows of the histogram, 1..48; default 32
     */
    public record Config(double delta, int maxBuckets, int clock, int minSubWindow, double range, int maxRows) {

        public Config {
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("adwin.delta must be in (0, 1), got " + delta);
            }
            if (maxBuckets < 1 || maxBuckets > 1000) {
                throw new IllegalArgumentException("adwin.maxBuckets must be in [1, 1000], got " + maxBuckets);
            }
            if (clock < 1) {
                throw new IllegalArgumentException("adwin.clock must be >= 1, got " + clock);
            }
            if (minSubWindow < 1) {
                throw new IllegalArgumentException("adwin.minSubWindow must be >= 1, got " + minSubWindow);
            }
            if (!(range > 0 && range < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("adwin.range must be finite and > 0, got " + range);
            }
            if (maxRows < 1 || maxRows > 48) {
                throw new IllegalArgumentException("adwin.maxRows must be in [1, 48], got " + maxRows);
            }
        }

        /** delta 0.002, M 5, clock 32, minSubWindow 5, range 1, maxRows 32. */
        public static Config defaults() {
            return new Config(0.002, 5, 32, 5, 1.0, 32);
        }

        public Config withDelta(double d) {
            return new Config(d, maxBuckets, clock, minSubWindow, range, maxRows);
        }

        public Config withMaxBuckets(int m) {
            return new Config(delta, m, clock, minSubWindow, range, maxRows);
        }

        public Config withClock(int c) {
            return new Config(delta, maxBuckets, c, minSubWindow, range, maxRows);
        }

        public Config withMinSubWindow(int w) {
            return new Config(delta, maxBuckets, clock, w, range, maxRows);
        }

        public Config withRange(double r) {
            return new Config(delta, maxBuckets, clock, minSubWindow, r, maxRows);
        }

        public Config withMaxRows(int r) {
            return new Config(delta, maxBuckets, clock, minSubWindow, range, r);
        }

        /** The most values the window can hold: M * (2^maxRows - 1). */
        public long maxWindow() {
            return maxBuckets * ((1L << maxRows) - 1);
        }
    }

    private final Config config;
    private final int slots; // M + 1 bucket slots per row (a row briefly holds M + 1 before it merges)
    private long samples;
    private long width;
    private double total;
    private double variance; // sum of squared deviations from the window mean
    private int rows;        // rows in use; the last one holds the oldest buckets
    private int[] rowSize;
    private double[] bucketTotal;    // row r, bucket k (0 = oldest of the row) at r * slots + k
    private double[] bucketVariance;

    public Adwin() {
        this(Config.defaults());
    }

    public Adwin(double delta) {
        this(Config.defaults().withDelta(delta));
    }

    public Adwin(Config config) {
        this(config, Math.min(INITIAL_ROWS, config.maxRows()));
    }

    private Adwin(Config config, int capacityRows) {
        this.config = config;
        this.slots = config.maxBuckets() + 1;
        this.rowSize = new int[capacityRows];
        this.bucketTotal = new double[capacityRows * slots];
        this.bucketVariance = new double[capacityRows * slots];
        this.rows = 1;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long samples() {
        return samples;
    }

    /** Empties the window (the count of values given so far is kept). */
    @Override
    public void reset() {
        width = 0;
        total = 0;
        variance = 0;
        rows = 1;
        java.util.Arrays.fill(rowSize, 0);
        java.util.Arrays.fill(bucketTotal, 0);
        java.util.Arrays.fill(bucketVariance, 0);
    }

    /** Values in the current window. */
    public long width() {
        return width;
    }

    /** Mean of the current window (NaN when empty). */
    public double mean() {
        return width == 0 ? Double.NaN : total / width;
    }

    /** Variance of the current window (population, NaN when empty). */
    public double variance() {
        return width == 0 ? Double.NaN : Math.max(0.0, variance / width);
    }

    @Override
    public Detection update(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(NAME + " takes finite values, got " + x);
        }
        samples++;
        insert(x);
        if (samples % config.clock() != 0 || width < 2L * (config.minSubWindow() + 2)) {
            return null;
        }
        return checkCuts();
    }

    private void insert(double x) {
        width++;
        append(0, x, 0.0);
        if (width > 1) {
            double d = x - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += x;
        compress();
    }

    private void compress() {
        int m = config.maxBuckets();
        for (int r = 0; rowSize[r] == m + 1; r++) {
            if (r + 1 == config.maxRows()) {
                deleteOldest(); // the histogram is full: the oldest bucket slides out
                return;
            }
            if (r + 1 == rows) {
                rows++;
            }
            long n = 1L << r;
            int at = r * slots;
            double d = bucketTotal[at] / n - bucketTotal[at + 1] / n;
            double between = 0.5 * n * d * d; // n1 n2 (u1 - u2)^2 / (n1 + n2) with n1 = n2 = n
            append(r + 1, bucketTotal[at] + bucketTotal[at + 1], bucketVariance[at] + bucketVariance[at + 1] + between);
            removeFirst(r, 2);
            if (rowSize[r + 1] <= m) {
                return;
            }
        }
    }

    private void append(int row, double sum, double var) {
        if (row >= rowSize.length) {
            grow(row + 1);
        }
        int at = row * slots + rowSize[row]++;
        bucketTotal[at] = sum;
        bucketVariance[at] = var;
    }

    private void grow(int minRows) {
        int capacity = Math.min(config.maxRows(), Math.max(minRows, 2 * rowSize.length));
        rowSize = java.util.Arrays.copyOf(rowSize, capacity);
        bucketTotal = java.util.Arrays.copyOf(bucketTotal, capacity * slots);
        bucketVariance = java.util.Arrays.copyOf(bucketVariance, capacity * slots);
    }

    private void removeFirst(int row, int count) {
        int at = row * slots;
        int left = rowSize[row] - count;
        System.arraycopy(bucketTotal, at + count, bucketTotal, at, left);
        System.arraycopy(bucketVariance, at + count, bucketVariance, at, left);
        for (int k = left; k < rowSize[row]; k++) {
            bucketTotal[at + k] = 0;
            bucketVariance[at + k] = 0;
        }
        rowSize[row] = left;
    }

    /** Drops the oldest bucket (MOA's {@code deleteElement}) and returns how many values it held. */
    private long deleteOldest() {
        int row = rows - 1;
        int at = row * slots;
        long n1 = 1L << row;
        double bucketSum = bucketTotal[at];
        width -= n1;
        total -= bucketSum;
        if (width == 0) {
            total = 0;
            variance = 0;
        } else {
            double d = bucketSum / n1 - total / width;
            variance -= bucketVariance[at] + (double) n1 * width * d * d / ((double) n1 + width);
        }
        removeFirst(row, 1);
        while (rows > 1 && rowSize[rows - 1] == 0) {
            rows--;
        }
        return n1;
    }

    /**
     * MOA's reduction loop: scan the boundaries from the oldest; at the first that cuts, drop the oldest bucket and
     * scan again, until none cuts. Of the cuts made, the strongest (largest |mu0 - mu1| / epsilon_cut) is reported:
     * the first to cut, nearest the old end, mixes old values into its newer part, while the strongest sits nearest
     * the change.
     */
    private Detection checkCuts() {
        int min = config.minSubWindow();
        double bestRatio = 0;
        long bestN0 = 0;
        long bestN1 = 0;
        double bestMu0 = 0;
        double bestMu1 = 0;
        double bestEpsilon = 0;
        boolean cut = true;
        while (cut) {
            cut = false;
            double sigma2 = Math.max(0.0, variance / width);
            double logTerm = Math.log(2 * Math.log(width) / config.delta());
            long n0 = 0;
            long n1 = width;
            double u0 = 0;
            double u1 = total;
            scan:
            for (int r = rows - 1; r >= 0; r--) {
                long size = 1L << r;
                for (int k = 0; k < rowSize[r]; k++) {
                    double sum = bucketTotal[r * slots + k];
                    n0 += size;
                    n1 -= size;
                    u0 += sum;
                    u1 -= sum;
                    if (n1 <= min + 1) {
                        break scan; // the newer part only gets shorter from here
                    }
                    if (n0 > min + 1) {
                        double mu0 = u0 / n0;
                        double mu1 = u1 / n1;
                        double epsilon = epsilonCut(n0, n1, sigma2, logTerm, min, config.range());
                        double distance = Math.abs(mu0 - mu1);
                        if (distance > epsilon) {
                            if (distance / epsilon > bestRatio) {
                                bestRatio = distance / epsilon;
                                bestN0 = n0;
                                bestN1 = n1;
                                bestMu0 = mu0;
                                bestMu1 = mu1;
                                bestEpsilon = epsilon;
                            }
                            deleteOldest();
                            cut = true;
                            break scan;
                        }
                    }
                }
            }
        }
        return bestRatio > 0 ? new Detection(NAME, samples, Math.abs(bestMu0 - bestMu1), bestEpsilon, bestN0, bestN1,
                bestMu0, bestMu1, width) : null;
    }

    /**
     * epsilon_cut for sub-windows of n0 and n1 values, window variance {@code sigma2} and
     * {@code logTerm = ln(2 ln(n) / delta)}.
     */
    static double epsilonCut(long n0, long n1, double sigma2, double logTerm, int minSubWindow, double range) {
        double inverseM = 1.0 / (n0 - minSubWindow + 1) + 1.0 / (n1 - minSubWindow + 1);
        return Math.sqrt(2 * inverseM * sigma2 * logTerm) + 2.0 / 3.0 * logTerm * inverseM * range;
    }

    // --- inspection for tests ---

    int rows() {
        return rows;
    }

    int bucketsInRow(int row) {
        return rowSize[row];
    }

    double bucketTotal(int row, int k) {
        return bucketTotal[row * slots + k];
    }

    double bucketVariance(int row, int k) {
        return bucketVariance[row * slots + k];
    }

    /** Sum of squared deviations of the window (MOA's {@code VARIANCE}). */
    double sumOfSquares() {
        return variance;
    }

    // --- serialisation ---

    /**
     * Format 0x11: format byte; delta (double), M, clock, minSubWindow (int), range (double), maxRows (int); samples,
     * width (long), total, sum of squares (double); rows (byte); per row from the newest: buckets (byte), then per
     * bucket from the oldest its sum and sum of squared deviations (double). Big-endian.
     */
    @Override
    public byte[] toBytes() {
        int buckets = 0;
        for (int r = 0; r < rows; r++) {
            buckets += rowSize[r];
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 * 3 + 8 + 4 + 8 * 4 + 1 + rows + 16 * buckets);
        b.put(FORMAT).putDouble(config.delta()).putInt(config.maxBuckets()).putInt(config.clock())
                .putInt(config.minSubWindow()).putDouble(config.range()).putInt(config.maxRows());
        b.putLong(samples).putLong(width).putDouble(total).putDouble(variance);
        b.put((byte) rows);
        for (int r = 0; r < rows; r++) {
            b.put((byte) rowSize[r]);
            for (int k = 0; k < rowSize[r]; k++) {
                b.putDouble(bucketTotal[r * slots + k]).putDouble(bucketVariance[r * slots + k]);
            }
        }
        return b.array();
    }

    public static Adwin fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte format = b.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException(String.format("ADWIN state has format byte 0x%02x, expected 0x%02x",
                        format & 0xff, FORMAT));
            }
            Config config = new Config(b.getDouble(), b.getInt(), b.getInt(), b.getInt(), b.getDouble(), b.getInt());
            long samples = b.getLong();
            long width = b.getLong();
            double total = b.getDouble();
            double variance = b.getDouble();
            int rows = b.get() & 0xff;
            if (rows < 1 || rows > config.maxRows()) {
                throw new IllegalArgumentException("ADWIN state has " + rows + " rows, maxRows is " + config.maxRows());
            }
            Adwin a = new Adwin(config, Math.min(config.maxRows(), Math.max(rows, INITIAL_ROWS)));
            long held = 0;
            for (int r = 0; r < rows; r++) {
                int size = b.get() & 0xff;
                if (size > config.maxBuckets()) {
                    throw new IllegalArgumentException("ADWIN state row " + r + " has " + size + " buckets, M is "
                            + config.maxBuckets());
                }
                for (int k = 0; k < size; k++) {
                    a.append(r, b.getDouble(), b.getDouble());
                }
                held += (long) size << r;
            }
            if (held != width) {
                throw new IllegalArgumentException("ADWIN state buckets hold " + held + " values, width says " + width);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("ADWIN state has " + b.remaining() + " trailing bytes");
            }
            a.rows = rows;
            a.samples = samples;
            a.width = width;
            a.total = total;
            a.variance = variance;
            return a;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("ADWIN state is truncated (" + bytes.length + " bytes)", e);
        }
    }
}
