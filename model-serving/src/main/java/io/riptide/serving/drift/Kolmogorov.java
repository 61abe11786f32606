package io.riptide.serving.drift;

/**
 * The distribution of the one-sample Kolmogorov-Smirnov statistic D_n = sup |F_n - F| for a continuous F.
 *
 * <p>Up to {@link #EXACT_MAX_N} values: exact, by Marsaglia, Tsang and Wang, "Evaluating Kolmogorov's
 * distribution", Journal of Statistical Software 8(18), 2003 (their matrix-power algorithm, without the
 * right-tail shortcut, so tail probabilities are exact to about 1e-14 absolute). Above: the asymptotic Kolmogorov
 * distribution with Stephens' correction, P(D_n >= d) ~ Q_KS((sqrt(n) + 0.12 + 0.11 / sqrt(n)) d) (Stephens,
 * "Use of the Kolmogorov-Smirnov, Cramér-von Mises and related statistics without extensive tables", JRSS B 32,
 * 1970). Against the exact distribution, Stephens' critical values at 1e-3 and 1e-5 are within 0.5% for n >= 35 and
 * 0.15% for n >= 50, their true level 0.88 to 1.04 times the nominal (KolmogorovTest); below 35 they drift off
 * (4% at n = 5 and 1e-3, 12% at 1e-5, 100% at n = 1), hence the exact path.
 */
final class Kolmogorov {

    /** Largest n computed exactly (cost about (2 n d)^3 log2 n flops: at most a few ms). */
    static final int EXACT_MAX_N = 50;

    private Kolmogorov() {
    }

    /** Exact P(D_n < d) (Marsaglia-Tsang-Wang). */
    static double exactCdf(int n, double d) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (d <= 0.5 / n) {
            return 0.0; // D_n >= 1/(2n) always
        }
        if (d >= 1) {
            return 1.0;
        }
        int k = (int) (n * d) + 1;
        int m = 2 * k - 1;
        double h = k - n * d;
        double[] hm = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                hm[i * m + j] = i - j + 1 < 0 ? 0 : 1;
            }
        }
        for (int i = 0; i < m; i++) {
            hm[i * m] -= Math.pow(h, i + 1);
            hm[(m - 1) * m + i] -= Math.pow(h, m - i);
        }
        hm[(m - 1) * m] += 2 * h - 1 > 0 ? Math.pow(2 * h - 1, m) : 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i - j + 1 > 0) {
                    for (int g = 1; g <= i - j + 1; g++) {
                        hm[i * m + j] /= g;
                    }
                }
            }
        }
        // hm^n by squaring from the top bit, with a decimal exponent to keep entries in range
        double[] v = hm.clone();
        double[] t = new double[m * m];
        int e = 0;
        for (int bit = Integer.highestOneBit(n) >> 1; bit > 0; bit >>= 1) {
            multiply(v, v, t, m);
            double[] swap = v;
            v = t;
            t = swap;
            e *= 2;
            if ((n & bit) != 0) {
                multiply(hm, v, t, m);
                swap = v;
                v = t;
                t = swap;
            }
            if (v[(m / 2) * m + m / 2] > 1e140) {
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 1e-140;
                }
                e += 140;
            }
        }
        double s = v[(k - 1) * m + k - 1];
        for (int i = 1; i <= n; i++) {
            s = s * i / n;
            if (s < 1e-140) {
                s *= 1e140;
                e -= 140;
            }
        }
        return s * Math.pow(10, e);
    }

    private static void multiply(double[] a, double[] b, double[] c, int m) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += a[i * m + k] * b[k * m + j];
                }
                c[i * m + j] = s;
            }
        }
    }

    /** Q_KS(lambda) = P(K >= lambda) of the Kolmogorov distribution. */
    static double asymptoticSurvival(double lambda) {
        if (lambda <= 0) {
            return 1.0;
        }
        if (lambda < 1.18) { // the theta-function form converges fast here
            double s = 0;
            for (int j = 1; j <= 20; j++) {
                double odd = 2 * j - 1;
                s += Math.exp(-odd * odd * Math.PI * Math.PI / (8 * lambda * lambda));
            }
            return 1 - Math.sqrt(2 * Math.PI) / lambda * s;
        }
        double s = 0;
        for (int j = 1; j <= 100; j++) {
            double term = Math.exp(-2.0 * j * j * lambda * lambda);
            s += (j % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-300) {
                break;
            }
        }
        return s;
    }

    /** The lambda with Q_KS(lambda) = alpha. */
    static double asymptoticQuantile(double alpha) {
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = (lo + hi) / 2;
            if (asymptoticSurvival(mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Stephens' scale: P(D_n >= d) ~ Q_KS(stephensScale(n) * d). */
    static double stephensScale(long n) {
        double root = Math.sqrt(n);
        return root + 0.12 + 0.11 / root;
    }

    /** P(D_n >= d): exact up to {@link #EXACT_MAX_N}, Stephens above. */
    static double survival(long n, double d) {
        if (n <= EXACT_MAX_N) {
            return Math.max(0.0, 1 - exactCdf((int) n, d));
        }
        return asymptoticSurvival(stephensScale(n) * d);
    }

    /** The exact critical value: the d with P(D_n >= d) = alpha, to 1e-12. */
    static double exactCriticalValue(int n, double alpha) {
        double guess = asymptoticQuantile(alpha) / stephensScale(n);
        double lo = Math.max(0.5 / n, 0.8 * guess);
        double hi = Math.min(1.0, 1.25 * guess);
        if (!(1 - exactCdf(n, lo) > alpha) || 1 - exactCdf(n, hi) > alpha) {
            lo = 0.5 / n;
            hi = 1.0;
        }
        while (hi - lo > 1e-12) {
            double mid = (lo + hi) / 2;
            if (1 - exactCdf(n, mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
