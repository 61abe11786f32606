package io.riptide.serving.internal;

/**
 * Weighted L2-regularised logistic regression by Newton's method (IRLS): small dense problems such as Platt
 * scaling (one input) and stacking meta-learners (a handful of inputs). Targets may be soft (in [0,1]).
 */
public final class LogisticFit {

    private LogisticFit() {
    }

    /**
     * Fits {@code p = sigmoid(w[0] + sum_j w[j+1] * x[i][j])}; returns w (intercept first). The intercept is
     * not regularised.
     */
    public static double[] fit(double[][] x, double[] targets, double l2, int maxIterations) {
        int n = x.length;
        if (n == 0 || targets.length != n) {
            throw new IllegalArgumentException("logistic fit needs one target per row and at least one row");
        }
        int d = x[0].length + 1;
        double[] w = new double[d];
        double[] grad = new double[d];
        double[][] hess = new double[d][d];
        double[] row = new double[d];
        for (int it = 0; it < maxIterations; it++) {
            java.util.Arrays.fill(grad, 0);
            for (double[] h : hess) {
                java.util.Arrays.fill(h, 0);
            }
            for (int i = 0; i < n; i++) {
                row[0] = 1.0;
                System.arraycopy(x[i], 0, row, 1, d - 1);
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += w[j] * row[j];
                }
                double p = 1.0 / (1.0 + Math.exp(-z));
                double g = p - targets[i];
                double h = Math.max(p * (1 - p), 1e-12);
                for (int j = 0; j < d; j++) {
                    grad[j] += g * row[j];
                    for (int k = 0; k <= j; k++) {
                        hess[j][k] += h * row[j] * row[k];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    hess[k][j] = hess[j][k];
                }
                if (j > 0) {
                    grad[j] += l2 * w[j];
                    hess[j][j] += l2;
                }
                hess[j][j] += 1e-9;
            }
            double[] step = solve(hess, grad);
            double max = 0;
            for (int j = 0; j < d; j++) {
                w[j] -= step[j];
                max = Math.max(max, Math.abs(step[j]));
            }
            if (max < 1e-10) {
                break;
            }
        }
        return w;
    }

    /** Gaussian elimination with partial pivoting on a copy. */
    static double[] solve(double[][] a0, double[] b0) {
        int d = b0.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int c = 0; c < d; c++) {
            int p = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            double tb = b[c];
            b[c] = b[p];
            b[p] = tb;
            for (int r = c + 1; r < d; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < d; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < d; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** log(p / (1 - p)) with p clipped away from 0 and 1. */
    public static double logit(double p) {
        double q = Math.min(1 - 1e-12, Math.max(1e-12, p));
        return Math.log(q / (1 - q));
    }
}
