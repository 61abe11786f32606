package io.riptide.serving.drift;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The Page-Hinkley test for an increase of the mean (Page, "Continuous inspection schemes", Biometrika 1954;
 * Hinkley 1971), as MOA's {@code PageHinkleyDM} and scikit-multiflow run it: fed a per-outcome loss, it raises an
 * alarm when the loss goes up and stays up.
 *
 * <p>With x̄_t the mean of the values since the last reset (x_t included),
 *
 * <pre>
 *   m_T = sum_{t <= T} (x_t - x̄_t - delta),   M_T = min(0, m_1, ..., m_T),   PH_T = m_T - M_T
 * </pre>
 *
 * computed as PH_T = max(0, alpha * PH_{T-1} + x_T - x̄_T - delta). With {@code alpha = 1} (the default) that is
 * exactly m_T - M_T; with {@code alpha < 1} old deviations fade (half-life ln 2 / (1 - alpha) values), MOA's
 * forgetting variant. An alarm is raised when PH_T > lambda and at least {@code minInstances} values have been seen
 * since the last reset; after an alarm the detector starts over (mean, statistic and counts back to zero), so the
 * values after the change become the new baseline and a lasting increase raises one alarm, not one per value.
 * A decrease of the mean only drives m_T down and never alarms.
 *
 * <p>The alarm's {@link Detection} splits the values since the reset at the last time PH was zero (for alpha = 1,
 * the latest minimum of m: Page-Hinkley's estimate of the change point) and reports the means and sizes of both
 * parts. The state is 11 numbers ({@link #toBytes()}: 85 bytes); updates allocate nothing but an alarm's
 * {@link Detection}. Not thread-safe.
 *
 * <p>Choosing lambda: for a stationary input with standard deviation sigma, Siegmund's approximation
 * ({@link #expectedRunLength}) gives the average number of values between false alarms; e.g. 0/1 errors at rate 0.2
 * (sigma 0.4) with the defaults: about 6e4.
 */
public final class PageHinkley implements DriftDetector {

    public static final String NAME = "PAGE_HINKLEY";
    /** Format byte of {@link #toBytes()}: detector 2, version 1. */
    static final byte FORMAT = 0x21;
    private static final int BYTES = 1 + 8 * 3 + 4 + 8 * 7;

    /**
     * @param delta        magnitude of changes tolerated, >= 0; default 0.005 (MOA)
     * @param lambda       alarm threshold on PH_T, > 0; default 50 (MOA)
     * @param alpha        forgetting factor in (0, 1]; default 1 (none)
     * @param minInstances values since the last reset before an alarm may be raised, >= 1; default 30 (MOA)
     */
    public record Config(double delta, double lambda, double alpha, int minInstances) {

        public Config {
            if (!(delta >= 0 && delta < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("pageHinkley.delta must be finite and >= 0, got " + delta);
            }
            if (!(lambda > 0 && lambda < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("pageHinkley.lambda must be finite and > 0, got " + lambda);
            }
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("pageHinkley.alpha must be in (0, 1], got " + alpha);
            }
            if (minInstances < 1) {
                throw new IllegalArgumentException("pageHinkley.minInstances must be >= 1, got " + minInstances);
            }
        }

        /** delta 0.005, lambda 50, alpha 1, minInstances 30. */
        public static Config defaults() {
            return new Config(0.005, 50, 1.0, 30);
        }
    }

    private final Config config;
    private long samples;
    private long n;           // values since the last reset
    private double mean;      // their mean
    private double sum;       // their sum
    private double statistic; // PH_n
    private long nAtZero;     // n when PH was last zero
    private double sumAtZero; // sum then

    public PageHinkley() {
        this(Config.defaults());
    }

    public PageHinkley(double delta, double lambda) {
        this(new Config(delta, lambda, 1.0, Config.defaults().minInstances()));
    }

    public PageHinkley(Config config) {
        this.config = config;
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

    /** PH_T, the current statistic. */
    public double statistic() {
        return statistic;
    }

    /** Values since the last reset. */
    public long count() {
        return n;
    }

    /** Mean of the values since the last reset (0 when none). */
    public double mean() {
        return mean;
    }

    @Override
    public Detection update(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(NAME + " takes finite values, got " + x);
        }
        samples++;
        n++;
        sum += x;
        mean += (x - mean) / n;
        statistic = Math.max(0.0, config.alpha() * statistic + (x - mean - config.delta()));
        if (statistic == 0.0) {
            nAtZero = n;
            sumAtZero = sum;
        }
        if (n < config.minInstances() || !(statistic > config.lambda())) {
            return null;
        }
        long after = n - nAtZero;
        Detection alarm = new Detection(NAME, samples, statistic, config.lambda(), nAtZero, after,
                nAtZero == 0 ? Double.NaN : sumAtZero / nAtZero, (sum - sumAtZero) / after, 0);
        reset();
        return alarm;
    }

    /** Starts over, as after an alarm; {@link #samples()} keeps counting. */
    @Override
    public void reset() {
        n = 0;
        mean = 0;
        sum = 0;
        statistic = 0;
        nAtZero = 0;
        sumAtZero = 0;
    }

    /**
     * Siegmund's approximation of the average run length between false alarms of a one-sided CUSUM whose increments
     * have mean -delta and standard deviation sigma (Gaussian), with the threshold corrected by 1.166 sigma:
     * (e^a - 1 - a) / (2 delta^2 / sigma^2), a = 2 delta (lambda + 1.166 sigma) / sigma^2. Page-Hinkley with alpha 1
     * on a stationary input is that CUSUM once its running mean has settled. Infinite for delta 0 and a finite
     * result that large is beyond any stream.
     */
    public static double expectedRunLength(double delta, double lambda, double sigma) {
        if (delta <= 0) {
            double h = lambda + 1.166 * sigma;
            return h * h / (sigma * sigma); // the limit delta -> 0
        }
        double a = 2 * delta * (lambda + 1.166 * sigma) / (sigma * sigma);
        return (Math.exp(a) - 1 - a) / (2 * delta * delta / (sigma * sigma));
    }

    /**
     * Format 0x21: format byte; delta, lambda, alpha (double), minInstances (int); samples, n (long), mean, sum,
     * statistic (double), nAtZero (long), sumAtZero (double). Big-endian, 85 bytes.
     */
    @Override
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).put(FORMAT).putDouble(config.delta()).putDouble(config.lambda())
                .putDouble(config.alpha()).putInt(config.minInstances()).putLong(samples).putLong(n).putDouble(mean)
                .putDouble(sum).putDouble(statistic).putLong(nAtZero).putDouble(sumAtZero).array();
    }

    public static PageHinkley fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("Page-Hinkley state has " + bytes.length + " bytes, expected " + BYTES);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte format = b.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException(String.format(
                        "Page-Hinkley state has format byte 0x%02x, expected 0x%02x", format & 0xff, FORMAT));
            }
            PageHinkley p = new PageHinkley(new Config(b.getDouble(), b.getDouble(), b.getDouble(), b.getInt()));
            p.samples = b.getLong();
            p.n = b.getLong();
            p.mean = b.getDouble();
            p.sum = b.getDouble();
            p.statistic = b.getDouble();
            p.nAtZero = b.getLong();
            p.sumAtZero = b.getDouble();
            if (p.n < 0 || p.nAtZero < 0 || p.nAtZero > p.n || p.n > p.samples) {
                throw new IllegalArgumentException("Page-Hinkley state has inconsistent counts: samples " + p.samples
                        + ", n " + p.n + ", n at zero " + p.nAtZero);
            }
            return p;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Page-Hinkley state is truncated (" + bytes.length + " bytes)", e);
        }
    }
}
